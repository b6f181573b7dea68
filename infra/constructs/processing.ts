import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, FUNCTIONS, PREFIXES, QUEUES, SCHEDULE, TABLE } from '../../shared/config/resources';
import { acknowledge, bucketObjectsFinding } from '../compliance';
import { HouseFunction } from './house-function';
import { QueueWithDlq } from './queue-with-dlq';

export interface ProcessingProps {
  readonly inputBucket: Bucket;
  readonly outputBucket: Bucket;
  readonly intakeQueue: Queue;
  readonly resultsQueue: Queue;
  readonly table: TableV2;
  /** X-Ray on the functions (context `tracing`, on by default). */
  readonly tracing?: boolean;
  /** Where EventBridge keeps a sweep it could not deliver. */
  readonly deliveryFailures: Queue;
}

/** The functions that judge: intake decides readiness, judge judges, the sweeper ends the grace period. */
export class Processing extends Construct {
  readonly intake: HouseFunction;
  readonly judge: HouseFunction;
  readonly sweeper: HouseFunction;
  readonly judgeQueue: QueueWithDlq;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);
    this.judgeQueue = new QueueWithDlq(this, 'JudgeQueue', QUEUES.judge);
    const environment = {
      [ENV.inputBucket]: props.inputBucket.bucketName,
      [ENV.outputBucket]: props.outputBucket.bucketName,
      [ENV.table]: props.table.tableName,
      [ENV.judgeQueueUrl]: this.judgeQueue.queue.queueUrl,
      [ENV.resultsQueueUrl]: props.resultsQueue.queueUrl,
      [ENV.gracePeriodMinutes]: String(SCHEDULE.gracePeriodMinutes),
    };

    this.intake = new HouseFunction(this, 'IntakeFunction', {
      handlerDir: 'intake',
      settings: FUNCTIONS.intake,
      environment,
      tracing: props.tracing,
      description: 'Enregistre les arrivées (événements S3) et décide quand une soumission est prête',
    });
    this.intake.addEventSource(
      new SqsEventSource(props.intakeQueue, {
        batchSize: QUEUES.intake.batchSize,
        maxConcurrency: QUEUES.intake.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // Least privilege: the deposits alone (never config/ nor anything else of the bucket).
    grantObjectReads(this.intake, props.inputBucket, [`${PREFIXES.deposit}*`]);
    // Refusals of files dropped outside the naming scheme go beside the outputs.
    grantReturnWrites(this.intake, props.outputBucket);
    grantStateItems(this.intake, props.table);
    acknowledgeKeyPrefixes(this.intake, props);
    this.judgeQueue.queue.grantSendMessages(this.intake);
    // A refused file gets its result message (hence its email) from the intake.
    props.resultsQueue.grantSendMessages(this.intake);

    this.judge = new HouseFunction(this, 'JudgeFunction', {
      handlerDir: 'judge',
      settings: FUNCTIONS.judge,
      environment,
      tracing: props.tracing,
      description: 'Contrôles 1 et 2, pièces justificatives ; écrit les retours et publie le résultat',
    });
    this.judge.addEventSource(
      new SqsEventSource(this.judgeQueue.queue, {
        batchSize: QUEUES.judge.batchSize,
        maxConcurrency: QUEUES.judge.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    grantObjectReads(this.judge, props.inputBucket, [`${PREFIXES.deposit}*`, PREFIXES.referentiel]);
    grantReturnWrites(this.judge, props.outputBucket);
    grantStateItems(this.judge, props.table);
    acknowledgeKeyPrefixes(this.judge, props);
    props.resultsQueue.grantSendMessages(this.judge);

    this.sweeper = new HouseFunction(this, 'SweeperFunction', {
      handlerDir: 'sweeper',
      settings: FUNCTIONS.sweeper,
      environment,
      tracing: props.tracing,
      description: 'Juge les soumissions dont le délai de grâce est écoulé',
    });
    // The sweeper reads the waiting index, and asks the judge: nothing else.
    this.sweeper.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${TABLE.pendingIndex.name}`],
      }),
    );
    this.judgeQueue.queue.grantSendMessages(this.sweeper);
    new Rule(this, 'SweepSchedule', {
      schedule: Schedule.rate(Duration.minutes(SCHEDULE.sweepEveryMinutes)),
      targets: [
        new LambdaFunction(this.sweeper, { retryAttempts: 2, deadLetterQueue: props.deliveryFailures }),
      ],
    });
  }
}

/**
 * Reads of these keys alone (objects and their versions: the judge reads the version an event
 * names), and ListBucket so that a missing object answers 404, which the judge tells from a
 * denial (an absent référentiel is normal; a denied one is a fault).
 */
function grantObjectReads(fn: HouseFunction, bucket: Bucket, keyPatterns: string[]): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: keyPatterns.map((pattern) => bucket.arnForObjects(pattern)),
    }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
}

/** The wildcards of a key prefix are the deposits' and returns' names, which vendors choose. */
function acknowledgeKeyPrefixes(fn: HouseFunction, props: ProcessingProps): void {
  acknowledge(
    fn.houseRole,
    bucketObjectsFinding(props.inputBucket, `${PREFIXES.deposit}*`),
    'Les dépôts sont nommés par les fournisseurs : la fonction lit tout objet sous depot/, rien ailleurs',
  );
  acknowledge(
    fn.houseRole,
    bucketObjectsFinding(props.outputBucket, `${PREFIXES.output}*`),
    'Les retours portent le nom des dépôts : la fonction écrit sous retour/, rien ailleurs',
  );
}

/** Writes of returns under retour/: PutObject alone (no tagging, no retention, no legal hold). */
function grantReturnWrites(fn: HouseFunction, bucket: Bucket): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${PREFIXES.output}*`)],
    }),
  );
}

/**
 * The items of the state table, by key (submissions, claims, sequences, avances): the commands the
 * state store sends, on the table alone. Its indexes are the sweeper's and the operators'.
 * TransactWriteItems (the avance lines' claims) has no action of its own in IAM: each of its
 * Updates is allowed as an UpdateItem (no ConditionCheck is used, so no ConditionCheckItem).
 */
function grantStateItems(fn: HouseFunction, table: TableV2): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ],
      resources: [table.tableArn],
    }),
  );
}
