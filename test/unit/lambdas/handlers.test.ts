import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV, PREFIXES, QUEUES } from '../../../shared/config/resources';
import type { ResultMessage } from '../../../shared/pipeline/result-message';
import { ROOT } from '../../support/deposits';

/**
 * The handlers with every AWS client mocked: each failure path ends as a partial batch failure (the
 * message is retried, then dead-lettered), never a crash of the whole batch, and bad input is not a fault.
 */
const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const sns = mockClient(SNSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);

Object.assign(process.env, {
  [ENV.inputBucket]: 'depots',
  [ENV.outputBucket]: 'retours',
  [ENV.table]: 'segur-state',
  [ENV.judgeQueueUrl]: 'https://sqs/judge',
  [ENV.resultsQueueUrl]: 'https://sqs/results',
  [ENV.topicArn]: 'arn:aws:sns:eu-west-3:1:segur-notifications',
  // Signing needs credentials, not a network: the presigned links are computed offline.
  AWS_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
});
// Imported after the environment is set: the handlers read their configuration at load.
const intake = require('../../../lambdas/intake/handler') as typeof import('../../../lambdas/intake/handler');
const judge = require('../../../lambdas/judge/handler') as typeof import('../../../lambdas/judge/handler');
const notify = require('../../../lambdas/notify/handler') as typeof import('../../../lambdas/notify/handler');

const silence = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
afterAll(() => silence.mockRestore());
beforeEach(() => {
  for (const mock of [s3, sqs, sns, dynamo]) mock.reset();
});

function sqsEvent(...bodies: unknown[]): SQSEvent {
  return receivedTimes(1, ...bodies);
}

/** The same messages as Lambda hands them on their `count`-th receive. */
function receivedTimes(count: number, ...bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, index) =>
        ({
          messageId: `m${index}`,
          body: typeof body === 'string' ? body : JSON.stringify(body),
          attributes: { ApproximateReceiveCount: String(count) },
        }) as unknown as SQSRecord,
    ),
  };
}

function s3Event(key: string) {
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-22T10:00:00Z',
        s3: { object: { key, size: 10, eTag: '"e"' } },
      },
    ],
  };
}

const serviceError = (Type: typeof S3ServiceException, name: string, status: number) =>
  new Type({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

describe('intake handler', () => {
  it('ignores s3:TestEvent without touching anything', async () => {
    expect(await intake.handler(sqsEvent({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual({
      batchItemFailures: [],
    });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('records arrivals under their URL-decoded key', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ pk: 'x', sk: 'META', id: 'x', siret: '88558855858745', type: 'avance', base: 'b' }],
    });
    await intake.handler(
      sqsEvent(s3Event('depot/88558855858745/avance/JSON-1234567890-20220315-001-pi%C3%A8ces+1.zip')),
    );
    // The zip's item and its submission's update, in one transaction.
    expect(
      dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[1]?.Put?.Item,
    ).toMatchObject({
      sk: 'ZIP#JSON-1234567890-20220315-001-pièces 1.zip',
      ref: { key: 'depot/88558855858745/avance/JSON-1234567890-20220315-001-pièces 1.zip' },
    });
  });

  it('reports only the failed message of a batch when DynamoDB throttles', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
      .resolves({});
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [{ pk: 'x', sk: 'META', id: 'x', siret: '1', type: 'avance', base: 'b' }] });
    const event = sqsEvent(
      s3Event('depot/88558855858745/avance/JSON-1234567890-20220315-001.zip'),
      s3Event('depot/88558855858745/avance/JSON-1234567890-20220315-002.zip'),
    );
    expect(await intake.handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });

  it('reports a message that is not an S3 event', async () => {
    expect(await intake.handler(sqsEvent('pas du JSON', { hello: 1 }))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }],
    });
  });

  it('reports a denied read of the deposit', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'x',
          sk: 'META',
          id: 'x',
          siret: '1',
          type: 'avance',
          base: 'b',
          status: 'WAITING',
          json: { key: 'depot/x.json', size: 10 },
        },
      ],
    });
    s3.on(GetObjectCommand).rejects(serviceError(S3ServiceException, 'AccessDenied', 403));
    expect(
      await intake.handler(
        sqsEvent(s3Event('depot/88558855858745/avance/JSON-1234567890-20220315-001.json')),
      ),
    ).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }],
    });
  });
});

