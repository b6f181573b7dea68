import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PIPELINE_ALARMS, RUNBOOK } from '../../shared/config/resources';
import { METRICS_NAMESPACE } from '../../shared/observability/logger';
import type { QueueWithDlq } from './queue-with-dlq';

/** Oldest message a work queue may hold before someone looks: its consumer takes seconds. */
export const OLDEST_MESSAGE_ALARM_SECONDS = 15 * 60;

export interface MonitoringProps {
  /** Where alarms go: the operators', never the vendors'. */
  readonly operatorsTopic: Topic;
  /** The vendors' verdicts: a delivery that fails there is an alarm. */
  readonly vendorsTopic: Topic;
  readonly queues: Record<string, QueueWithDlq>;
  readonly functions: Record<string, LambdaFunction>;
  /** EventBridge's and SNS's failed deliveries (the heartbeat's own among them). */
  readonly deliveryFailures: Queue;
}

/**
 * The operators' alarms, each to their own topic, each description saying what happened and which
 * section of the runbook to follow: dead letters, a queue falling behind, function errors and
 * throttles, failed email deliveries, the pipeline's own metrics (failed judgements, technical
 * rejections, référentiel missing or invalid, sweeps), and a daily heartbeat whose absence says
 * the alarms themselves no longer arrive.
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = new SnsAction(props.operatorsTopic);
    const alarm = (id: string, what: string, runbook: string, metric: IMetric, threshold = 1) => {
      const created = new Alarm(this, id, {
        // Read in the email's subject (« ALARM: "SegurPipeline-judgeDlqAlarm" … »): the stack's name
        // first, so that two stacks of one account never share one.
        alarmName: `${Stack.of(this).stackName}-${id}`,
        alarmDescription: `${what}. Procédure : ${RUNBOOK}#${runbook}`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      // Told when it starts and when it ends: an operator knows the incident is over.
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
    };
    const fiveMinutes = Duration.minutes(5);
    for (const [name, { queue, deadLetterQueue }] of Object.entries(props.queues)) {
      // One dead letter is enough: a message failed every retry.
      alarm(
        `${name}DlqAlarm`,
        `Des messages sont arrivés dans la file de lettres mortes ${name} : un traitement a échoué plusieurs fois`,
        'lettres-mortes',
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      );
      alarm(
        `${name}OldestMessageAlarm`,
        `La file ${name} garde un message depuis plus de ${OLDEST_MESSAGE_ALARM_SECONDS / 60} minutes : ses traitements n'avancent plus`,
        'file-en-retard',
        queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
        OLDEST_MESSAGE_ALARM_SECONDS,
      );
    }
    // The handlers turn failures into batch item failures, so the functions' Errors count only crashes:
    // the pipeline's own metrics say at once that a judgement failed or ended in a technical rejection.
    for (const { metric, service, description, runbook } of PIPELINE_ALARMS) {
      alarm(
        `${metric}Alarm`,
        description,
        runbook,
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: metric,
          // Powertools puts the emitting function on every metric as `service`.
          dimensionsMap: { service },
          statistic: 'Sum',
          period: fiveMinutes,
        }),
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}ErrorsAlarm`,
        `La fonction ${name} a échoué`,
        'echec-de-fonction',
        fn.metricErrors({ period: fiveMinutes }),
      );
      alarm(
        `${name}ThrottlesAlarm`,
        `La fonction ${name} a été limitée (throttling) : des messages attendent`,
        'fonction-limitee',
        fn.metricThrottles({ period: fiveMinutes }),
      );
    }
    alarm(
      'VendorEmailsFailedAlarm',
      'Des courriels de verdict n’ont pas été remis aux fournisseurs (SNS)',
      'courriels-non-remis',
      props.vendorsTopic.metricNumberOfNotificationsFailed({ period: fiveMinutes }),
    );
    alarm(
      'DeliveryFailuresAlarm',
      'Une livraison a échoué (un balayage planifié, la veille quotidienne ou un courriel) : elle est gardée dans la file segur-livraisons-dlq',
      'livraisons-en-echec',
      props.deliveryFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    );
    // The heartbeat: one notice a day through the very topic, key and subscriptions the alarms use.
    new Rule(this, 'Heartbeat', {
      description: 'Veille quotidienne des opérateurs Ségur',
      schedule: Schedule.cron({ hour: '7', minute: '0' }),
      targets: [
        new SnsTopic(props.operatorsTopic, {
          deadLetterQueue: props.deliveryFailures,
          message: RuleTargetInput.fromText(
            `Ségur numérique – veille quotidienne : la surveillance fonctionne et ses alarmes vous parviennent. Si ce message ne vient pas un matin, suivez ${RUNBOOK}#veille-quotidienne.`,
          ),
        }),
      ],
    });
  }
}
