import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OLDEST_MESSAGE_ALARM_SECONDS } from '../../infra/constructs/monitoring';
import { SegurStack } from '../../infra/segur-stack';
import { PIPELINE_ALARMS, RUNBOOK } from '../../shared/config/resources';

/** What the operators get from the stack: their topic, alarms with runbooks, a heartbeat, a dashboard. */
function synth(): Template {
  const { context } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(
    new SegurStack(app, 'Ops', {
      notificationEmails: [{ email: 'ops@asp.example' }, { email: 'x@editeur.fr', siret: '88558855858745' }],
    }),
  );
}

const template = synth();
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (alarm) => alarm.Properties as Record<string, unknown>,
);
const topicId = (name: string) =>
  Object.entries(template.findResources('AWS::SNS::Topic')).find(
    ([, topic]) => topic.Properties.TopicName === name,
  )?.[0] as string;
const runbook = readFileSync(join(__dirname, '..', '..', RUNBOOK), 'utf8');

describe('operations on AWS', () => {
  it('sends every alarm, when it starts and when it ends, to the operators’ topic, never the vendors’', () => {
    const operators = { Ref: topicId('segur-exploitation') };
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([operators]);
      expect(alarm.OKActions).toEqual([operators]);
    }
  });

  it('alarms on dead letters and the oldest message of each queue, each function’s errors and throttles, failed emails, and the pipeline’s metrics', () => {
    const on = (metric: string) => alarms.filter((alarm) => alarm.MetricName === metric);
    // Three work queues and their three dead-letter queues: one alarm each on depth and on age; and
    // the queue of EventBridge's and SNS's failed deliveries.
    expect(on('ApproximateNumberOfMessagesVisible')).toHaveLength(3 + 1);
    expect(on('ApproximateAgeOfOldestMessage')).toHaveLength(3);
    for (const alarm of on('ApproximateAgeOfOldestMessage'))
      expect(alarm).toMatchObject({ Threshold: OLDEST_MESSAGE_ALARM_SECONDS, Statistic: 'Maximum' });
    expect(on('Errors')).toHaveLength(4);
    expect(on('Throttles')).toHaveLength(4);
    expect(on('NumberOfNotificationsFailed')).toEqual([
      expect.objectContaining({
        Dimensions: [
          { Name: 'TopicName', Value: { 'Fn::GetAtt': [topicId('segur-notifications'), 'TopicName'] } },
        ],
      }),
    ]);
    for (const { metric, service } of PIPELINE_ALARMS)
      expect(on(metric)).toEqual([
        expect.objectContaining({
          Namespace: 'SegurPipeline',
          Dimensions: [{ Name: 'service', Value: service }],
        }),
      ]);
    expect(alarms).toHaveLength(3 + 1 + 3 + 4 + 4 + 1 + PIPELINE_ALARMS.length);
  });

  it('names each alarm after the stack and what it watches, as the email’s subject shows it', () => {
    const names = alarms.map((alarm) => alarm.AlarmName);
    expect(names).toContain('Ops-judgeDlqAlarm');
    expect(names).toContain('Ops-intakeOldestMessageAlarm');
    expect(names).toContain('Ops-TechnicalRejectionsAlarm');
    for (const name of names) expect(name).toMatch(/^Ops-[A-Za-z]+Alarm$/);
    expect(new Set(names).size).toBe(alarms.length);
  });

  it('names in each alarm’s description a section of the runbook that exists', () => {
    for (const alarm of alarms) {
      const match = new RegExp(`Procédure : ${RUNBOOK}#([a-z-]+)$`).exec(String(alarm.AlarmDescription));
      expect({ alarm: alarm.AlarmDescription, anchor: match?.[1] }).toEqual({
        alarm: alarm.AlarmDescription,
        anchor: expect.any(String),
      });
      expect(runbook).toContain(`<a id="${match?.[1]}"></a>`);
    }
  });

  it('sends a daily heartbeat through the operators’ topic, whose key lets EventBridge publish', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { Ref: topicId('segur-exploitation') },
          Input: Match.stringLikeRegexp('veille quotidienne'),
        }),
      ],
    });
    expect(runbook).toContain('<a id="veille-quotidienne"></a>');
  });

  it('draws the operators’ dashboard: deposits and lines by profile, latency, queues, dead letters, errors', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const title of [
      'Dépôts jugés par heure, par profil',
      'Lignes par heure, par profil',
      'Lignes acceptées et rejetées par heure',
      'Durée d’un jugement (ms), p50 et p99',
      'Messages en file',
      'Âge du plus ancien message (s)',
      'Lettres mortes',
      'Erreurs des fonctions',
      'Limitations (throttles)',
      'Rejets techniques et jugements en échec',
    ])
      expect(body).toContain(title);
    for (const profile of ['MDV-LGC-avance', 'HOP-DPI-avance', 'BIO-SGL-avance', 'BIO-LOINC-solde'])
      expect(body).toContain(`\\"profile\\",\\"${profile}\\"`);
    expect(body).toContain('\\"stat\\":\\"p99\\"');
    expect(body).toContain('TechnicalRejections');
  });
});

describe('the operators’ role', () => {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'segur-exploitation' } });
  const roleId = Object.keys(roles)[0] as string;
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
  const actions = statements.flatMap((statement) => [statement.Action].flat() as string[]);

  it('is assumed by the account’s principals, for an hour at most, and is given to the commands by an output', () => {
    expect(Object.keys(roles)).toHaveLength(1);
    expect(roles[roleId]?.Properties.MaxSessionDuration).toBe(3600);
    template.hasOutput('OperatorRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });

  it('may do exactly what the operators’ commands do: no wildcard action, no deletion of data, no read of deposits', () => {
    expect([...new Set(actions)].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'iam:AddUserToGroup',
      'iam:CreateAccessKey',
      'iam:CreateUser',
      'iam:GetUser',
      'iam:TagUser',
      's3:PutObject',
      'sns:Subscribe',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
    const put = statements.find((statement) => statement.Action === 's3:PutObject');
    expect(JSON.stringify(put?.Resource)).toContain('/config/referentiel.json');
    // Its writes in the table: the avances' status alone, never a claim of the registry.
    const writes = statements.find((statement) => [statement.Action].flat().includes('dynamodb:PutItem'));
    expect(writes?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AVANCE#*'] },
    });
    // Dead letters are deleted from the DLQs alone, once sent back.
    const deletes = statements.find((statement) => [statement.Action].flat().includes('sqs:DeleteMessage'));
    expect(JSON.stringify(deletes?.Resource).match(/Dlq/g)).toHaveLength(3);
    expect(JSON.stringify(deletes?.Resource)).not.toMatch(/QueueQueue|Queue[0-9A-F]{8}"/);
  });
});
