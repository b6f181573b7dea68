import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { stackPropsFrom } from '../../infra/app-props';
import { parseNotificationEmails } from '../../infra/constructs/notifications';
import { SegurStack } from '../../infra/segur-stack';
import {
  deploymentRegion,
  FUNCTIONS,
  objectLockMode,
  QUEUES,
  retentionYears,
  TABLE,
  VENDORS,
  visibilityTimeoutSeconds,
} from '../../shared/config/resources';

/**
 * The app as `cdk synth` makes it: with the feature flags of cdk.json (set deliberately there, so
 * that the template tested is the template deployed), and no bundling (the functions' code is
 * built by `cdk synth`, not by these assertions).
 */
function testApp(extra: Record<string, string> = {}): App {
  const { context } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return new App({ context: { ...context, ...extra, 'aws:cdk:bundling-stacks': [] } });
}

/** What matters in the synthesized template: encryption, DLQs, timeouts, filters, grants, alarms. */
function synth(
  emails = [{ email: 'ops@asp.example' }, { email: 'editeur@exemple.fr', siret: '88558855858745' }],
) {
  const app = testApp();
  return Template.fromStack(new SegurStack(app, 'Test', { notificationEmails: emails }));
}

const template = synth();

describe('CDK stack', () => {
  it('has three private, TLS-only, encrypted, versioned, retained buckets with lifecycle rules', () => {
    template.resourceCountIs('AWS::S3::Bucket', 3);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 3653 } }),
        ],
      },
    });
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
    template.resourcePropertiesCountIs(
      'AWS::S3::BucketPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      3,
    );
  });

  it('notifies the intake queue of every object created under depot/, whatever its suffix or case', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'depot/' }] } },
            QueueArn: Match.anyValue(),
          },
        ],
      },
    });
  });

  it.each(Object.values(QUEUES))(
    'gives queue $name SSE-SQS, a DLQ and 6 × its consumer’s timeout',
    (queue) => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue.name,
        SqsManagedSseEnabled: true,
        MaximumMessageSize: 262144,
        VisibilityTimeout: visibilityTimeoutSeconds(queue),
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: queue.maxReceiveCount },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `${queue.name}-dlq`,
        SqsManagedSseEnabled: true,
      });
    },
  );

  it('bounds each SQS event source’s concurrency from shared/config/resources.ts, and retries at least 5 times', () => {
    for (const queue of Object.values(QUEUES)) {
      expect(queue.maxReceiveCount).toBeGreaterThanOrEqual(5);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: queue.batchSize,
        ScalingConfig: { MaximumConcurrency: queue.maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', Object.keys(QUEUES).length);
  });

  it('keeps the state in an on-demand table with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('runs four Node.js 22 arm64 functions with their own log groups', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs24.x', Architectures: ['arm64'] },
      4,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: FUNCTIONS.judge.timeoutSeconds,
      MemorySize: FUNCTIONS.judge.memoryMb,
    });
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 4);
    template.resourcePropertiesCountIs(
      'AWS::Lambda::EventSourceMapping',
      { FunctionResponseTypes: ['ReportBatchItemFailures'] },
      3,
    );
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    // Powertools' level and service come from the environment: changed on the function, not in code.
    for (const service of ['intake', 'judge', 'notify', 'sweeper'])
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: service }),
        },
      });
  });

  it('grants no wildcard action on data', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const actions: string[] = [statement.Action].flat();
        for (const action of actions) expect(action).not.toMatch(/^(\*|s3:\*|sqs:\*|dynamodb:\*|sns:\*)$/);
      }
    }
  });

  it('lets only the judge (outputs), the intake (refusals), the vendors (deposits) and the operators (référentiel) write, and only notify publish emails', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const withAction = (action: string) =>
      policies
        .filter(([, policy]) =>
          policy.Properties.PolicyDocument.Statement.some((s: { Action: string | string[] }) =>
            [s.Action].flat().includes(action),
          ),
        )
        .map(([id]) => id);
    // The vendors' role writes too, under depot/<its SIRET>/ alone (see « vendors’ access »).
    // The operators' role writes the référentiel alone (see test/infra/operations.test.ts).
    expect(withAction('s3:PutObject').sort()).toEqual([
      expect.stringMatching(/OperatorsRole/),
      expect.stringMatching(/IntakeFunction/),
      expect.stringMatching(/JudgeFunction/),
      expect.stringMatching(/VendorsDepositRole/),
    ]);
    expect(withAction('sns:Publish')).toEqual([expect.stringMatching(/NotifyFunction/)]);
  });

  it('lets notify read the returns alone (its presigned links need it), with the links’ lifetime from context', () => {
    const notifyPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.includes('NotifyFunction'),
    )?.[1];
    const reads = notifyPolicy?.Properties.PolicyDocument.Statement.filter(
      (s: { Action: string | string[] }) => [s.Action].flat().some((action) => action.startsWith('s3:')),
    );
    // s3:GetObject alone: a link signs one object's GET, never a listing nor a version.
    expect(reads).toHaveLength(1);
    expect(reads[0].Action).toBe('s3:GetObject');
    expect(JSON.stringify(reads[0].Resource)).toContain('/retour/*');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('courriel'),
      Environment: { Variables: Match.objectLike({ LINK_EXPIRY_HOURS: '72' }) },
    });
    const app = testApp();
    const shorter = Template.fromStack(
      new SegurStack(app, 'Links', { notificationEmails: [], linkExpiryHours: 24 }),
    );
    shorter.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LINK_EXPIRY_HOURS: '24' }) },
    });
  });

  it('gives each function only what it uses: deposits and the référentiel to read, retour/ to write, the index to the sweeper', () => {
    type Statement = { Action: string | string[]; Resource: unknown };
    const statementsOf = (fn: string): Statement[] =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.includes(fn))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    const resourcesOf = (fn: string, action: string) =>
      statementsOf(fn)
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource].flat())
        .map((resource) => JSON.stringify(resource));
    // Object reads end in the key pattern; the bucket-level List* has no key part.
    const keyPatterns = (fn: string, action: string) =>
      resourcesOf(fn, action)
        .map((resource) => /"\/([^"]*)"\]\]/.exec(resource)?.[1] ?? 'le seau entier')
        .sort();
    expect(keyPatterns('IntakeFunction', 's3:GetObject')).toEqual(['depot/*']);
    expect(keyPatterns('JudgeFunction', 's3:GetObject')).toEqual(['config/referentiel.json', 'depot/*']);
    expect(keyPatterns('JudgeFunction', 's3:GetObjectVersion')).toEqual([
      'config/referentiel.json',
      'depot/*',
    ]);
    expect(keyPatterns('IntakeFunction', 's3:ListBucket')).toEqual(['le seau entier']);
    expect(keyPatterns('IntakeFunction', 's3:PutObject')).toEqual(['retour/*']);
    expect(keyPatterns('JudgeFunction', 's3:PutObject')).toEqual(['retour/*']);
    const sweeper = statementsOf('SweeperFunction');
    const sweeperActions = sweeper.flatMap((s) => [s.Action].flat()).sort();
    // Besides its own logs and X-Ray (every function's), the waiting index and the judge's queue.
    const own = (action: string) => action.startsWith('logs:') || action.startsWith('xray:');
    expect(sweeperActions.filter((action) => !action.startsWith('sqs:') && !own(action))).toEqual([
      'dynamodb:Query',
    ]);
    expect(sweeperActions.filter((action) => action.startsWith('sqs:'))).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(resourcesOf('SweeperFunction', 'dynamodb:Query')).toEqual([
      expect.stringContaining(`/index/${TABLE.pendingIndex.name}`),
    ]);
  });

  it('encrypts both topics with a customer-managed key CloudWatch and EventBridge may use, so that alarms and heartbeat arrive', () => {
    const keys = template.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(1);
    const [keyId, key] = Object.entries(keys)[0] as [string, { Properties: Record<string, unknown> }];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = (key.Properties.KeyPolicy as { Statement: Array<Record<string, unknown>> }).Statement;
    // CloudWatch publishes the alarms, EventBridge the daily heartbeat.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    // The function that publishes may use the key too.
    const notifyPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.includes('NotifyFunction'),
    )?.[1];
    expect(JSON.stringify(notifyPolicy)).toContain('kms:GenerateDataKey');
  });

  it('keeps deposits, returns and their old versions ten years by default, retention from context', () => {
    const days = (template: Template) =>
      Object.values(template.findResources('AWS::S3::Bucket')).map(
        (bucket) => bucket.Properties.LifecycleConfiguration.Rules[0],
      );
    for (const rule of days(template)) {
      expect(rule.ExpirationInDays).toBe(3653);
      expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 3653 });
    }
    const app = testApp();
    const five = Template.fromStack(
      new SegurStack(app, 'Five', { notificationEmails: [], retentionYears: 5 }),
    );
    for (const rule of days(five)) {
      expect(rule.ExpirationInDays).toBe(1827);
      expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 1827 });
    }
    expect(() => retentionYears('deux')).toThrow("retentionYears attend un nombre entier d'années");
    expect(retentionYears(undefined)).toBe(10);
  });

  it('keeps the record: Object Lock on deposits and returns, their access logs, the registry protected and backed up', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    const locked = Object.entries(buckets).filter(([, bucket]) => bucket.Properties.ObjectLockEnabled);
    expect(locked.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^IntakeInputBucket/),
      expect.stringMatching(/^ResultsOutputBucket/),
    ]);
    const [logsId] = Object.keys(buckets).filter((id) => id.startsWith('AccessLogsBucket'));
    for (const [, bucket] of locked) {
      expect(bucket.Properties.ObjectLockConfiguration).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 3653 } },
      });
      expect(bucket.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: expect.stringMatching(/^(depots|retours)\/$/),
      });
    }
    // The access logs are kept as long as the records; S3 delivers them only to an unlocked bucket.
    expect(buckets[logsId as string]?.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
      ExpirationInDays: 3653,
      NoncurrentVersionExpiration: { NoncurrentDays: 3653 },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
    template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({ Lifecycle: { DeleteAfterDays: 3653 }, ScheduleExpression: 'cron(0 3 * * ? *)' }),
        ],
      },
    });
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^StateTable'), 'Arn'] }],
      }),
    });
    const compliance = Template.fromStack(
      new SegurStack(testApp(), 'Compliance', {
        notificationEmails: [],
        objectLock: objectLockMode('compliance'),
      }),
    );
    compliance.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3653 } },
      },
    });
    expect(() => objectLockMode('souple')).toThrow('objectLock attend GOVERNANCE ou COMPLIANCE');
  });

  it('deploys in France whatever the CLI profile names, another region only by context', () => {
    const profile = { CDK_DEFAULT_REGION: 'us-east-1', CDK_DEFAULT_ACCOUNT: '123456789012' };
    const regionOf = (context: Record<string, string>) => {
      const app = testApp(context);
      const stack = new SegurStack(app, 'Region', stackPropsFrom(app, profile));
      return stack.region;
    };
    expect(regionOf({})).toBe('eu-west-3');
    expect(regionOf({ region: 'eu-west-1' })).toBe('eu-west-1');
    expect(() => deploymentRegion('paris')).toThrow('region attend un nom de région AWS');
  });

  it('subscribes a vendor’s email to the verdicts filtered on its siret, an operator’s to the alarms alone', () => {
    const topicOf = (name: string) =>
      Object.entries(template.findResources('AWS::SNS::Topic')).find(
        ([, topic]) => topic.Properties.TopicName === name,
      )?.[0];
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@asp.example',
      TopicArn: { Ref: topicOf('segur-exploitation') },
      FilterPolicy: Match.absent(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'editeur@exemple.fr',
      TopicArn: { Ref: topicOf('segur-notifications') },
      FilterPolicy: { siret: ['88558855858745'] },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('refuses a malformed notificationEmails context, listing every error', () => {
    expect(() => parseNotificationEmails([{ email: 'x' }, { email: 'a@b.fr', siret: '123' }])).toThrow(
      'notificationEmails[0].email invalide ; notificationEmails[1].siret doit compter 14 chiffres',
    );
    expect(parseNotificationEmails('[{"email":"a@b.fr"}]')).toEqual([{ email: 'a@b.fr' }]);
  });
});

describe('vendors’ access', () => {
  // IAM's own substitution, written out: a literal in the policy, not a template placeholder.
  const SIRET_OF_SESSION = `\${aws:PrincipalTag/siret}`;
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { RoleName: VENDORS.roleName },
  });
  const [roleId, role] = Object.entries(roles)[0] ?? [];

  it('has one role, assumed only with the caller’s own siret tag as session tag, for an hour at most', () => {
    expect(Object.keys(roles)).toHaveLength(1);
    expect(role?.Properties.MaxSessionDuration).toBe(3600);
    const trust = role?.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'aws:RequestTag/siret': SIRET_OF_SESSION },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['siret'] },
          Null: { 'aws:PrincipalTag/siret': 'false' },
        },
      }),
    ]);
  });

  it('lets a session write under depot/<its siret>/ and read retour/<its siret>/, nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles ?? []).includes(roleId as string),
    );
    const statements = policies.flatMap(
      (policy) =>
        (policy as unknown as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties
          .PolicyDocument.Statement,
    ) as Array<{ Action: string; Resource: unknown; Condition?: unknown }>;
    const text = (value: unknown) => JSON.stringify(value);
    expect(statements.map((statement) => statement.Action).sort()).toEqual([
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucket',
      's3:PutObject',
    ]);
    const put = statements.find((statement) => statement.Action === 's3:PutObject');
    expect(text(put?.Resource)).toContain(`/depot/${SIRET_OF_SESSION}/*`);
    expect(text(put?.Resource)).toContain('InputBucket');
    const get = statements.find((statement) => statement.Action === 's3:GetObject');
    expect(text(get?.Resource)).toContain(`/retour/${SIRET_OF_SESSION}/*`);
    expect(text(get?.Resource)).toContain('OutputBucket');
    for (const list of statements.filter((statement) => statement.Action === 's3:ListBucket'))
      expect(text(list.Condition)).toMatch(
        /"s3:prefix":\["(depot|retour)\/\$\{aws:PrincipalTag\/siret\}\/\*"\]/,
      );
  });

  it('gives the vendors’ group nothing but assuming that role', () => {
    const groups = template.findResources('AWS::IAM::Group', {
      Properties: { GroupName: VENDORS.groupName },
    });
    const [groupId] = Object.keys(groups);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Groups ?? []).includes(groupId as string))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
      }),
    ]);
  });

  it('denies the role, in each bucket’s policy, any other action and any other siret’s folder', () => {
    for (const [bucket, action, folder] of [
      ['InputBucket', 's3:PutObject', 'depot'],
      ['OutputBucket', 's3:GetObject', 'retour'],
    ] as const) {
      const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((candidate) =>
        JSON.stringify(candidate.Properties.Bucket).includes(bucket),
      );
      const denials = policy?.Properties.PolicyDocument.Statement.filter(
        (statement: { Effect: string; Condition?: unknown }) =>
          statement.Effect === 'Deny' && JSON.stringify(statement.Condition ?? {}).includes(roleId as string),
      );
      expect(denials).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Sid: 'VendorsOnlyTheirAction',
            Principal: '*',
            NotAction: [action, 's3:ListBucket'],
            Condition: { ArnEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [roleId, 'Arn'] } } },
          }),
          expect.objectContaining({
            Sid: 'VendorsOnlyTheirFolder',
            Action: action,
            NotResource: expect.objectContaining({
              'Fn::Join': ['', [expect.anything(), `/${folder}/${SIRET_OF_SESSION}/*`]],
            }),
          }),
        ]),
      );
    }
  });

  it('tells the operators the role and topic the vendors’ commands need', () => {
    template.hasOutput('VendorRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    template.hasOutput('NotificationTopicArn', {});
  });
});

