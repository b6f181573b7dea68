import { Stack } from 'aws-cdk-lib';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { NOTIFIED_PREFIX, PREFIXES, QUEUES } from '../../shared/config/resources';
import { acknowledge } from '../compliance';
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
    // CDK's own custom resource that installs the bucket's notifications, at deployment only.
    const installer = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (installer)
      acknowledge(
        installer,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'Fonction de CDK qui pose les notifications du seau au déploiement : sa politique gérée est celle de CDK, ses seuls journaux',
      );
  }
}
