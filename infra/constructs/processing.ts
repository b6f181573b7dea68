import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, FUNCTIONS, QUEUES, SCHEDULE } from '../../shared/config/resources';
import { HouseFunction } from './house-function';
import { QueueWithDlq } from './queue-with-dlq';

export interface ProcessingProps {
  readonly inputBucket: Bucket;
  readonly outputBucket: Bucket;
  readonly intakeQueue: Queue;
  readonly resultsQueue: Queue;
  readonly table: TableV2;
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
      description: 'Enregistre les arrivées (événements S3) et décide quand une soumission est prête',
    });
    this.intake.addEventSource(
      new SqsEventSource(props.intakeQueue, {
        batchSize: QUEUES.intake.batchSize,
        maxConcurrency: QUEUES.intake.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    props.inputBucket.grantRead(this.intake);
    // Refusals of files dropped outside the naming scheme go beside the outputs.
    props.outputBucket.grantPut(this.intake);
    props.table.grantReadWriteData(this.intake);
    this.judgeQueue.queue.grantSendMessages(this.intake);
    // A refused file gets its result message (hence its email) from the intake.
    props.resultsQueue.grantSendMessages(this.intake);

    this.judge = new HouseFunction(this, 'JudgeFunction', {
      handlerDir: 'judge',
      settings: FUNCTIONS.judge,
      environment,
      description: 'Contrôles 1 et 2, pièces justificatives ; écrit les retours et publie le résultat',
    });
    this.judge.addEventSource(
      new SqsEventSource(this.judgeQueue.queue, {
        batchSize: QUEUES.judge.batchSize,
        maxConcurrency: QUEUES.judge.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    props.inputBucket.grantRead(this.judge);
    props.outputBucket.grantPut(this.judge);
    props.table.grantReadWriteData(this.judge);
    props.resultsQueue.grantSendMessages(this.judge);

    this.sweeper = new HouseFunction(this, 'SweeperFunction', {
      handlerDir: 'sweeper',
      settings: FUNCTIONS.sweeper,
      environment,
      description: 'Juge les soumissions dont le délai de grâce est écoulé',
    });
    props.table.grantReadWriteData(this.sweeper);
    this.judgeQueue.queue.grantSendMessages(this.sweeper);
    new Rule(this, 'SweepSchedule', {
      schedule: Schedule.rate(Duration.minutes(SCHEDULE.sweepEveryMinutes)),
      targets: [new LambdaFunction(this.sweeper, { retryAttempts: 2 })],
    });
  }
}
