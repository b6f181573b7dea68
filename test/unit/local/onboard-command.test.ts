import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  NoSuchEntityException,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runOnboard } from '../../../local/onboard-command';
import { mockAssumeRole } from '../../support/sts';

/** `inscrire-fournisseur`: IAM and SNS calls (mocked: IAM exists only on AWS). */
const iam = mockClient(IAMClient);
const sns = mockClient(SNSClient);
const SIRET = '88558855858745';
const TOPIC = 'arn:aws:sns:eu-west-3:123456789012:segur-notifications';

function io() {
  const output = { stdout: '' };
  return {
    output,
    io: {
      stdout: { write: (text: string) => (output.stdout += text) },
      stderr: { write: () => true },
      colour: false,
    },
  };
}

const deps = () => ({
  iam: new IAMClient({ region: 'eu-west-3' }),
  sns: new SNSClient({ region: 'eu-west-3' }),
});

beforeEach(() => {
  iam.reset();
  sns.reset();
  iam.on(CreateAccessKeyCommand).resolves({
    AccessKey: {
      UserName: `fournisseur-${SIRET}`,
      AccessKeyId: 'AKIAEXEMPLE',
      SecretAccessKey: 'secret-exemple',
      Status: 'Active',
    },
  });
  sns.on(SubscribeCommand).resolves({ SubscriptionArn: 'pending confirmation' });
});

describe('segur-pipeline inscrire-fournisseur', () => {
  it('creates the tagged user in the vendors’ group, its key, and subscribes its email to its SIRET alone', async () => {
    iam.on(GetUserCommand).rejects(new NoSuchEntityException({ message: 'absent', $metadata: {} }));
    const { io: cli, output } = io();
    expect(
      await runOnboard([SIRET, '--email', 'contact@editeur.fr', '--topic-arn', TOPIC], cli, deps()),
    ).toBe(0);
    expect(iam.commandCalls(CreateUserCommand)[0]?.args[0].input).toEqual({
      UserName: `fournisseur-${SIRET}`,
      Path: '/segur/fournisseurs/',
      Tags: [{ Key: 'siret', Value: SIRET }],
    });
    expect(iam.commandCalls(AddUserToGroupCommand)[0]?.args[0].input).toEqual({
      GroupName: 'segur-fournisseurs',
      UserName: `fournisseur-${SIRET}`,
    });
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(1);
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Protocol: 'email',
      Endpoint: 'contact@editeur.fr',
      Attributes: { FilterPolicy: JSON.stringify({ siret: [SIRET] }) },
      ReturnSubscriptionArn: true,
    });
    expect(output.stdout).toContain('aws_access_key_id = AKIAEXEMPLE');
    expect(output.stdout).toContain(
      `segur-pipeline deposer <fichier.json> --zip <fichier.zip> --siret ${SIRET}`,
    );
  });

  it('run again, puts the tag back and creates no second key unless asked', async () => {
    iam.on(GetUserCommand).resolves({
      User: {
        UserName: `fournisseur-${SIRET}`,
        UserId: 'AIDA',
        Arn: 'arn:aws:iam::123456789012:user/segur/fournisseurs/x',
        Path: '/segur/fournisseurs/',
        CreateDate: new Date(),
      },
    });
    const { io: cli, output } = io();
    expect(await runOnboard([SIRET], cli, deps())).toBe(0);
    expect(iam.commandCalls(CreateUserCommand)).toHaveLength(0);
    expect(iam.commandCalls(TagUserCommand)[0]?.args[0].input.Tags).toEqual([{ Key: 'siret', Value: SIRET }]);
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
    expect(output.stdout).toContain('déjà inscrit');
    expect(await runOnboard([SIRET, '--nouvelle-cle'], io().io, deps())).toBe(0);
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(1);
  });

  it('refuses a bad SIRET, an email without topic, and the embedded stack, before any call', async () => {
    await expect(runOnboard(['123'], io().io, deps())).rejects.toThrow(
      'SIRET « 123 » : 14 chiffres attendus',
    );
    await expect(runOnboard([SIRET, '--email', 'x@y.fr'], io().io, deps())).rejects.toThrow(
      '--email demande --topic-arn',
    );
    await expect(runOnboard([SIRET, '--endpoint', 'http://127.0.0.1:4566'], io().io, deps())).rejects.toThrow(
      'sur AWS seulement',
    );
    expect(iam.calls()).toHaveLength(0);
  });
});

describe('inscrire-fournisseur --role-arn', () => {
  it('makes its IAM and SNS calls in a session of the operators’ role', async () => {
    const sts = mockAssumeRole('ASIAOPS');
    try {
      iam.on(GetUserCommand).rejects(new NoSuchEntityException({ message: 'absent', $metadata: {} }));
      const roleArn = 'arn:aws:iam::123456789012:role/segur-exploitation';
      const { io: cli } = io();
      expect(
        await runOnboard(
          [SIRET, '--email', 'contact@editeur.fr', '--topic-arn', TOPIC, '--role-arn', roleArn],
          cli,
          {
            sts: new STSClient({ region: 'eu-west-3' }),
          },
        ),
      ).toBe(0);
      expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({ RoleArn: roleArn });
      for (const call of [iam.commandCalls(CreateUserCommand)[0], sns.commandCalls(SubscribeCommand)[0]]) {
        const client = call?.thisValue as IAMClient | SNSClient;
        const credentials = await (client.config.credentials as () => Promise<{ accessKeyId: string }>)();
        expect(credentials.accessKeyId).toBe('ASIAOPS');
      }
    } finally {
      sts.restore();
    }
  });
});