describe('judge handler', () => {
  /** The référentiel is there (the judge judges nothing without it); any other object is missing. */
  const onlyTheReferentiel = () => {
    s3.on(GetObjectCommand).rejects(serviceError(S3ServiceException, 'NoSuchKey', 404));
    s3.on(HeadObjectCommand).rejects(serviceError(S3ServiceException, 'NotFound', 404));
    s3.on(GetObjectCommand, { Key: PREFIXES.referentiel }).resolves({
      Body: {
        transformToString: async () => readFileSync(join(ROOT, 'events/referentiel.json'), 'utf8'),
      } as never,
    });
  };
  const submission = {
    Items: [
      {
        pk: 'SUB#s',
        sk: 'META',
        id: 's',
        siret: '88558855858745',
        type: 'avance',
        base: 'JSON-1234567890-20220315-001',
        json: { key: 'depot/a.json', size: 10, etag: 'e1' },
      },
    ],
  };

  it('does nothing when another judge already claimed this content', async () => {
    onlyTheReferentiel();
    dynamo.on(QueryCommand).resolves(submission);
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'claimed', $metadata: {} }));
    expect(await judge.handler(sqsEvent({ submissionId: 's', reason: 'ready' }))).toEqual({
      batchItemFailures: [],
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('releases its claim and asks for a retry when the deposit is missing', async () => {
    dynamo.on(QueryCommand).resolves(submission);
    dynamo.on(PutCommand).resolves({});
    onlyTheReferentiel();
    expect(await judge.handler(sqsEvent({ submissionId: 's', reason: 'ready' }))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }],
    });
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toMatchObject({ pk: 'SUB#s' });
  });

  it('answers its last failing attempt with a technical rejection, report and result message', async () => {
    dynamo.on(QueryCommand).resolves(submission);
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    onlyTheReferentiel();
    s3.on(PutObjectCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({});
    expect(
      await judge.handler(
        receivedTimes(QUEUES.judge.maxReceiveCount, { submissionId: 's', reason: 'ready' }),
      ),
    ).toEqual({
      batchItemFailures: [],
    });
    const report = s3
      .commandCalls(PutObjectCommand)
      .map((call) => call.args[0].input)
      .find((input) => String(input.Key).endsWith('.rapport.json'));
    expect(JSON.parse(String(report?.Body)).fileErrors[0].code).toBe('1060');
    const sent = JSON.parse(String(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody));
    expect(sent).toMatchObject({ outcome: 'rejet-technique', submissionId: 's', status: 'rejected' });
  });

  it('leaves the message to the dead-letter queue when even the technical rejection fails', async () => {
    dynamo.on(QueryCommand).resolves(submission);
    dynamo.on(PutCommand).resolves({});
    onlyTheReferentiel();
    s3.on(PutObjectCommand).rejects(serviceError(S3ServiceException, 'ServiceUnavailable', 503));
    expect(
      await judge.handler(
        receivedTimes(QUEUES.judge.maxReceiveCount, { submissionId: 's', reason: 'ready' }),
      ),
    ).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }],
    });
  });
});

