import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEAD_LETTER_RETENTION_DAYS,
  deadLetterQueueName,
  MAX_MESSAGE_BYTES,
  type QueueSettings,
  visibilityTimeoutSeconds,
} from '../../shared/config/resources';
import { acknowledge } from '../compliance';

/**
 * A work queue with the house defaults: SSE-SQS (S3 cannot notify a queue encrypted with the
 * AWS-managed KMS key), TLS only, a dead-letter queue, and a visibility timeout of six times its
 * consumer's timeout.
 */
/** A dead-letter queue with the house defaults: SSE-SQS, TLS only, kept 14 days. */
export function deadLetterQueue(scope: Construct, id: string, queueName: string): Queue {
  const queue = new Queue(scope, id, {
    queueName,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
  });
  const reason =
    'File de lettres mortes : le bout de la chaîne, gardée 14 jours, surveillée par une alarme et vidée par rejouer-dlq';
  acknowledge(queue, 'Serverless-SQSRedrivePolicy', reason);
  acknowledge(queue, 'AwsSolutions-SQS3', reason);
  return queue;
}

export class QueueWithDlq extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, settings: QueueSettings) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'Dlq', deadLetterQueueName(settings));
    this.queue = new Queue(this, 'Queue', {
      queueName: settings.name,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(settings)),
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });
  }
}
