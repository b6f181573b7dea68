import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import { TOPIC, VENDORS } from '../shared/config/resources';
import { operatorsRoleCredentials } from './assumed-role';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';

/**
 * Onboarding a vendor, for the operators: data, never code. The vendor's IAM user (tagged with its
 * SIRET, in the vendors' group, whose only right is to assume the deposit role with that SIRET as
 * session tag), its access key, and its email subscribed to the notifications filtered on its SIRET.
 * Run again, it completes what is missing and never creates a second key unless asked.
 */
export const ONBOARD_USAGE = `Inscription d'un fournisseur (opérateurs, sur AWS : IAM n'existe pas dans la pile embarquée) :
  segur-pipeline inscrire-fournisseur <SIRET> [--email <adresse>] [--topic-arn <arn>] [--nouvelle-cle] [--region <région>] [--role-arn <arn>]
      crée l'utilisateur IAM ${VENDORS.userPath}fournisseur-<SIRET> (étiquette ${VENDORS.tag}=<SIRET>, groupe ${VENDORS.groupName})
      et sa clé d'accès ; avec --email et --topic-arn (sortie NotificationTopicArn), abonne l'adresse
      aux courriels de ce seul SIRET ; --role-arn : la sortie OperatorRoleArn (le rôle des opérateurs)`;

export interface OnboardDeps {
  readonly iam?: IAMClient;
  readonly sns?: SNSClient;
  readonly sts?: STSClient;
}

export async function runOnboard(
  args: readonly string[],
  io: CliIo,
  deps: OnboardDeps = {},
): Promise<number> {
  const { values, positionals } = parseOptions('inscrire-fournisseur', args, {
    email: { type: 'string' },
    'topic-arn': { type: 'string' },
    'nouvelle-cle': { type: 'boolean', default: false },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    'role-arn': { type: 'string' },
  });
  if (values.endpoint)
    throw new UsageError(
      "inscrire-fournisseur crée un utilisateur IAM : sur AWS seulement (la pile embarquée n'a pas d'IAM ; ses dépôts se font avec --endpoint, sans inscription)",
    );
  if (positionals.length !== 1) throw new UsageError('indiquez le SIRET du fournisseur (14 chiffres)');
  const siret = positionals[0] as string;
  if (!/^\d{14}$/.test(siret)) throw new UsageError(`SIRET « ${siret} » : 14 chiffres attendus`);
  if (values.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email))
    throw new UsageError(`adresse « ${values.email} » invalide`);
  if (values.email && !values['topic-arn'])
    throw new UsageError('--email demande --topic-arn (sortie NotificationTopicArn de la pile)');
  const region = values.region ?? process.env.AWS_REGION ?? 'eu-west-3';
  // With --role-arn, a session of the operators' role (its policy names the vendors' users, group and topic).
  const credentials = values['role-arn']
    ? await operatorsRoleCredentials(values['role-arn'], region, 'exploitation-inscription', deps.sts)
    : undefined;
  const withCredentials = credentials ? { credentials } : {};
  const iam = deps.iam ?? new IAMClient({ region, ...withCredentials });
  const userName = `fournisseur-${siret}`;
  const tags = [{ Key: VENDORS.tag, Value: siret }];

  const existing = await iam.send(new GetUserCommand({ UserName: userName })).then(
    (response) => response.User,
    (error: unknown) => {
      if ((error as { name?: string }).name === 'NoSuchEntityException') return undefined;
      throw error;
    },
  );
  if (existing) {
    // The tag is the vendor's identity: put back as it must be, whatever happened to it.
    await iam.send(new TagUserCommand({ UserName: userName, Tags: tags }));
    io.stdout.write(`utilisateur ${userName} déjà inscrit : étiquette ${VENDORS.tag}=${siret} vérifiée\n`);
  } else {
    await iam.send(new CreateUserCommand({ UserName: userName, Path: VENDORS.userPath, Tags: tags }));
    io.stdout.write(`utilisateur ${userName} créé (étiquette ${VENDORS.tag}=${siret})\n`);
  }
  await iam.send(new AddUserToGroupCommand({ GroupName: VENDORS.groupName, UserName: userName }));
  io.stdout.write(`dans le groupe ${VENDORS.groupName}\n`);

  if (!existing || values['nouvelle-cle']) {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    io.stdout.write(
      [
        '',
        'À transmettre au fournisseur par un canal sûr (la clé secrète ne sera plus affichée) :',
        `  aws_access_key_id = ${AccessKey?.AccessKeyId}`,
        `  aws_secret_access_key = ${AccessKey?.SecretAccessKey}`,
        'Ses commandes (rôle : sortie VendorRoleArn de la pile) :',
        `  segur-pipeline deposer <fichier.json> --zip <fichier.zip> --siret ${siret} --role-arn <VendorRoleArn> --attendre`,
        `  segur-pipeline recuperer --siret ${siret} --role-arn <VendorRoleArn>`,
        '',
      ].join('\n'),
    );
  }

  if (values.email && values['topic-arn']) {
    const sns = deps.sns ?? new SNSClient({ region, ...withCredentials });
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: values['topic-arn'],
        Protocol: 'email',
        Endpoint: values.email,
        Attributes: { FilterPolicy: JSON.stringify({ [TOPIC.siretAttribute]: [siret] }) },
        ReturnSubscriptionArn: true,
      }),
    );
    io.stdout.write(
      `${values.email} abonné aux courriels du SIRET ${siret} (${SubscriptionArn ?? 'en attente'}) : il doit confirmer le lien reçu d'AWS\n`,
    );
  }
  return 0;
}