describe('the deposit simulator as a static site (context simulateur)', () => {
  // Its warning (no domain, so TLS 1.0 stays possible) is test/infra/compliance.test.ts's to check.
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const withSite = Template.fromStack(
    new SegurStack(testApp(), 'Site', { notificationEmails: [], simulator: true }),
  );
  quiet.mockRestore();

  it('is absent unless switched on', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    withSite.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });

  it('serves a private bucket through CloudFront with origin access control, HTTPS only', () => {
    withSite.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    withSite.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
    const siteBuckets = withSite.findResources('AWS::S3::Bucket', {
      Properties: { PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: true }) },
    });
    expect(Object.keys(siteBuckets).some((id) => id.startsWith('SimulatorSiteBucket'))).toBe(true);
    withSite.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^SimulatorSiteBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    withSite.hasOutput('SimulatorUrl', {});
  });

  it('sends the page’s own CSP (no connection allowed) and the security headers', () => {
    const page = readFileSync(join(__dirname, '..', '..', 'dist', 'web', 'index.html'), 'utf8');
    const pageCsp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1];
    expect(pageCsp).toContain("connect-src 'none'");
    withSite.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: pageCsp, Override: true },
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 63072000,
            IncludeSubdomains: true,
          }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        }),
      }),
    });
  });
});
