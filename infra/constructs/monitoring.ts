import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      new Alarm(this, `${name}DlqAlarm`, {
        alarmDescription: `Des messages sont arrivés dans la file de lettres mortes ${name} : un traitement a échoué plusieurs fois`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      new Alarm(this, `${name}ErrorsAlarm`, {
        alarmDescription: `La fonction ${name} a échoué`,
        metric: fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
  }
}
