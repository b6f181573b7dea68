import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV, FUNCTIONS, LINKS, PREFIXES, QUEUES } from '../../shared/config/resources';
import { acknowledge, bucketObjectsFinding } from '../compliance';
import { HouseFunction } from './house-function';
import { QueueWithDlq } from './queue-with-dlq';
import { archiveRule, type RecordKeeping, secureBucket } from './secure-bucket';

/** Where verdicts go: the output bucket, the results queue and its consumer that sends the emails. */
export class Results extends Construct {
  readonly outputBucket: Bucket;
  readonly resultsQueue: QueueWithDlq;
  readonly notify: HouseFunction;

  /** `linkExpiryHours`: how long the emails' links to the returns work (LINKS in resources.ts). */
  constructor(
    scope: Construct,
    id: string,
    topic: Topic,
    options: {
      linkExpiryHours?: number;
      retentionYears?: number;
      record?: RecordKeeping;
      /** The state table, where notify records each result for the operators' view. */
      table: TableV2;
      /** X-Ray on notify (context `tracing`, on by default). */
      tracing?: boolean;
    },
  ) {
    super(scope, id);
    const linkExpiryHours = options.linkExpiryHours ?? LINKS.defaultExpiryHours;
    this.outputBucket = secureBucket(
      this,
      'OutputBucket',
      [archiveRule(PREFIXES.output, options.retentionYears)],
      options.record,
    );
    this.resultsQueue = new QueueWithDlq(this, 'ResultsQueue', QUEUES.results);
    this.notify = new HouseFunction(this, 'NotifyFunction', {
      handlerDir: 'notify',
      settings: FUNCTIONS.notify,
      environment: {
        [ENV.topicArn]: topic.topicArn,
        [ENV.linkExpiryHours]: String(linkExpiryHours),
        [ENV.table]: options.table.tableName,
      },
      tracing: options.tracing,
      description: 'Envoie le courriel en français de chaque résultat',
    });
    this.notify.addEventSource(
      new SqsEventSource(this.resultsQueue.queue, {
        batchSize: QUEUES.results.batchSize,
        maxConcurrency: QUEUES.results.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    topic.grantPublish(this.notify);
    // A presigned link works only if its signer may read the object: the returns, nothing else
    // (s3:GetObject only; grantRead would add listing and versions the links never use).
    this.notify.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.outputBucket.arnForObjects(`${PREFIXES.output}*`)],
      }),
    );
    acknowledge(
      this.notify.houseRole,
      bucketObjectsFinding(this.outputBucket, `${PREFIXES.output}*`),
      'Les liens des courriels signent la lecture des retours, nommés d’après les dépôts : s3:GetObject sous retour/ seulement',
    );
    acknowledge(
      this.notify.houseRole,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Publier sur un sujet chiffré : la clé du sujet seule (grantPublish), GenerateDataKey* en est l’usage documenté',
    );
    // The operators' journal: one item per result published, nothing read.
    this.notify.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [options.table.tableArn] }),
    );
  }
}
