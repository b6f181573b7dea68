import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  PeriodOverride,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RUNBOOK, SERVICES } from '../../shared/config/resources';
import { PROFILE_IDS } from '../../shared/domain/profiles';
import { METRICS_NAMESPACE } from '../../shared/observability/logger';
import type { QueueWithDlq } from './queue-with-dlq';

/** The profiles the judge names on its metrics, and the one it gives a file it could not place. */
const PROFILES = [...PROFILE_IDS, 'indetermine'] as const;
const HOUR = Duration.hours(1);
const FIVE_MINUTES = Duration.minutes(5);

/**
 * One CloudWatch dashboard for the operators (`segur-exploitation`): deposits and lines per hour
 * by profile, accepted and rejected, judgement latency (p50, p99), the queues' depths and ages,
 * the dead letters, the functions' errors and throttles, technical rejections.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    props: { queues: Record<string, QueueWithDlq>; functions: Record<string, LambdaFunction> },
  ) {
    super(scope, id);
    const judgeMetric = (metricName: string, profile: string, statistic = 'Sum', period = HOUR) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICES.judge, profile },
        statistic,
        period,
        label: profile,
      });
    const sumOverProfiles = (metricName: string, label: string) => {
      const usingMetrics: Record<string, IMetric> = {};
      PROFILES.forEach((profile, index) => {
        usingMetrics[`${metricName.toLowerCase()}${index}`] = judgeMetric(metricName, profile);
      });
      return new MathExpression({
        expression: Object.keys(usingMetrics).join(' + '),
        usingMetrics,
        label,
        period: HOUR,
      });
    };
    const queues = Object.entries(props.queues);
    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: 'segur-exploitation',
      defaultInterval: Duration.days(7),
      periodOverride: PeriodOverride.AUTO,
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Ségur numérique – exploitation\nDépôts, verdicts, files et fonctions. Chaque alarme renvoie à sa procédure dans \`${RUNBOOK}\` ; l'histoire d'un dépôt : \`segur-pipeline lister-soumissions\` puis \`montrer-soumission\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dépôts jugés par heure, par profil',
        left: PROFILES.map((profile) => judgeMetric('Submissions', profile)),
        stacked: true,
        width: 8,
      }),
      new GraphWidget({
        title: 'Lignes par heure, par profil',
        // Ids unique across the graph: CloudWatch resolves them in one namespace per widget.
        left: PROFILES.map(
          (profile, index) =>
            new MathExpression({
              expression: `a${index} + r${index}`,
              usingMetrics: {
                [`a${index}`]: judgeMetric('LinesAccepted', profile),
                [`r${index}`]: judgeMetric('LinesRejected', profile),
              },
              label: profile,
              period: HOUR,
            }),
        ),
        stacked: true,
        width: 8,
      }),
      new GraphWidget({
        title: 'Lignes acceptées et rejetées par heure',
        left: [sumOverProfiles('LinesAccepted', 'acceptées'), sumOverProfiles('LinesRejected', 'rejetées')],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Durée d’un jugement (ms), p50 et p99',
        left: PROFILES.flatMap((profile) => [
          judgeMetric('JudgementLatency', profile, 'p50', FIVE_MINUTES).with({ label: `${profile} p50` }),
          judgeMetric('JudgementLatency', profile, 'p99', FIVE_MINUTES).with({ label: `${profile} p99` }),
        ]),
        width: 8,
      }),
      new GraphWidget({
        title: 'Messages en file',
        left: queues.map(([name, { queue }]) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
            label: name,
          }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Âge du plus ancien message (s)',
        left: queues.map(([name, { queue }]) =>
          queue.metricApproximateAgeOfOldestMessage({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
            label: name,
          }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lettres mortes',
        left: queues.map(([name, { deadLetterQueue }]) =>
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
            label: name,
          }),
        ),
        width: 6,
      }),
      new GraphWidget({
        title: 'Erreurs des fonctions',
        left: functions.map(([name, fn]) => fn.metricErrors({ period: FIVE_MINUTES, label: name })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Limitations (throttles)',
        left: functions.map(([name, fn]) => fn.metricThrottles({ period: FIVE_MINUTES, label: name })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Rejets techniques et jugements en échec',
        left: ['TechnicalRejections', 'JudgementFailures', 'ReferentielUnavailable'].map(
          (metricName) =>
            new Metric({
              namespace: METRICS_NAMESPACE,
              metricName,
              dimensionsMap: { service: SERVICES.judge },
              statistic: 'Sum',
              period: FIVE_MINUTES,
              label: metricName,
            }),
        ),
        width: 6,
      }),
    );
  }
}
