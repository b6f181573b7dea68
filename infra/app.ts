import { App } from 'aws-cdk-lib';
import { linkExpiryHours, retentionYears } from '../shared/config/resources';
import { parseNotificationEmails } from './constructs/notifications';
import { SegurStack } from './segur-stack';

/** `npx cdk synth`: works offline; functions are bundled by the local esbuild. */
const app = new App();
new SegurStack(app, 'SegurPipeline', {
  notificationEmails: parseNotificationEmails(app.node.tryGetContext('notificationEmails')),
  linkExpiryHours: linkExpiryHours(app.node.tryGetContext('linkExpiryHours')),
  retentionYears: retentionYears(app.node.tryGetContext('retentionYears')),
  simulator: isTrue(app.node.tryGetContext('simulateur')),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

/** A boolean context value, given as `-c simulateur=true` (a string) or in cdk.json (a boolean). */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
