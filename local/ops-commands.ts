import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStateStore } from '../shared/adapters/dynamo-state-store';
import { createS3Client } from '../shared/adapters/s3-client';
import { BUCKETS, ENV, PREFIXES, QUEUES, TABLE } from '../shared/config/resources';
import { NUMERO_ASP_PATTERN } from '../shared/domain/deposit-facts';
import { printable } from '../shared/domain/printable';
import type { AvanceStatut } from '../shared/domain/referentiel';
import { frenchDateTime } from '../shared/domain/reports';
import { contentEtag, type StoredObjectRef, type SubmissionRecord } from '../shared/pipeline/ports';
import { contentToJudge } from '../shared/pipeline/submission-content';
import { loadReferentiel, readInput } from './check-command';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';

/**
 * The agency operators' commands, against AWS (default credentials and region) or the embedded
 * stack (`--endpoint`): they act on the same buckets, table and queues as the functions.
 */
export const OPS_USAGE = `Commandes des opérateurs (sur AWS, ou sur la pile embarquée avec --endpoint http://127.0.0.1:<port>) :
  segur-pipeline publier-referentiel <referentiel.json>     vérifie puis publie le référentiel
  segur-pipeline marquer-avance <numeroASP> <DEPOSEE|ACCEPTEE|PAYEE|REFUSEE>
  segur-pipeline lister-soumissions [--format text|json]    liste les soumissions et leur état
  segur-pipeline rejouer <soumission>                       rejuge une soumission (<SIRET>/<type>/<nom du JSON>)
Options : --endpoint <url> (S3, SQS), --dynamodb-endpoint <url>, --region <région>,
          --input-bucket <nom> (défaut : $${ENV.inputBucket} ou ${BUCKETS.input}), --table <nom> (défaut : ${TABLE.name})`;

const STATUTS: readonly AvanceStatut[] = ['DEPOSEE', 'ACCEPTEE', 'PAYEE', 'REFUSEE'];

interface OpsContext {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly store: DynamoStateStore;
  readonly inputBucket: string;
  close(): void;
}

function connect(values: Record<string, string | boolean | undefined>): OpsContext {
  const region = (values.region as string | undefined) ?? process.env.AWS_REGION ?? 'eu-west-3';
  const endpoint = values.endpoint as string | undefined;
  const dynamoEndpoint = (values['dynamodb-endpoint'] as string | undefined) ?? endpoint;
  // The emulators accept any credentials; AWS uses the default provider chain.
  const local = endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
  const s3 = createS3Client({ region, ...(endpoint ? { endpoint, ...local } : {}) });
  const sqs = new SQSClient({ region, ...(endpoint ? { endpoint, ...local } : {}) });
  const dynamo = new DynamoDBClient({
    region,
    ...(dynamoEndpoint ? { endpoint: dynamoEndpoint, ...local } : {}),
  });
  return {
    s3,
    sqs,
    store: new DynamoStateStore(dynamo, (values.table as string | undefined) ?? TABLE.name),
    inputBucket:
      (values['input-bucket'] as string | undefined) ?? process.env[ENV.inputBucket] ?? BUCKETS.input,
    close: () => {
      s3.destroy();
      sqs.destroy();
      dynamo.destroy();
    },
  };
}

const OPS_COMMANDS = ['publier-referentiel', 'marquer-avance', 'lister-soumissions', 'rejouer'] as const;

