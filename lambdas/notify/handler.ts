import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDepositJournal } from '../../shared/adapters/dynamo-deposit-journal';
import { PresignedLinkSigner } from '../../shared/adapters/presigned-links';
import { s3ClientFromEnvironment } from '../../shared/adapters/s3-client';
import { SnsResultPublisher } from '../../shared/adapters/sns-result-publisher';
import { requireEnv } from '../../shared/config/env';
import { ENV, linkExpiryHours, SERVICES } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { traced } from '../../shared/observability/tracer';
import { publishResult } from '../../shared/pipeline/publish-result';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { readTopicArn } from '../common/config';
import { sqsBatchHandler } from '../common/sqs-batch';

/** Results queue → one French email per outcome, then its record for the operators (`shared/pipeline/publish-result.ts`). */
const logger = createLogger(SERVICES.notify);
const deps = {
  publisher: new SnsResultPublisher(traced(new SNSClient({})), readTopicArn(process.env)),
  links: new PresignedLinkSigner(
    traced(s3ClientFromEnvironment()),
    linkExpiryHours(process.env[ENV.linkExpiryHours]),
  ),
  journal: new DynamoDepositJournal(traced(new DynamoDBClient({})), requireEnv(process.env, ENV.table)),
  logger,
  now: () => new Date(),
};

export const handler = sqsBatchHandler(logger, 'publication impossible', async (record) => {
  await publishResult(deps, JSON.parse(record.body) as ResultMessage);
});
