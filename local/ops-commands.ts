import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isoParisDay } from '../shared/adapters/day-index';
import { DynamoDepositJournal } from '../shared/adapters/dynamo-deposit-journal';
import { DynamoStateStore } from '../shared/adapters/dynamo-state-store';
import { createS3Client } from '../shared/adapters/s3-client';
import { BUCKETS, ENV, PREFIXES, QUEUES, TABLE } from '../shared/config/resources';
import { NUMERO_ASP_PATTERN } from '../shared/domain/deposit-facts';
import { printable } from '../shared/domain/printable';
import { PROFILE_IDS } from '../shared/domain/profiles';
import type { AvanceStatut } from '../shared/domain/referentiel';
import { frenchDateTime } from '../shared/domain/reports';
import { contentEtag, type StoredObjectRef, type SubmissionRecord } from '../shared/pipeline/ports';
import { contentToJudge } from '../shared/pipeline/submission-content';
import { operatorsRoleCredentials } from './assumed-role';
import { loadReferentiel, readInput } from './check-command';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';
import { deadLetterText, redriveDeadLetters, type WorkQueueName } from './dead-letter-redrive';
import {
  DEPOSIT_STATUSES,
  type DepositFilter,
  type DepositStatus,
  depositRow,
  depositTable,
  matchesFilter,
  storyText,
} from './deposit-view';

/** Days one listing may span: each is one query on the day index. */
const MAX_DAYS = 31;
const DEFAULT_LIMIT = 500;

/**
 * The agency operators' commands, against AWS (default credentials and region) or the embedded
 * stack (`--endpoint`): they act on the same buckets, table and queues as the functions.
 */
export const OPS_USAGE = `Commandes des opérateurs (sur AWS, ou sur la pile embarquée avec --endpoint http://127.0.0.1:<port>) :
  segur-pipeline publier-referentiel <referentiel.json>     vérifie puis publie le référentiel
  segur-pipeline marquer-avance <numeroASP> <DEPOSEE|ACCEPTEE|PAYEE|REFUSEE>
  segur-pipeline lister-soumissions [filtres] [--format text|json]
                                                            les soumissions d'un jour (heure de Paris), leur état,
                                                            leurs comptes, codes, numéros ASP et retours
      filtres : --jour AAAA-MM-JJ (défaut : aujourd'hui) ou --du AAAA-MM-JJ [--au AAAA-MM-JJ] (${MAX_DAYS} jours au plus),
                --siret <SIRET>, --statut <${Object.keys(DEPOSIT_STATUSES).join('|')}>,
                --profil <MDV-LGC|HOP-DPI|BIO-SGL|BIO-LOINC>, --limite <n> (défaut ${DEFAULT_LIMIT})
  segur-pipeline montrer-soumission <soumission> [--format text|json]
                                                            toute l'histoire d'une soumission : arrivées, jugements,
                                                            numéros ASP, retours, courriels
  segur-pipeline rejouer <soumission>                       rejuge une soumission (<SIRET>/<type>/<nom du JSON>)
  segur-pipeline rejouer-dlq <intake|judge|results> [--essai] [--max <n>]
                                                            remet les messages d'une file de lettres mortes dans
                                                            leur file (--essai : les montre sans rien déplacer)
Options : --role-arn <arn> (sortie OperatorRoleArn de la pile : le rôle des opérateurs, ses seuls droits),
          --endpoint <url> (S3, SQS), --dynamodb-endpoint <url>, --region <région>,
          --input-bucket <nom> (défaut : $${ENV.inputBucket} ou ${BUCKETS.input}), --table <nom> (défaut : ${TABLE.name})`;

const STATUTS: readonly AvanceStatut[] = ['DEPOSEE', 'ACCEPTEE', 'PAYEE', 'REFUSEE'];

interface OpsContext {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly store: DynamoStateStore;
  readonly journal: DynamoDepositJournal;
  readonly inputBucket: string;
  close(): void;
}

/**
 * The clients of a command: on AWS with the default credentials, or a session of the operators'
 * role (`--role-arn`, output OperatorRoleArn of the stack); on the emulators with any credentials.
 */
