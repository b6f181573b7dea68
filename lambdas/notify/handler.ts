import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TOPIC } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { notificationEmail } from '../../shared/pipeline/notification-email';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { readTopicArn } from '../common/config';

/** Results queue → one French email per judgement, with the `siret` attribute for vendors' filters. */
const topicArn = readTopicArn(process.env);
const sns = new SNSClient({});
const logger = createLogger('notify');

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const result = JSON.parse(record.body) as ResultMessage;
      const email = notificationEmail(result);
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: email.subject,
          Message: email.body,
          MessageAttributes: { [TOPIC.siretAttribute]: { DataType: 'String', StringValue: result.siret } },
        }),
      );
      logger.info('courriel publié', { submissionId: result.submissionId, siret: result.siret });
    } catch (error) {
      logger.error('publication impossible', { messageId: record.messageId, error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
