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
    objectLock: objectLockMode(context('objectLock')),
    env: { account: environment.CDK_DEFAULT_ACCOUNT, region: deploymentRegion(context('region')) },
  };
}

/** A boolean context value, given as `-c simulateur=true` (a string) or in cdk.json (a boolean). */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