async function connect(values: Record<string, string | boolean | undefined>): Promise<OpsContext> {
  const region = (values.region as string | undefined) ?? process.env.AWS_REGION ?? 'eu-west-3';
  const endpoint = values.endpoint as string | undefined;
  const dynamoEndpoint = (values['dynamodb-endpoint'] as string | undefined) ?? endpoint;
  const roleArn = values['role-arn'] as string | undefined;
  const credentials = roleArn
    ? await operatorsRoleCredentials(
        roleArn,
        region,
        `exploitation-${process.env.USER ?? 'operateur'}`.replace(/[^\w+=,.@-]/g, '_').slice(0, 64),
      )
    : endpoint
      ? async () => ({ accessKeyId: 'local', secretAccessKey: 'local' })
      : undefined;
  const withCredentials = credentials ? { credentials } : {};
  const s3 = createS3Client({ region, ...(endpoint ? { endpoint } : {}), ...withCredentials });
  const sqs = new SQSClient({ region, ...(endpoint ? { endpoint } : {}), ...withCredentials });
  const dynamo = new DynamoDBClient({
    region,
    ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
    ...withCredentials,
  });
  return {
    s3,
    sqs,
    store: new DynamoStateStore(dynamo, (values.table as string | undefined) ?? TABLE.name),
    journal: new DynamoDepositJournal(dynamo, (values.table as string | undefined) ?? TABLE.name),
    inputBucket:
      (values['input-bucket'] as string | undefined) ?? process.env[ENV.inputBucket] ?? BUCKETS.input,
    close: () => {
      s3.destroy();
      sqs.destroy();
      dynamo.destroy();
    },
  };
}

const OPS_COMMANDS = [
  'publier-referentiel',
  'marquer-avance',
  'lister-soumissions',
  'montrer-soumission',
  'rejouer',
  'rejouer-dlq',
] as const;

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
    jour: { type: 'string' },
    du: { type: 'string' },
    au: { type: 'string' },
    siret: { type: 'string' },
    statut: { type: 'string' },
    profil: { type: 'string' },
    limite: { type: 'string' },
    'role-arn': { type: 'string' },
    essai: { type: 'boolean' },
    max: { type: 'string' },
  });
  const expected = {
    'publier-referentiel': 1,
    'marquer-avance': 2,
    'lister-soumissions': 0,
    'montrer-soumission': 1,
    rejouer: 1,
    'rejouer-dlq': 1,
  }[command];
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format ${printable(String(values.format), 20)} : text ou json`);
  const listing = command === 'lister-soumissions' ? listingOptions(values, new Date()) : undefined;
  const redrive = command === 'rejouer-dlq' ? redriveOptions(positionals[0] as string, values) : undefined;
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
  const ops = await connect(values);
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
        const { days, siret, filter, limit } = listing as ListingOptions;
        let truncated = false;
        const ids: string[] = [];
        for (const day of days) {
          const found = await ops.journal
            .submissionsOfDay(day, { siret, limit: limit - ids.length })
            .catch(explainMissingIndex);
          ids.push(...found.ids.filter((id) => !ids.includes(id)));
          truncated ||= found.truncated || (ids.length >= limit && day !== days[days.length - 1]);
          if (ids.length >= limit) break;
        }
        const rows = (await ops.journal.stories(ids))
          .map(depositRow)
          .filter((row) => matchesFilter(row, filter))
          .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
        const period =
          days.length === 1
            ? `du ${frenchDay(days[0] as string)}`
            : `du ${frenchDay(days[0] as string)} au ${frenchDay(days[days.length - 1] as string)}`;
        if (values.format === 'json') {
          io.stdout.write(
            `${JSON.stringify({ jours: days, tronquee: truncated, soumissions: rows }, null, 2)}\n`,
          );
        } else {
          io.stdout.write(
            `Soumissions ${period} (heure de Paris)${siret ? `, SIRET ${siret}` : ''}${filter.status ? `, ${DEPOSIT_STATUSES[filter.status]}` : ''}${filter.profile ? `, profil ${filter.profile}` : ''} : ${rows.length}\n`,
          );
          if (rows.length > 0) io.stdout.write(`${depositTable(rows)}\n`);
        }
        if (truncated)
          io.stderr.write(
            `liste arrêtée à ${limit} soumissions : précisez --siret ou le jour, ou augmentez --limite\n`,
          );
        return 0;
      }
      case 'montrer-soumission': {
        const id = positionals[0] as string;
        const story = await ops.journal.story(id);
        if (!story) throw new UsageError(`soumission ${printable(id, 200)} inconnue`);
        io.stdout.write(values.format === 'json' ? `${JSON.stringify(story, null, 2)}\n` : storyText(story));
        return 0;
      }
      case 'rejouer-dlq': {
        const { queue, dryRun, max } = redrive as RedriveOptions;
        const letters = await redriveDeadLetters(ops.sqs, queue, { dryRun, max });
        io.stdout.write(deadLetterText(letters, queue, dryRun));
        if (!dryRun && letters.length >= max)
          io.stderr.write(
            `arrêté à ${max} messages (--max) : d'autres attendent peut-être, relancez la commande\n`,
          );
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

