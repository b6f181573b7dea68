import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DELIVERY_FAILURES_QUEUE, type ObjectLockMode, RETENTION } from '../shared/config/resources';
import { OperationsDashboard } from './constructs/dashboard';
import { Intake } from './constructs/intake';
import { Monitoring } from './constructs/monitoring';
import { type NotificationEmail, Notifications } from './constructs/notifications';
import { OperatorAccess } from './constructs/operator-access';
import { Processing } from './constructs/processing';
import { deadLetterQueue } from './constructs/queue-with-dlq';
import { Results } from './constructs/results';
import { accessLogsBucket } from './constructs/secure-bucket';
import { Simulator } from './constructs/simulator';
import { State } from './constructs/state';
import { VendorAccess } from './constructs/vendor-access';

export interface SegurStackProps extends StackProps {
  readonly notificationEmails: readonly NotificationEmail[];
  /** Hours the emails' links to the returns stay valid (context `linkExpiryHours`, default 72). */
  readonly linkExpiryHours?: number;
  /** Years deposits and returns are kept (context `retentionYears`, default 10: financial records). */
  readonly retentionYears?: number;
  /** The deposit simulator as a static site behind CloudFront (context `simulateur=true`). */
  readonly simulator?: boolean;
  /** The simulator's own name and ACM certificate (contexts `simulateurDomaine`, `simulateurCertificat`): TLS 1.2 at least. */
  readonly simulatorDomain?: { readonly name: string; readonly certificateArn: string };
  /** Object Lock mode of the deposits and returns (context `objectLock`, default GOVERNANCE). */
  readonly objectLock?: ObjectLockMode;
  /** X-Ray tracing of the functions (context `tracing`, default on). */
  readonly tracing?: boolean;
}

/** The whole pipeline: intake, state, processing, results, notifications, and the alarms. */
export class SegurStack extends Stack {
  readonly intake: Intake;
  readonly state: State;
  readonly processing: Processing;
  readonly results: Results;
  readonly notifications: Notifications;
  readonly vendors: VendorAccess;
  readonly simulator?: Simulator;
  readonly accessLogs: Bucket;
  readonly monitoring: Monitoring;
  readonly dashboard: OperationsDashboard;
  readonly operators: OperatorAccess;

  constructor(scope: Construct, id: string, props: SegurStackProps) {
    super(scope, id, props);
    // EventBridge's and SNS's failed deliveries: nothing they fail to deliver is dropped unseen.
    const deliveryFailures = deadLetterQueue(this, 'DeliveryFailures', DELIVERY_FAILURES_QUEUE);
    this.notifications = new Notifications(this, 'Notifications', props.notificationEmails, deliveryFailures);
    // The record: who read or wrote a deposit or a return, kept as long as they are.
    const years = props.retentionYears ?? RETENTION.defaultYears;
    this.accessLogs = accessLogsBucket(this, 'AccessLogsBucket', years);
    const record = (prefix: string) => ({
      mode: props.objectLock ?? 'GOVERNANCE',
      years,
      accessLogs: this.accessLogs,
      accessLogsPrefix: prefix,
    });
    this.intake = new Intake(this, 'Intake', props.retentionYears, record('depots/'));
    this.state = new State(this, 'State', years);
    this.results = new Results(this, 'Results', this.notifications.topic, {
      linkExpiryHours: props.linkExpiryHours,
      retentionYears: props.retentionYears,
      record: record('retours/'),
      table: this.state.table,
      tracing: props.tracing,
    });
    this.processing = new Processing(this, 'Processing', {
      inputBucket: this.intake.inputBucket,
      outputBucket: this.results.outputBucket,
      intakeQueue: this.intake.intakeQueue.queue,
      resultsQueue: this.results.resultsQueue.queue,
      table: this.state.table,
      tracing: props.tracing,
      deliveryFailures,
    });
    // What the operators' commands need (bucket names are generated: they are global).
    new CfnOutput(this, 'InputBucketName', {
      value: this.intake.inputBucket.bucketName,
      description: 'segur-pipeline --input-bucket',
    });
    new CfnOutput(this, 'OutputBucketName', { value: this.results.outputBucket.bucketName });
    new CfnOutput(this, 'NotificationTopicArn', {
      value: this.notifications.topic.topicArn,
      description: 'segur-pipeline inscrire-fournisseur --topic-arn',
    });
    new CfnOutput(this, 'OperatorsTopicArn', {
      value: this.notifications.operatorsTopic.topicArn,
      description: 'Alarmes et veille des opérateurs (abonnez-y leurs adresses)',
    });
    this.vendors = new VendorAccess(this, 'Vendors', {
      inputBucket: this.intake.inputBucket,
      outputBucket: this.results.outputBucket,
    });
    new CfnOutput(this, 'VendorRoleArn', {
      value: this.vendors.role.roleArn,
      description: 'segur-pipeline deposer|recuperer --role-arn',
    });
    if (props.simulator) {
      this.simulator = new Simulator(this, 'Simulator', {
        accessLogs: this.accessLogs,
        ...(props.simulatorDomain ? { domain: props.simulatorDomain } : {}),
      });
      new CfnOutput(this, 'SimulatorUrl', {
        value: `https://${this.simulator.distribution.distributionDomainName}/`,
        description: 'Le simulateur de dépôt, dans le navigateur',
      });
    }
    const queues = {
      intake: this.intake.intakeQueue,
      judge: this.processing.judgeQueue,
      results: this.results.resultsQueue,
    };
    const functions = {
      intake: this.processing.intake,
      judge: this.processing.judge,
      sweeper: this.processing.sweeper,
      notify: this.results.notify,
    };
    this.monitoring = new Monitoring(this, 'Monitoring', {
      operatorsTopic: this.notifications.operatorsTopic,
      vendorsTopic: this.notifications.topic,
      queues,
      functions,
      deliveryFailures,
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', { queues, functions });
    this.operators = new OperatorAccess(this, 'Operators', {
      inputBucket: this.intake.inputBucket,
      table: this.state.table,
      queues,
      vendorsTopic: this.notifications.topic,
      vendorsGroup: this.vendors.group,
    });
    new CfnOutput(this, 'OperatorRoleArn', {
      value: this.operators.role.roleArn,
      description: 'segur-pipeline publier-referentiel|lister-soumissions|…|rejouer-dlq --role-arn',
    });
  }
}
