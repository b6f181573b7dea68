import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Upload } from '@aws-sdk/lib-storage';
import type { SQSEvent } from 'aws-lambda';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { seededRandom } from '../../shared/adapters/fault-injection';
import { createS3Client } from '../../shared/adapters/s3-client';
import { BUCKETS, ENV, PREFIXES, QUEUES, TOPIC } from '../../shared/config/resources';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { localPathFor, writeLocalCopy } from '../local-copy';
import { PART_BYTES } from '../s3-etag';
import type { ChildServer } from './child-server';
import { createResources, type LocalQueue } from './create-resources';
import { ExternalWriteNotifier } from './external-writes';
import { type Recipient, writeMail } from './mailbox';
import { lambdaContext, QueuePoller, type SqsHandler } from './queue-poller';
import { type Recovery, reconcileAfterRestart } from './reconcile';
import { isNotified, objectCreatedEvent, testEvent } from './s3-events';
import { startDynalite } from './start-dynalite';
import { type EmbeddedAws, startFauxqs } from './start-fauxqs';
import type { FunctionName } from './synthesized-functions';

/**
 * The whole pipeline on one machine: fauxqs (S3, SQS, SNS) and dynalite (DynamoDB) over loopback
 * HTTP, the resources of shared/config/resources.ts, and the real handlers of lambdas/ run by a
 * small local runtime that does what AWS does and the emulators do not: S3 event notifications,
 * SQS event source mappings, the sweeper's schedule, and email delivery (as .eml files).
 */
export interface EmbeddedOptions {
  /** Where the mails are written (<outDir>/mail/). */
  readonly outDir: string;
  /** Grace period before a submission is judged with what is there. */
  readonly graceSeconds: number;
  readonly sweepEverySeconds: number;
  /** Delay before a failed message is seen again (instead of the queue's full visibility timeout). */
  readonly retryDelaySeconds: number;
  readonly recipients: readonly Recipient[];
  /**
   * Also write each verdict to its vendor's mailbox, `editeur-<SIRET>@localhost`, whatever the
   * SIRET (`demarrer`: vendors come and go while it runs; on AWS, each vendor's subscription).
   */
  readonly vendorMailboxes?: boolean;
  /** Concurrent judge instances (Lambda's concurrency); 4 by default. */
  readonly judgeConcurrency?: number;
  /**
   * Deliver like AWS (`--chaos`): each S3 event late (up to 1.5 s), so out of order, and 30 % of
   * them twice; several intake and judge invocations at once; DynamoDB throttling now and then and
   * batch reads half answered. The verdicts must be the same as without, apart from which of two
   * competing files wins a number.
   */
  readonly chaos?: boolean;
  /** The seed of the chaos (for a run to be repeated); the clock by default. */
  readonly chaosSeed?: number;
  /**
   * Where the state is kept (`--state`): DynamoDB's data (LevelDB) and the buckets' objects, so
   * that a restart loses neither the deposits, the outputs, the numeroASP sequences nor the
   * registries. Absent: everything in memory.
   */
  readonly stateDir?: string;
  /**
   * Handler modules to run instead of lambdas/<name>/handler.ts: the bundles `cdk synth` makes
   * (the artefacts AWS runs), for the smoke test of the bundled functions.
   */
  readonly handlerModules?: Partial<Record<FunctionName, string>>;
  /**
   * Announce objects other clients write under depot/ (a vendor's `deposer --endpoint`), as S3's
   * notification would: `demarrer` does, a batch `traiter` uploads everything itself.
   */
  readonly notifyExternalWrites?: boolean;
  /** Wraps the real handlers (tests inject faults through it). */
  readonly wrapHandler?: (name: 'intake' | 'judge' | 'notify', handler: SqsHandler) => SqsHandler;
  readonly log?: (line: string) => void;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

export class EmbeddedStack {
  readonly results: ResultMessage[] = [];
  readonly faults: string[] = [];
  /** What a restart on a kept state put right (nothing without --state). */
  recovery: Recovery | undefined;
  private readonly pollers: QueuePoller[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private externalWrites: ExternalWriteNotifier | undefined;
  private mails = 0;
  /** S3 events waiting for their late delivery (--chaos): work the stack still has to do. */
  private scheduledEvents = 0;
  private readonly chaosRandom: () => number;

  private constructor(
    private readonly aws: EmbeddedAws,
    private readonly dynamo: { endpoint: string; stop(): Promise<void> },
    readonly clients: { s3: S3Client; sqs: SQSClient; sns: SNSClient; dynamo: DynamoDBClient },
    readonly queues: Record<keyof typeof QUEUES, LocalQueue> & { mailQueueUrl?: string },
    readonly store: DynamoStateStore,
    private readonly options: EmbeddedOptions,
  ) {
    this.chaosRandom = seededRandom((options.chaosSeed ?? Date.now()) + 1);
  }

  get endpoints(): { aws: string; dynamodb: string } {
    return { aws: this.aws.endpoint, dynamodb: this.dynamo.endpoint };
  }

  /**
   * Starts the emulators, then the stack on them. A start that fails midway (a kept state they
   * cannot serve) stops what it started: emulators left running would keep the process alive for
   * ever after its error was told.
   */
  static async start(options: EmbeddedOptions): Promise<EmbeddedStack> {
    const stateDir = options.stateDir;
    if (stateDir) await mkdir(stateDir, { recursive: true });
    const started = await Promise.allSettled([
      startFauxqs({ s3StateDir: stateDir ? join(stateDir, 's3') : undefined }),
      startDynalite(stateDir ? join(stateDir, 'dynamodb') : undefined),
    ]);
    const servers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      await Promise.all(servers.map((server) => server.stop()));
      throw failure.reason;
    }
    const [aws, dynamo] = servers as [ChildServer, ChildServer];
    try {
      return await EmbeddedStack.startOn(aws, dynamo, options);
    } catch (error) {
      await Promise.all([aws.stop(), dynamo.stop()]);
      throw error;
    }
  }

