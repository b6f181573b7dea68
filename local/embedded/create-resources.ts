import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  BUCKETS,
  deadLetterQueueName,
  QUEUES,
  TABLE,
  visibilityTimeoutSeconds,
} from '../../shared/config/resources';

/**
 * The embedded stack's buckets, queues and table, from the same list and settings as the CDK stack
 * (shared/config/resources.ts): one source of truth for names, not two.
 */
export async function createResources(clients: { s3: S3Client; sqs: SQSClient; dynamo: DynamoDBClient }) {
  for (const bucket of Object.values(BUCKETS))
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queueUrls: Record<string, { url: string; dlqUrl: string }> = {};
  for (const [id, queue] of Object.entries(QUEUES)) {
    const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: deadLetterQueueName(queue) }));
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${deadLetterQueueName(queue)}`;
    const main = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: queue.name,
        Attributes: {
          VisibilityTimeout: String(visibilityTimeoutSeconds(queue)),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: queue.maxReceiveCount,
          }),
        },
      }),
    );
    queueUrls[id] = { url: main.QueueUrl as string, dlqUrl: dlq.QueueUrl as string };
  }
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: TABLE.name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE.pendingIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.pendingIndex.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE.pendingIndex.name,
          KeySchema: [
            { AttributeName: TABLE.pendingIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.pendingIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  return queueUrls as Record<keyof typeof QUEUES, { url: string; dlqUrl: string }>;
}
