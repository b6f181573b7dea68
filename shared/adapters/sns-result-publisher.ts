import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TOPIC } from '../config/resources';
import type { PublishedResult, ResultPublisher } from '../pipeline/ports';

/**
 * SNS email subscriptions deliver plain text only: the text is the message; the HTML alternative
 * travels as the `html` message attribute, for a subscriber that renders it (the embedded mailbox
 * writes both as multipart/alternative; on AWS, an SES relay subscribed through SQS would). The
 * `siret` attribute is what each vendor's subscription filters on.
 */
export class SnsResultPublisher implements ResultPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(result: PublishedResult): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: result.subject,
        Message: result.text,
        MessageAttributes: {
          [TOPIC.siretAttribute]: { DataType: 'String', StringValue: result.siret },
          [TOPIC.submissionAttribute]: { DataType: 'String', StringValue: result.submissionId },
          ...(result.html ? { [TOPIC.htmlAttribute]: { DataType: 'String', StringValue: result.html } } : {}),
        },
      }),
    );
  }
}
