import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createResources } from '../../local/embedded/create-resources';
import { startDynalite } from '../../local/embedded/start-dynalite';
import { startFauxqs } from '../../local/embedded/start-fauxqs';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { createS3Client } from '../../shared/adapters/s3-client';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { S3ReferentielSource } from '../../shared/adapters/s3-referentiel-source';
import { SqsWorkQueues } from '../../shared/adapters/sqs-work-queues';
import { BUCKETS, PREFIXES } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import type { S3ObjectEvent } from '../../shared/pipeline/intake';
import type { JudgeDeps } from '../../shared/pipeline/judge-submission';
import { sampleReferentielBytes } from './sample-referentiel';

/**
 * The pipeline's services over real HTTP (fauxqs for S3 and SQS, dynalite for DynamoDB) with the
 * real adapters, for tests that call the use cases themselves; the clock is the test's.
 */
export interface EmbeddedServices {
  readonly clients: { s3: S3Client; sqs: SQSClient; dynamo: DynamoDBClient };
  readonly deps: JudgeDeps;
  readonly queueUrls: Awaited<ReturnType<typeof createResources>>;
  /** The test's clock: what `deps.now()` answers. */
  clock: Date;
  drop(siret: string, type: string, name: string, body: Uint8Array | string): Promise<S3ObjectEvent>;
  output(key: string): Promise<string>;
  receiveAll(url: string): Promise<unknown[]>;
  putReferentiel(body: Uint8Array | string): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startEmbeddedServices(
  options: { referentiel?: Uint8Array | string | null; clock?: Date } = {},
): Promise<EmbeddedServices> {
  const [aws, dynamo] = await Promise.all([startFauxqs(), startDynalite()]);
  const clients = {
    s3: createS3Client({ endpoint: aws.endpoint, region: 'us-east-1', credentials }),
    sqs: new SQSClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials }),
    dynamo: new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials }),
  };
  const queueUrls = await createResources(clients);
  const services: EmbeddedServices = {
    clients,
    queueUrls,
    clock: options.clock ?? new Date('2026-12-01T10:00:00Z'),
    deps: undefined as unknown as JudgeDeps,
    async drop(siret, type, name, body) {
      const key = `${PREFIXES.deposit}${siret}/${type}/${name}`;
      const put = await clients.s3.send(
        new PutObjectCommand({ Bucket: BUCKETS.input, Key: key, Body: body }),
      );
      return {
        eventName: 'ObjectCreated:Put',
        eventTime: services.clock.toISOString(),
        s3: {
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/'),
            size: Buffer.byteLength(body),
            eTag: put.ETag,
          },
        },
      };
    },
    async output(key) {
      const response = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKETS.output, Key: key }));
      return (await response.Body?.transformToString()) ?? '';
    },
    async receiveAll(url) {
      const messages: unknown[] = [];
      for (;;) {
        const response = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (!response.Messages?.length) return messages;
        for (const message of response.Messages) messages.push(JSON.parse(message.Body ?? '{}'));
      }
    },
    async putReferentiel(body) {
      await clients.s3.send(
        new PutObjectCommand({ Bucket: BUCKETS.input, Key: PREFIXES.referentiel, Body: body }),
      );
    },
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await Promise.all([aws.stop(), dynamo.stop()]);
    },
  };
  (services as { deps: JudgeDeps }).deps = {
    store: new DynamoStateStore(clients.dynamo),
    objects: new S3ObjectStore(clients.s3, BUCKETS.input, BUCKETS.output),
    queues: new SqsWorkQueues(clients.sqs, queueUrls.judge.url, queueUrls.results.url),
    referentiel: new S3ReferentielSource(clients.s3, BUCKETS.input, 0),
    logger: createLogger('test', {}, () => undefined),
    now: () => services.clock,
    leaseSeconds: 240,
  };
  const referentiel = options.referentiel === undefined ? sampleReferentielBytes() : options.referentiel;
  if (referentiel !== null) await services.putReferentiel(referentiel);
  return services;
}