  private static async startOn(
    aws: ChildServer,
    dynamo: ChildServer,
    options: EmbeddedOptions,
  ): Promise<EmbeddedStack> {
    const stateDir = options.stateDir;
    const clients = {
      s3: createS3Client({ endpoint: aws.endpoint, region: REGION, credentials: CREDENTIALS }),
      sqs: new SQSClient({ endpoint: aws.endpoint, region: REGION, credentials: CREDENTIALS }),
      sns: new SNSClient({ endpoint: aws.endpoint, region: REGION, credentials: CREDENTIALS }),
      dynamo: new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: CREDENTIALS }),
    };
    const queues = await createResources(clients);
    // The handlers read their configuration from the environment, as on Lambda; the SDK takes the
    // endpoints from AWS_ENDPOINT_URL_<SERVICE>.
    Object.assign(process.env, {
      [ENV.inputBucket]: BUCKETS.input,
      [ENV.outputBucket]: BUCKETS.output,
      [ENV.table]: 'segur-state',
      [ENV.judgeQueueUrl]: queues.judge.url,
      [ENV.resultsQueueUrl]: queues.results.url,
      [ENV.topicArn]: queues.topicArn,
      [ENV.gracePeriodMinutes]: String(options.graceSeconds / 60),
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_S3: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: aws.endpoint,
      AWS_ENDPOINT_URL_SNS: aws.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      SEGUR_S3_FORCE_PATH_STYLE: 'true',
    });
    // Read by the handlers' DynamoDB clients when they load (pipelineDeps): faults injected.
    if (options.chaos) process.env.SEGUR_CHAOS_SEED = String(options.chaosSeed ?? Date.now());
    else delete process.env.SEGUR_CHAOS_SEED;
    const stack = new EmbeddedStack(
      aws,
      dynamo,
      clients,
      queues,
      new DynamoStateStore(clients.dynamo),
      options,
    );
    try {
      stack.startRuntime();
      // After a crash on a kept state: what was in flight is done again (reconcile.ts).
      if (stateDir)
        stack.recovery = await reconcileAfterRestart({
          s3: clients.s3,
          dynamo: clients.dynamo,
          deliver: (event) => stack.deliver(event),
          sendJudgeRequest: async (request) => {
            await clients.sqs.send(
              new SendMessageCommand({ QueueUrl: queues.judge.url, MessageBody: JSON.stringify(request) }),
            );
          },
        });
      if (options.notifyExternalWrites) {
        stack.externalWrites = new ExternalWriteNotifier(
          clients.s3,
          BUCKETS.input,
          (event) => stack.deliver(event),
          (error) => stack.faults.push(error instanceof Error ? error.message : String(error)),
        );
        await stack.externalWrites.start();
      }
      // As S3 does when a notification is configured.
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.intake.url,
          MessageBody: JSON.stringify(testEvent(BUCKETS.input)),
        }),
      );
    } catch (error) {
      // Its pollers and timers too: the process must be free to exit once the error is told.
      await stack.stop().catch(() => undefined);
      throw error;
    }
    return stack;
  }

  private startRuntime(): void {
    // Loaded only now: the handler modules read the environment set above when they load.
    const bundles = this.options.handlerModules ?? {};
    const load = <T>(name: FunctionName, source: () => T): T =>
      bundles[name] ? (require(bundles[name]) as T) : source();
    const intake = load('intake', () =>
      require('../../lambdas/intake/handler'),
    ) as typeof import('../../lambdas/intake/handler');
    const judge = load('judge', () =>
      require('../../lambdas/judge/handler'),
    ) as typeof import('../../lambdas/judge/handler');
    const notify = load('notify', () =>
      require('../../lambdas/notify/handler'),
    ) as typeof import('../../lambdas/notify/handler');
    const sweeper = load('sweeper', () =>
      require('../../lambdas/sweeper/handler'),
    ) as typeof import('../../lambdas/sweeper/handler');
    const wrap = this.options.wrapHandler ?? ((_name, handler) => handler);
    const onError = (error: unknown) =>
      this.faults.push(error instanceof Error ? error.message : String(error));
    const observeResults: SqsHandler = async (event, context) => {
      const response = await notify.handler(event, context);
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      for (const record of event.Records)
        if (!failed.has(record.messageId)) this.results.push(JSON.parse(record.body));
      return response;
    };
    // [queue, handler, pollers]: several pollers on a queue are Lambda's concurrent instances.
    // Fewer than on AWS (shared/config/resources.ts: maxConcurrency) on a 2-core machine, more with --chaos.
    const chaos = this.options.chaos === true;
    const mappings: Array<[keyof typeof QUEUES, SqsHandler, number]> = [
      ['intake', wrap('intake', intake.handler), chaos ? 4 : 2],
      ['judge', wrap('judge', judge.handler), this.options.judgeConcurrency ?? (chaos ? 8 : 4)],
      ['results', wrap('notify', observeResults), chaos ? 2 : 1],
    ];
    for (const [id, handler, count] of mappings) {
      const queue = this.queues[id];
      for (let instance = 0; instance < count; instance++) {
        this.pollers.push(
          new QueuePoller(this.clients.sqs, handler, {
            queueUrl: queue.url,
            queueArn: queue.arn,
            batchSize: QUEUES[id].batchSize,
            retryDelaySeconds: this.options.retryDelaySeconds,
            onError,
            functionName: `segur-${QUEUES[id].consumer}`,
          }),
        );
      }
    }
    if (this.queues.mailQueueUrl) {
      this.pollers.push(
        new QueuePoller(this.clients.sqs, (event: SQSEvent) => this.deliverMail(event), {
          queueUrl: this.queues.mailQueueUrl,
          queueArn: 'arn:aws:sqs:us-east-1:000000000000:segur-local-mail',
          batchSize: 10,
          retryDelaySeconds: this.options.retryDelaySeconds,
          onError,
        }),
      );
    }
    for (const poller of this.pollers) poller.start();
    this.sweep = () => sweeper.handler(undefined, lambdaContext('segur-sweeper')).then(() => undefined);
    // The EventBridge schedule of the stack; 0 leaves sweeping to sweepNow() (batch runs).
    if (this.options.sweepEverySeconds > 0) {
      this.sweepTimer = setInterval(() => {
        sweeper.handler(undefined, lambdaContext('segur-sweeper')).catch(onError);
      }, this.options.sweepEverySeconds * 1000);
    }
  }

  private sweep: () => Promise<void> = async () => undefined;

  /** Runs the sweeper now, as its schedule would. */
  async sweepNow(): Promise<void> {
    await this.sweep();
  }

  private async deliverMail(event: SQSEvent): Promise<undefined> {
    for (const record of event.Records) {
      const envelope = JSON.parse(record.body) as {
        Subject?: string;
        Message: string;
        MessageAttributes?: Record<string, { Value: string }>;
      };
      const siret = envelope.MessageAttributes?.siret?.Value;
      const vendor =
        this.options.vendorMailboxes && siret && /^\d{14}$/.test(siret)
          ? [{ email: `editeur-${siret}@localhost`, siret }]
          : [];
      for (const recipient of [...this.options.recipients, ...vendor]) {
        if (recipient.siret && recipient.siret !== siret) continue;
        this.mails++;
        await writeMail(
          join(this.options.outDir, 'mail'),
          this.mails,
          recipient.email,
          envelope.Subject ?? '',
          { text: envelope.Message, html: envelope.MessageAttributes?.[TOPIC.htmlAttribute]?.Value },
          siret,
        );
      }
      // Recorded once written: after a crash, a judged submission whose email never went out has
      // its verdict sent again (reconcile.ts).
      const submission = envelope.MessageAttributes?.[TOPIC.submissionAttribute]?.Value;
      if (submission) await this.store.markNotified(submission, new Date().toISOString());
    }
    return undefined;
  }

  /** Uploads a local file by streaming it (a 200 Mo zip never sits in memory whole). */
  async uploadFile(key: string, path: string): Promise<ReturnType<typeof objectCreatedEvent> | undefined> {
    const { size } = await stat(path);
    return this.upload(key, createReadStream(path), size);
  }

  /** Uploads a file under its S3 key and emits the S3 event AWS would send for it (returned). */
  async upload(
    key: string,
    body: Uint8Array | Readable,
    size = (body as Uint8Array).length,
  ): Promise<ReturnType<typeof objectCreatedEvent> | undefined> {
    const event = await this.storeObject(key, body, size);
    if (!event) return undefined;
    if (this.options.chaos) {
      this.deliverLate(event);
      // At least once: now and then the same event twice.
      if (this.chaosRandom() < 0.3) this.deliverLate(event);
    } else {
      await this.deliver(event);
    }
    return event;
  }

  /** Uploads a file without emitting its event: the test delivers it when and how it likes. */
  async storeObject(
    key: string,
    body: Uint8Array | Readable,
    size = (body as Uint8Array).length,
  ): Promise<ReturnType<typeof objectCreatedEvent> | undefined> {
    // Multipart above PART_BYTES (8 MiB), as a real client would (the embedded S3 takes 11 MiB per request).
    const upload = new Upload({
      client: this.clients.s3,
      params: { Bucket: BUCKETS.input, Key: key, Body: body },
      partSize: PART_BYTES,
    });
    this.externalWrites?.beginOwnWrite(key);
    let eTag: string | undefined;
    try {
      eTag = (await upload.done()).ETag;
    } finally {
      this.externalWrites?.endOwnWrite(key, eTag);
    }
    if (!isNotified(key)) return undefined;
    return objectCreatedEvent(BUCKETS.input, { key, size, eTag });
  }

  /** Sends an S3 event to the intake queue, as S3's notification does. */
  async deliver(event: ReturnType<typeof objectCreatedEvent>): Promise<void> {
    await this.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queues.intake.url, MessageBody: JSON.stringify(event) }),
    );
  }

  private deliverLate(event: ReturnType<typeof objectCreatedEvent>): void {
    this.scheduledEvents++;
    setTimeout(() => {
      this.deliver(event)
        .catch((error) => this.faults.push(error instanceof Error ? error.message : String(error)))
        .finally(() => {
          this.scheduledEvents--;
        });
    }, this.chaosRandom() * 1500);
  }

  /** Whether the input bucket holds `key` with this ETag already (a file kept in the state). */
  async holdsIdentical(key: string, etag: string): Promise<boolean> {
    try {
      const head = await this.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKETS.input, Key: key }));
      return head.ETag?.replace(/"/g, '') === etag;
    } catch {
      return false;
    }
  }

  /** Whether a référentiel is published (kept in the state, or put by this run). */
  async hasReferentiel(): Promise<boolean> {
    try {
      await this.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKETS.input, Key: PREFIXES.referentiel }));
      return true;
    } catch {
      return false;
    }
  }

  async putReferentiel(body: Uint8Array): Promise<void> {
    await this.clients.s3.send(
      new PutObjectCommand({ Bucket: BUCKETS.input, Key: PREFIXES.referentiel, Body: body }),
    );
  }

  /** Messages waiting or in flight in the three work queues, and in the pollers' hands. */
  async pendingWork(): Promise<number> {
    let pending = this.scheduledEvents + this.pollers.reduce((sum, poller) => sum + poller.inFlight, 0);
    for (const id of Object.keys(QUEUES) as Array<keyof typeof QUEUES>)
      pending += await this.count(this.queues[id].url);
    if (this.queues.mailQueueUrl) pending += await this.count(this.queues.mailQueueUrl);
    return pending;
  }

  async deadLetters(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const id of Object.keys(QUEUES) as Array<keyof typeof QUEUES>)
      counts[id] = await this.count(this.queues[id].dlqUrl);
    return counts;
  }

  private async count(url: string): Promise<number> {
    const { Attributes } = await this.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /**
   * Copies retour/ of the output bucket into `dir`, keeping the key layout. Returns the keys copied;
   * a key that cannot be copied is put in `failures` (when given) and the others are still copied.
   */
  async mirrorOutputs(dir: string, failures?: Array<{ key: string; reason: string }>): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.clients.s3.send(
        new ListObjectsV2Command({
          Bucket: BUCKETS.output,
          Prefix: PREFIXES.output,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const listed = object.Key as string;
        try {
          const target = localPathFor(dir, listed);
          if (!target.ok) throw new Error(target.reason);
          const { key, bytes } = await this.readOutput(listed);
          // Never over a different local file: the new version goes beside it (local-copy.ts).
          const outcome = await writeLocalCopy(dir, key, bytes);
          if (outcome.status === 'skipped') throw new Error(outcome.reason);
          keys.push(key);
        } catch (error) {
          if (!failures) throw error;
          failures.push({ key: listed, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  /**
   * An output by its listed key. XML turns a carriage return of a key into a line feed (the
   * emulator does not URL-encode listings), so a key with a line feed is also tried with CR and CRLF.
   */
  private async readOutput(listed: string): Promise<{ key: string; bytes: Uint8Array }> {
    const candidates = listed.includes('\n')
      ? [listed, listed.replace(/\n/g, '\r'), listed.replace(/\n/g, '\r\n')]
      : [listed];
    let lastError: unknown;
    for (const key of candidates) {
      try {
        const response = await this.clients.s3.send(
          new GetObjectCommand({ Bucket: BUCKETS.output, Key: key }),
        );
        const body = response.Body as { transformToByteArray(): Promise<Uint8Array> };
        return { key, bytes: await body.transformToByteArray() };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.externalWrites?.stop();
    await Promise.all(this.pollers.map((poller) => poller.stop()));
    for (const client of Object.values(this.clients)) client.destroy();
    await Promise.all([this.aws.stop(), this.dynamo.stop()]);
  }
}