interface RedriveOptions {
  readonly queue: WorkQueueName;
  readonly dryRun: boolean;
  readonly max: number;
}

function redriveOptions(queue: string, values: Record<string, string | boolean | undefined>): RedriveOptions {
  if (!(queue in QUEUES))
    throw new UsageError(`file « ${printable(queue, 30)} » inconnue : ${Object.keys(QUEUES).join(', ')}`);
  const max = Number(values.max ?? 1000);
  if (!Number.isInteger(max) || max < 1) throw new UsageError('--max : un nombre entier positif');
  return { queue: queue as WorkQueueName, dryRun: values.essai === true, max };
}

interface ListingOptions {
  readonly days: readonly string[];
  readonly siret?: string;
  readonly filter: DepositFilter;
  readonly limit: number;
}

/** The listing's options, checked before anything is asked of AWS: every mistake said in French. */
function listingOptions(values: Record<string, string | boolean | undefined>, now: Date): ListingOptions {
  const option = (name: string) => values[name] as string | undefined;
  const day = (name: string, value: string) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const date = match
      ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
      : undefined;
    if (!date || date.toISOString().slice(0, 10) !== value)
      throw new UsageError(`--${name} ${printable(value, 20)} : une date AAAA-MM-JJ attendue (2026-12-03)`);
    return date;
  };
  if (option('jour') && (option('du') || option('au')))
    throw new UsageError('--jour ou --du/--au, pas les deux');
  if (option('au') && !option('du')) throw new UsageError('--au sans --du : donnez le premier jour');
  const today = isoParisDay(now);
  const from = day(option('du') ? 'du' : 'jour', option('du') ?? option('jour') ?? today);
  const to = option('du') ? day('au', option('au') ?? today) : from;
  const count = Math.round((to.getTime() - from.getTime()) / 86_400_000) + 1;
  if (count < 1) throw new UsageError('--au précède --du');
  if (count > MAX_DAYS)
    throw new UsageError(`${count} jours demandés : ${MAX_DAYS} au plus par liste (une requête par jour)`);
  const days = Array.from({ length: count }, (_, index) =>
    new Date(from.getTime() + index * 86_400_000).toISOString().slice(0, 10),
  );
  const siret = option('siret');
  if (siret !== undefined && !/^\d{14}$/.test(siret))
    throw new UsageError(`--siret ${printable(siret, 20)} : 14 chiffres attendus`);
  const status = option('statut');
  if (status !== undefined && !(status in DEPOSIT_STATUSES))
    throw new UsageError(
      `--statut ${printable(status, 30)} inconnu : ${Object.keys(DEPOSIT_STATUSES).join(', ')}`,
    );
  const profile = option('profil');
  if (
    profile !== undefined &&
    !PROFILE_IDS.some((name) => name.toUpperCase().startsWith(profile.toUpperCase()))
  )
    throw new UsageError(`--profil ${printable(profile, 30)} inconnu : ${PROFILE_IDS.join(', ')}`);
  const limit = Number(option('limite') ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limite : un nombre entier positif');
  return {
    days,
    ...(siret ? { siret } : {}),
    filter: { ...(status ? { status: status as DepositStatus } : {}), ...(profile ? { profile } : {}) },
    limit,
  };
}

/** A state kept from before the day index (an old `--state` folder): dynalite cannot add one. */
function explainMissingIndex(error: unknown): never {
  if (error instanceof Error && /specified index/i.test(error.message))
    throw new UsageError(
      `la table n'a pas l'index ${TABLE.dayIndex.name} des soumissions par jour : elle date d'une version antérieure (sur AWS, déployez la pile ; pour la pile embarquée, un nouveau dossier --state)`,
    );
  throw error;
}

/** 03/12/2026 from 2026-12-03. */
function frenchDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
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
