import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { chaosFaults, injectDynamoFaults } from '../../shared/adapters/fault-injection';
import { S3ObjectStore, S3ReferentielSource } from '../../shared/adapters/s3-object-store';
import { SqsWorkQueues } from '../../shared/adapters/sqs-work-queues';
import type { PipelineConfig } from './config';

/** The adapters of the processing functions, built once per container from the configuration. */
export function pipelineDeps(
  config: PipelineConfig,
  // The embedded stack sets SEGUR_S3_FORCE_PATH_STYLE and AWS_ENDPOINT_URL_SQS: its S3 needs path-style
  // addressing and its queue URLs do not route. On AWS neither is set and the defaults apply.
  clients = {
    s3: new S3Client({ forcePathStyle: process.env.SEGUR_S3_FORCE_PATH_STYLE === 'true' }),
    sqs: new SQSClient(process.env.AWS_ENDPOINT_URL_SQS ? { useQueueUrlAsEndpoint: false } : {}),
    dynamo: new DynamoDBClient({}),
  },
) {
  // The embedded stack's --chaos only: throttling and unprocessed batch items, as DynamoDB under load.
  const chaosSeed = process.env.SEGUR_CHAOS_SEED;
  if (chaosSeed) injectDynamoFaults(clients.dynamo, chaosFaults(Number(chaosSeed)));
  return {
    store: new DynamoStateStore(clients.dynamo, config.table),
    objects: new S3ObjectStore(clients.s3, config.inputBucket, config.outputBucket),
    queues: new SqsWorkQueues(clients.sqs, config.judgeQueueUrl, config.resultsQueueUrl),
    referentiel: new S3ReferentielSource(clients.s3, config.inputBucket),
  };
}
