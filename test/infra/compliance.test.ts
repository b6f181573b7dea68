import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { addComplianceChecks } from '../../infra/compliance';
import { SegurStack, type SegurStackProps } from '../../infra/segur-stack';

/**
 * cdk-nag (AwsSolutions and Serverless packs) on the stack as `cdk synth` builds it: no finding
 * that is neither fixed nor acknowledged with its reason next to its resource.
 */
function appWithChecks(): App {
  const { context } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'segur-nag-')),
    context: { ...context, 'aws:cdk:bundling-stacks': [] },
  });
  addComplianceChecks(app);
  return app;
}

function synthesizedWithChecks(props: Partial<SegurStackProps>): App {
  const app = appWithChecks();
  new SegurStack(app, 'Nag', {
    notificationEmails: [{ email: 'ops@asp.example' }, { email: 'x@editeur.fr', siret: '88558855858745' }],
    ...props,
  });
  // The simulator's TLS warning is printed; the describe below checks it.
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } finally {
    quiet.mockRestore();
  }
  return app;
}

describe('cdk-nag on the stack', () => {
  it('finds nothing left, simulator included, tracing on or off', () => {
    expect(() => synthesizedWithChecks({})).not.toThrow();
    expect(() => synthesizedWithChecks({ simulator: true })).not.toThrow();
    expect(() => synthesizedWithChecks({ tracing: false })).not.toThrow();
    // Deployed as `cdk synth` does it: in eu-west-3, the partition known (ARNs in findings change).
    expect(() => synthesizedWithChecks({ simulator: true, env: { region: 'eu-west-3' } })).not.toThrow();
  });

  it('stops the synthesis on a finding nobody acknowledged', () => {
    const app = appWithChecks();
    const stack = new Stack(app, 'Careless', { env: { region: 'eu-west-3' } });
    new Bucket(stack, 'Open');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
    const report = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions-S1');
    expect(report).toContain('AwsSolutions-S10');
  });
});

/** The pipeline's own functions (CDK adds its own for deployment: the bucket notifications, the page's copy). */
function houseFunctions(template: Template) {
  return Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
  );
}

describe('the fixes it asked for', () => {
  // The simulator without a domain of its own: the synthesis says what that costs (TLS 1.0).
  const warnings = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const template = Template.fromStack(
    new SegurStack(appWithChecks(), 'Fixed', {
      notificationEmails: [{ email: 'ops@asp.example' }, { email: 'x@editeur.fr', siret: '88558855858745' }],
      simulator: true,
    }),
  );
  const printed = warnings.mock.calls.flat().join('\n');
  warnings.mockRestore();

  it('says at synthesis that the simulator without a domain accepts TLS 1.0', () => {
    expect(printed).toContain(
      'Simulateur sans domaine : le certificat *.cloudfront.net de CloudFront accepte encore TLS 1.0',
    );
  });

  it('traces every function with X-Ray, Powertools’ Tracer on; off by context', () => {
    const functions = houseFunctions(template);
    expect(functions).toHaveLength(4);
    for (const [, fn] of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
    }
    const off = Template.fromStack(
      new SegurStack(appWithChecks(), 'Untraced', { notificationEmails: [], tracing: false }),
    );
    for (const [, fn] of houseFunctions(off)) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    }
  });

  it('gives each function a role that writes its own log group alone, no managed policy', () => {
    const roles = template.findResources('AWS::IAM::Role');
    for (const [, fn] of houseFunctions(template)) {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      expect(roles[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        }),
      );
    }
  });

  it('keeps EventBridge’s and SNS’s failed deliveries in a dead-letter queue', () => {
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { QueueName: 'segur-livraisons-dlq' },
    });
    const queueArn = { 'Fn::GetAtt': [Object.keys(queues)[0], 'Arn'] };
    for (const rule of Object.values(template.findResources('AWS::Events::Rule')))
      expect(rule.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: queueArn });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.allResourcesProperties('AWS::SNS::Subscription', {
      RedrivePolicy: { deadLetterTargetArn: queueArn },
    });
  });

  it('logs the simulator bucket’s requests, and asks for TLS 1.2 when the site has its own domain', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'simulateur/' },
    });
    const named = Template.fromStack(
      new SegurStack(appWithChecks(), 'Named', {
        notificationEmails: [],
        simulator: true,
        simulatorDomain: {
          name: 'simulateur.segur.example',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      }),
    );
    named.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['simulateur.segur.example'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
  });
});