export async function runOps(
  command: (typeof OPS_COMMANDS)[number],
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseOptions(command, args, {
    endpoint: { type: 'string' },
    'dynamodb-endpoint': { type: 'string' },
    region: { type: 'string' },
    'input-bucket': { type: 'string' },
    table: { type: 'string' },
    format: { type: 'string', default: 'text' },
  });
  const expected = { 'publier-referentiel': 1, 'marquer-avance': 2, 'lister-soumissions': 0, rejouer: 1 }[
    command
  ];
  if (positionals.length !== expected)
    throw new UsageError(`${command} attend ${expected} argument(s) (voir « segur-pipeline help »)`);
  if (command === 'marquer-avance' && !NUMERO_ASP_PATTERN.test(positionals[0] as string))
    throw new UsageError(
      `numéro ASP « ${printable(positionals[0] as string, 40)} » mal formé : attendu FIN, le couloir en trois lettres et six chiffres (FINBIO000006)`,
    );
  if (command === 'marquer-avance' && !STATUTS.includes(positionals[1] as AvanceStatut)) {
    throw new UsageError(`statut « ${positionals[1]} » inconnu : ${STATUTS.join(', ')}`);
  }
  if (command === 'publier-referentiel') await loadReferentiel(positionals[0] as string);
  const ops = connect(values);
  try {
    switch (command) {
      case 'publier-referentiel': {
        const body = await readInput(positionals[0] as string, 'référentiel');
        await ops.s3.send(
          new PutObjectCommand({
            Bucket: ops.inputBucket,
            Key: PREFIXES.referentiel,
            Body: body,
            ContentType: 'application/json',
          }),
        );
        io.stdout.write(`référentiel publié dans s3://${ops.inputBucket}/${PREFIXES.referentiel}\n`);
        return 0;
      }
      case 'marquer-avance': {
        const [numeroASP, statut] = positionals as [string, AvanceStatut];
        if (!(await ops.store.setAvanceStatus(numeroASP, statut)))
          throw new UsageError(`avance ${numeroASP} inconnue`);
        io.stdout.write(`avance ${numeroASP} : statut ${statut}\n`);
        return 0;
      }
      case 'lister-soumissions': {
        const submissions = (await ops.store.listSubmissions()).sort((a, b) =>
          a.firstArrivalAt.localeCompare(b.firstArrivalAt),
        );
        if (values.format === 'json') {
          io.stdout.write(`${JSON.stringify(submissions, null, 2)}\n`);
        } else {
          for (const submission of submissions) {
            const zips = Object.keys(submission.zips).length;
            const status =
              submission.status === 'judged'
                ? 'jugée'
                : `en attente${submission.waitingReason ? ` (${submission.waitingReason})` : ''}`;
            io.stdout.write(
              `${submission.id}  ${status}  JSON ${submission.json ? 'reçu' : 'absent'}, ${zips} .zip  (arrivée ${submission.firstArrivalAt})\n`,
            );
          }
          if (submissions.length === 0) io.stdout.write('aucune soumission\n');
        }
        return 0;
      }
      case 'rejouer': {
        const id = positionals[0] as string;
        const submission = await ops.store.getSubmission(id);
        if (!submission) throw new UsageError(`soumission ${id} inconnue`);
        io.stdout.write(describeReplay(submission));
        const { QueueUrl } = await ops.sqs.send(new GetQueueUrlCommand({ QueueName: QUEUES.judge.name }));
        await ops.sqs.send(
          new SendMessageCommand({
            QueueUrl,
            MessageBody: JSON.stringify({ submissionId: id, reason: 'replay' }),
          }),
        );
        io.stdout.write(`soumission ${id} envoyée au jugement (même verdict, mêmes numéros ASP et impId)\n`);
        return 0;
      }
    }
  } finally {
    ops.close();
  }
  return 2;
}

/** What `rejouer` will judge: the recorded objects (never a refused replacement) and when they were first judged. */
function describeReplay(submission: SubmissionRecord): string {
  const content = contentToJudge(submission);
  const version = (ref: StoredObjectRef) =>
    `${ref.key} (${ref.versionId ? `version ${ref.versionId}` : `ETag ${contentEtag(ref)}`}, ${ref.size} octets${ref.frozenKey ? `, copie conservée ${ref.frozenKey}` : ''})`;
  const lines = [
    submission.judgedAt
      ? `Jugée le ${frenchDateTime(submission.judgedAt)} ; rejouée sur le contenu enregistré :`
      : 'Jamais jugée ; jugée sur le contenu reçu :',
    ...(content.json ? [`  ${version(content.json)}`] : ['  (pas de fichier JSON)']),
    ...Object.keys(content.zips)
      .sort()
      .map((name) => `  ${version(content.zips[name] as StoredObjectRef)}`),
  ];
  return `${lines.join('\n')}\n`;
}
