import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_MESSAGE_BYTES } from '../config/resources';
import type { JudgeRequest, WorkQueues } from '../pipeline/ports';
import { fitResultMessage, type ResultMessage } from '../pipeline/result-message';

/** The judge requests and the results, as SQS messages. */
export class SqsWorkQueues implements WorkQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly judgeQueueUrl: string,
    private readonly resultsQueueUrl: string,
  ) {}

  async sendJudgeRequest(request: JudgeRequest): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.judgeQueueUrl, MessageBody: sqsBody(request) }),
    );
  }

  async sendResult(result: ResultMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.resultsQueueUrl,
        MessageBody: sqsBody(fitResultMessage(result, MAX_MESSAGE_BYTES)),
        MessageAttributes: { siret: { DataType: 'String', StringValue: result.siret } },
      }),
    );
  }
}

/**
 * JSON that SQS accepts: JSON.stringify escapes control characters and lone surrogates but leaves
 * U+FFFE and U+FFFF raw, which SQS refuses, and characters beyond U+FFFF (an emoji in a file name),
 * which the embedded SQS refuses; written as \u escapes, the JSON means exactly the same.
 */
function sqsBody(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\uFFFE\uFFFF\uD800-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
