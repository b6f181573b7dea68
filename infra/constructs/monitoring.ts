import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PIPELINE_ALARMS } from '../../shared/config/resources';
import { METRICS_NAMESPACE } from '../../shared/observability/logger';

/** An alarm on every dead-letter queue that holds a message, and on every function error, to the topic. */
export class Monitoring extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: {
      topic: Topic;
      deadLetterQueues: Record<string, Queue>;
      functions: Record<string, LambdaFunction>;
    },
  ) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    // One breach of 1 is enough: a dead letter or a function error always needs a look.
    const alarm = (id: string, alarmDescription: string, metric: IMetric) =>
      new Alarm(this, id, {
        alarmDescription,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DlqAlarm`,
        `Des messages sont arrivés dans la file de lettres mortes ${name} : un traitement a échoué plusieurs fois`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      );
    }
    // The handlers turn failures into batch item failures, so the functions' Errors count only crashes:
    // the pipeline's own metrics say at once that a judgement failed or ended in a technical rejection.
    for (const { metric, service, description } of PIPELINE_ALARMS) {
      alarm(
        `${metric}Alarm`,
        description,
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: metric,
          // Powertools puts the emitting function on every metric as `service`.
          dimensionsMap: { service },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}ErrorsAlarm`,
        `La fonction ${name} a échoué`,
        fn.metricErrors({ period: Duration.minutes(5) }),
      );
    }
  }
}
