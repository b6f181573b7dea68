import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { presignedLinks } from '../../shared/adapters/presigned-links';
import { ENV, linkExpiryHours, SERVICES, TOPIC } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { notificationEmail, type OutputLinks } from '../../shared/pipeline/notification-email';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { readTopicArn } from '../common/config';
import { sqsBatchHandler } from '../common/sqs-batch';

/**
 * Results queue → one French email per outcome, with the `siret` attribute for vendors' filters.
 * SNS email subscriptions deliver plain text only: the text is the message; the HTML alternative
 * travels as the `html` message attribute, for a subscriber that renders it (the embedded mailbox
 * writes both as multipart/alternative; on AWS, an SES relay subscribed through SQS would).
 */
const topicArn = readTopicArn(process.env);
const expiryHours = linkExpiryHours(process.env[ENV.linkExpiryHours]);
const sns = new SNSClient({});
const s3 = new S3Client({ forcePathStyle: process.env.SEGUR_S3_FORCE_PATH_STYLE === 'true' });
const logger = createLogger(SERVICES.notify);

/** SNS counts attributes in its 256 KiB: an HTML larger than this is left out (the text has it all). */
const MAX_HTML_BYTES = 96 * 1024;

export const handler = sqsBatchHandler(logger, 'publication impossible', async (record) => {
  const result = JSON.parse(record.body) as ResultMessage;
  const email = notificationEmail(result, await linksFor(result));
  const html = Buffer.byteLength(email.html) <= MAX_HTML_BYTES ? email.html : undefined;
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: email.subject,
      Message: email.text,
      MessageAttributes: {
        [TOPIC.siretAttribute]: { DataType: 'String', StringValue: result.siret },
        [TOPIC.submissionAttribute]: { DataType: 'String', StringValue: result.submissionId },
        ...(html ? { [TOPIC.htmlAttribute]: { DataType: 'String', StringValue: html } } : {}),
      },
    }),
  );
  logger.info('courriel publié', { submissionId: result.submissionId, siret: result.siret });
});

/** Links that expire; without them (signing failed) the email still gives the paths. */
async function linksFor(result: ResultMessage): Promise<OutputLinks> {
  try {
    const { annotated, reportHtml, reportJson } = result.outputs;
    return await presignedLinks(s3, [annotated, reportHtml, reportJson], expiryHours, new Date());
  } catch (error) {
    logger.warn('liens non signés : le courriel donne les chemins seuls', { error });
    return new Map();
  }
}
