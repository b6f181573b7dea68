import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JudgeRequest, WorkQueues } from '../pipeline/ports';
import type { ResultMessage } from '../pipeline/result-message';

/** The judge requests and the results, as SQS messages. */
export class SqsWorkQueues implements WorkQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly judgeQueueUrl: string,
    private readonly resultsQueueUrl: string,
  ) {}

  async sendJudgeRequest(request: JudgeRequest): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.judgeQueueUrl, MessageBody: JSON.stringify(request) }),
    );
  }

  async sendResult(result: ResultMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.resultsQueueUrl,
        MessageBody: JSON.stringify(result),
        MessageAttributes: { siret: { DataType: 'String', StringValue: result.siret } },
      }),
    );
  }
}