describe('notify handler', () => {
  const result: ResultMessage = {
    submissionId: '88558855858745/avance/JSON-1234567890-20220315-001',
    siret: '88558855858745',
    type: 'avance',
    fileName: 'JSON-1234567890-20220315-001.json',
    profile: 'HOP-DPI-avance',
    status: 'processed',
    outcome: 'jugement',
    accepted: 1,
    rejected: 1,
    fileErrors: [],
    lines: [
      {
        numLigne: 1,
        numeroEditeur: '00001',
        codeTraitement: '0000',
        libelleTraitement: 'Demande acceptée',
        numeroASP: 'FINHOP000001',
      },
      {
        numLigne: 2,
        numeroEditeur: '00002',
        codeTraitement: '2009',
        libelleTraitement: 'Ligne 2 : commande.dateCommande doit être une date JJ/MM/AAAA (reçu « x »)',
        numeroASP: null,
        errors: [
          {
            code: '2009',
            field: 'commande.dateCommande',
            message: 'Ligne 2 : commande.dateCommande doit être une date JJ/MM/AAAA (reçu « x »)',
          },
          {
            code: '3001',
            field: 'piecesJustificatives[0].nomFichier',
            message:
              'Ligne 2 : piecesJustificatives[0].nomFichier « HOP-DPI-Va1-BDC-00002.pdf » est introuvable dans les fichiers .zip déposés',
          },
        ],
      },
    ],
    outputs: {
      annotated: 's3://retours/retour/88558855858745/avance/JSON-1234567890-20220315-001.json',
      reportJson: 's3://retours/retour/88558855858745/avance/JSON-1234567890-20220315-001.rapport.json',
      reportHtml: 's3://retours/retour/88558855858745/avance/JSON-1234567890-20220315-001.rapport.html',
    },
  };

  it('publishes one French email, its subject with accents, and the siret attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: '1' });
    expect(await notify.handler(sqsEvent(result))).toEqual({ batchItemFailures: [] });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toBe(
      'Ségur numérique – JSON-1234567890-20220315-001.json : 1 demande(s) acceptée(s), 1 rejetée(s)',
    );
    // Every error of the line, not only the first: the missing document behind the bad date too.
    expect(input?.Message).toContain('  - Ligne 2 (n° éditeur 00002) : rejetée, code 2009');
    expect(input?.Message).toContain('      [2009] commande.dateCommande doit être une date');
    expect(input?.Message).toContain(
      '      [3001] piecesJustificatives[0].nomFichier « HOP-DPI-Va1-BDC-00002.pdf »',
    );
    // The vendor's own path, and an HTTPS link that expires in 72 h (signed by the function's role).
    expect(input?.Message).toContain(
      'rapport (page) : retour/88558855858745/avance/JSON-1234567890-20220315-001.rapport.html',
    );
    expect(input?.Message).not.toContain('s3://');
    expect(input?.Message).toMatch(
      /https:\/\/retours\.s3\.eu-west-3\.amazonaws\.com\/retour\/88558855858745\/avance\/JSON-1234567890-20220315-001\.rapport\.html\?\S*X-Amz-Expires=259200/,
    );
    expect(input?.Message).toMatch(
      /Les liens ci-dessus sont valables jusqu'au \d\d\/\d\d\/\d{4} à \d\d h \d\d \(heure de Paris\)/,
    );
    expect(input?.MessageAttributes?.siret).toEqual({ DataType: 'String', StringValue: '88558855858745' });
    const html = input?.MessageAttributes?.html?.StringValue ?? '';
    expect(html).toContain('<div class="banner ko">');
    expect(html).toContain('[3001] piecesJustificatives[0].nomFichier « HOP-DPI-Va1-BDC-00002.pdf »');
  });

  it("records the published result in the operators' journal, on the submission and in its day", async () => {
    sns.on(PublishCommand).resolves({ MessageId: '1' });
    dynamo.on(PutCommand).resolves({});
    expect(await notify.handler(sqsEvent(result))).toEqual({ batchItemFailures: [] });
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item?.pk).toBe(`SUB#${result.submissionId}`);
    expect(item?.sk).toMatch(/^OUTCOME#[0-9a-f]{24}$/);
    expect(item?.gsi2pk).toMatch(/^JOUR#\d{4}-\d{2}-\d{2}$/);
    expect(item?.gsi2sk).toMatch(new RegExp(`^88558855858745#\\d{4}-.*#${result.submissionId}$`));
    expect(item?.record).toMatchObject({
      outcome: 'jugement',
      profile: 'HOP-DPI-avance',
      accepted: 1,
      rejected: 1,
      numbered: [{ numLigne: 1, numeroEditeur: '00001', numeroASP: 'FINHOP000001' }],
      outputs: result.outputs,
    });
  });

  it('asks for a retry when the journal cannot be written (the email goes again, never a record lost)', async () => {
    sns.on(PublishCommand).resolves({ MessageId: '1' });
    dynamo
      .on(PutCommand)
      .rejects(serviceError(DynamoDBServiceException as never, 'ThrottlingException', 400));
    expect(await notify.handler(sqsEvent(result))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('asks for a retry when SNS throttles', async () => {
    sns.on(PublishCommand).rejects(serviceError(SNSServiceException as never, 'Throttling', 400));
    expect(await notify.handler(sqsEvent(result))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });
});
