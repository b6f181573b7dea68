import type { App } from 'aws-cdk-lib';
import {
  deploymentRegion,
  linkExpiryHours,
  objectLockMode,
  retentionYears,
} from '../shared/config/resources';
import { parseNotificationEmails } from './constructs/notifications';
import type { SegurStackProps } from './segur-stack';

/**
 * The stack's settings from the CDK context (`-c name=value` or cdk.json), each checked, with safe
 * defaults. The region is France unless the context names another: the CLI profile's region
 * (CDK_DEFAULT_REGION) is never taken, so that `cdk deploy` as written lands in eu-west-3.
 */
export function stackPropsFrom(app: App, environment: NodeJS.ProcessEnv = process.env): SegurStackProps {
  const context = (name: string) => app.node.tryGetContext(name);
  return {
    notificationEmails: parseNotificationEmails(context('notificationEmails')),
    linkExpiryHours: linkExpiryHours(context('linkExpiryHours')),
    retentionYears: retentionYears(context('retentionYears')),
    simulator: isTrue(context('simulateur')),
    ...simulatorDomain(context('simulateurDomaine'), context('simulateurCertificat')),
    objectLock: objectLockMode(context('objectLock')),
    tracing: !isFalse(context('tracing')),
    env: { account: environment.CDK_DEFAULT_ACCOUNT, region: deploymentRegion(context('region')) },
  };
}

/** A boolean context value, given as `-c simulateur=true` (a string) or in cdk.json (a boolean). */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A switch on by default, turned off by `-c tracing=false` or `false` in cdk.json. */
function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** The simulator's domain and certificate come together, or not at all. */
function simulatorDomain(name: unknown, certificateArn: unknown): Pick<SegurStackProps, 'simulatorDomain'> {
  if (name === undefined && certificateArn === undefined) return {};
  if (typeof name !== 'string' || typeof certificateArn !== 'string' || !certificateArn.startsWith('arn:'))
    throw new Error(
      'simulateurDomaine et simulateurCertificat vont ensemble : le nom du site et l’ARN de son certificat ACM (us-east-1)',
    );
  return { simulatorDomain: { name, certificateArn } };
}
