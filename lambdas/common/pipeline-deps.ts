import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { chaosFaults, injectDynamoFaults } from '../../shared/adapters/fault-injection';
import { s3ClientFromEnvironment } from '../../shared/adapters/s3-client';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { SqsWorkQueues } from '../../shared/adapters/sqs-work-queues';
import { DynamoSubmissions } from '../../shared/adapters/state/dynamo-submissions';
import { DynamoWaitingList } from '../../shared/adapters/state/dynamo-waiting-list';
import { StateTable } from '../../shared/adapters/state/state-table';
import { traced } from '../../shared/observability/tracer';
import type { PipelineConfig } from './config';

/**
 * The adapters of the processing functions, one builder each, built once per container, their
 * clients traced (X-Ray, when the stack turns it on): a
 * function imports only what it uses, so that its bundle carries only those clients (the sweeper
 * has no S3 client). The référentiel's source is the judge's own: its validation (yup) would
 * otherwise be bundled into every function, a module with side effects is never shaken off.
 *
 * The embedded stack sets SEGUR_S3_FORCE_PATH_STYLE and AWS_ENDPOINT_URL_SQS: its S3 needs
 * path-style addressing and its queue URLs do not route. On AWS neither is set and the defaults apply.
 */
export function s3Client(): S3Client {
  return traced(s3ClientFromEnvironment());
}

export function workQueues(config: PipelineConfig): SqsWorkQueues {
  const sqs = traced(new SQSClient(process.env.AWS_ENDPOINT_URL_SQS ? { useQueueUrlAsEndpoint: false } : {}));
  return new SqsWorkQueues(sqs, config.judgeQueueUrl, config.resultsQueueUrl);
}

function dynamoClient(): DynamoDBClient {
  const dynamo = traced(new DynamoDBClient({}));
  // The embedded stack's --chaos only: throttling and unprocessed batch items, as DynamoDB under load.
  const chaosSeed = process.env.SEGUR_CHAOS_SEED;
  if (chaosSeed) injectDynamoFaults(dynamo, chaosFaults(Number(chaosSeed)));
  return dynamo;
}

/** The whole state store: the judge's (submissions, leases, registry, avances). */
export function stateStore(config: PipelineConfig): DynamoStateStore {
  return new DynamoStateStore(dynamoClient(), config.table);
}

/** The intake's part: submissions and their arrivals. */
export function submissionStore(config: PipelineConfig): DynamoSubmissions {
  return new DynamoSubmissions(new StateTable(dynamoClient(), config.table));
}

/** The sweeper's part: the waiting index. */
export function waitingList(config: PipelineConfig): DynamoWaitingList {
  return new DynamoWaitingList(new StateTable(dynamoClient(), config.table));
}

export function objectStore(config: PipelineConfig, s3: S3Client): S3ObjectStore {
  return new S3ObjectStore(s3, config.inputBucket, config.outputBucket);
}
