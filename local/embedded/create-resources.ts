import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  BUCKETS,
  deadLetterQueueName,
  MAX_MESSAGE_BYTES,
  QUEUES,
  TABLE,
  TOPIC,
  visibilityTimeoutSeconds,
} from '../../shared/config/resources';

export interface LocalQueue {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

/** Where the embedded stack's "emails" arrive: a queue subscribed to the topic (fauxqs delivers SNS to SQS only). */
const MAIL_QUEUE = 'segur-local-mail';

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn as string;
}

/**
 * The embedded stack's buckets, queues and table, from the same list and settings as the CDK stack
 * (shared/config/resources.ts): one source of truth for names, not two.
 */
export async function createResources(clients: {
  s3: S3Client;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  sns?: SNSClient;
}) {
  for (const bucket of Object.values(BUCKETS))
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queues: Record<string, LocalQueue> = {};
  for (const [id, queue] of Object.entries(QUEUES)) {
    const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: deadLetterQueueName(queue) }));
    const dlqArn = await queueArn(clients.sqs, dlq.QueueUrl as string);
    const main = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: queue.name,
        Attributes: {
          VisibilityTimeout: String(visibilityTimeoutSeconds(queue)),
          // The CDK stack's limit (256 KiB), not the emulator's 1 MiB: what is too big fails here too.
          MaximumMessageSize: String(MAX_MESSAGE_BYTES),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: String(queue.maxReceiveCount),
          }),
        },
      }),
    );
    queues[id] = {
      url: main.QueueUrl as string,
      arn: await queueArn(clients.sqs, main.QueueUrl as string),
      dlqUrl: dlq.QueueUrl as string,
      dlqArn,
    };
  }
  await createStateTable(clients.dynamo);
  let topicArn: string | undefined;
  let mailQueueUrl: string | undefined;
  if (clients.sns) {
    topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: TOPIC.name }))).TopicArn as string;
    mailQueueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: MAIL_QUEUE })))
      .QueueUrl as string;
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: await queueArn(clients.sqs, mailQueueUrl),
      }),
    );
  }
  return { ...(queues as Record<keyof typeof QUEUES, LocalQueue>), topicArn, mailQueueUrl };
}

/** The state table with its waiting index, as the CDK stack's State construct makes it. */
export async function createStateTable(dynamo: DynamoDBClient): Promise<void> {
  // Kept from an earlier run (--state): the table and its data are already there.
  const existing = await dynamo.send(new ListTablesCommand({})).catch(() => undefined);
  if (existing?.TableNames?.includes(TABLE.name)) return untilActive(dynamo);
  await dynamo.send(
    new CreateTableCommand({
      TableName: TABLE.name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE.pendingIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.pendingIndex.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE.dayIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.dayIndex.sortKey, AttributeType: 'S' },
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
        {
          IndexName: TABLE.dayIndex.name,
          KeySchema: [
            { AttributeName: TABLE.dayIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.dayIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await untilActive(dynamo);
}

/**
 * A new table answers only once ACTIVE: dynalite writes it CREATING and makes it active on a timer,
 * so a request sent at once may meet ResourceNotFoundException (seen in a test on Node 24).
 */
async function untilActive(dynamo: DynamoDBClient): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: TABLE.name }));
    const status = Table?.TableStatus;
    if (status === 'ACTIVE') return;
    // Only a table being created or updated becomes active by itself.
    if ((status !== 'CREATING' && status !== 'UPDATING') || attempt >= 500)
      throw new Error(
        `table DynamoDB ${TABLE.name} inutilisable (état ${status}) : l'état conservé ne peut pas servir ; déplacez son dossier pour repartir d'un état vide`,
      );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
