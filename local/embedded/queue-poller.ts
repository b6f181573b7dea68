import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * An SQS event source mapping, as Lambda runs it: receive a batch, invoke the real handler with a
 * real-shaped SQS event, delete what succeeded, leave what failed (partial batch failures) to come
 * back and, after the queue's maxReceiveCount, to land in its dead-letter queue (the emulator's
 * redrive). One local choice: a failed message comes back after `retryDelaySeconds` rather than after
 * the queue's full visibility timeout, so that a local run ends in seconds, not in minutes.
 */
export type SqsHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse | undefined>;

export interface PollerOptions {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly retryDelaySeconds: number;
  readonly onError: (error: unknown) => void;
  /** The function's name in the invocation context (its logs carry it, with a request id). */
  readonly functionName?: string;
}

export class QueuePoller {
  private running = false;
  private loop: Promise<void> | undefined;
  /** Messages received and not yet settled: the stack is idle only when every poller is at 0. */
  inFlight = 0;
  invocations = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly handler: SqsHandler,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const { Messages } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: this.options.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (!Messages || Messages.length === 0) continue;
        this.inFlight += Messages.length;
        try {
          await this.invoke(Messages);
        } finally {
          this.inFlight -= Messages.length;
        }
      } catch (error) {
        if (this.running) this.options.onError(error);
      }
    }
  }

  private async invoke(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => this.record(message)) };
    let failed: Set<string>;
    this.invocations++;
    try {
      const response = await this.handler(event, lambdaContext(this.options.functionName ?? 'local'));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A handler that throws fails its whole batch, as on Lambda.
      this.options.onError(error);
      failed = new Set(messages.map((message) => message.MessageId as string));
    }
    const succeeded = messages.filter((message) => !failed.has(message.MessageId as string));
    if (succeeded.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: succeeded.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
    for (const message of messages.filter((candidate) => failed.has(candidate.MessageId as string))) {
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: this.options.retryDelaySeconds,
        }),
      );
    }
  }

  private record(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId as string,
      receiptHandle: message.ReceiptHandle as string,
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          {
            stringValue: value.StringValue,
            dataType: value.DataType ?? 'String',
            stringListValues: [],
            binaryListValues: [],
          },
        ]),
      ),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: 'us-east-1',
    };
  }
}

/** The invocation context Lambda passes: what the functions' logs read from it (request id, name, memory). */
export function lambdaContext(functionName: string): Context {
  const fail = () => {
    throw new Error('callbacks de contexte non prises en charge localement');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: fail,
    fail,
    succeed: fail,
  };
}
