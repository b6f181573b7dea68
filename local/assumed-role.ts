import { AssumeRoleCommand, STSClient, type Tag } from '@aws-sdk/client-sts';
import { OPERATORS } from '../shared/config/resources';
import { UsageError } from './cli-io';

export type TemporaryCredentials = () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}>;

/**
 * The credentials of a session of `roleArn` (`--role-arn` of the vendors' and the operators'
 * commands), for every client the command makes. A refusal is said in French, with what to check.
 */
export async function assumedRoleCredentials(request: {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly region: string;
  readonly durationSeconds: number;
  readonly tags?: Tag[];
  /** Who asked, in the refusal's words (« pour le SIRET … »). */
  readonly asking?: string;
  /** What to check when the role is refused (who may assume it). */
  readonly refusalHint: string;
  readonly sts?: STSClient;
}): Promise<TemporaryCredentials> {
  const client = request.sts ?? new STSClient({ region: request.region });
  const { Credentials } = await client
    .send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        DurationSeconds: request.durationSeconds,
        ...(request.tags ? { Tags: request.tags } : {}),
      }),
    )
    .catch((error: unknown) => {
      throw new UsageError(
        `rôle ${request.roleArn} refusé${request.asking ? ` ${request.asking}` : ''} : ${error instanceof Error ? error.message : String(error)} (${request.refusalHint})`,
      );
    })
    .finally(() => {
      if (!request.sts) client.destroy();
    });
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey)
    throw new UsageError(`rôle ${request.roleArn} : aucune clé temporaire reçue`);
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = Credentials;
  return async () => ({
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    expiration: Expiration,
  });
}

/** A session of the operators' role (output OperatorRoleArn), for their commands. */
export function operatorsRoleCredentials(
  roleArn: string,
  region: string,
  sessionName: string,
  sts?: STSClient,
): Promise<TemporaryCredentials> {
  return assumedRoleCredentials({
    roleArn,
    sessionName,
    region,
    durationSeconds: OPERATORS.sessionHours * 3600,
    refusalHint: 'votre identité a-t-elle le droit sts:AssumeRole sur ce rôle ?',
    ...(sts ? { sts } : {}),
  });
}
