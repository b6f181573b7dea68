import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { NOTIFIED_PREFIX, PREFIXES, QUEUES } from '../../shared/config/resources';
import { QueueWithDlq } from './queue-with-dlq';
import { archiveRule, type RecordKeeping, secureBucket } from './secure-bucket';

/** Where vendors drop files, and the queue their S3 events go to (every object under depot/: the intake refuses what is outside the naming scheme). */
export class Intake extends Construct {
  readonly inputBucket: Bucket;
  readonly intakeQueue: QueueWithDlq;

  constructor(scope: Construct, id: string, retentionYears?: number, record?: RecordKeeping) {
    super(scope, id);
    this.inputBucket = secureBucket(
      this,
      'InputBucket',
      [archiveRule(PREFIXES.deposit, retentionYears)],
      record,
    );
    this.intakeQueue = new QueueWithDlq(this, 'IntakeQueue', QUEUES.intake);
    this.inputBucket.addEventNotification(
      EventType.OBJECT_CREATED,
      new SqsDestination(this.intakeQueue.queue),
      { prefix: NOTIFIED_PREFIX },
    );
  }
}
