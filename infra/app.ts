import { App } from 'aws-cdk-lib';
import { stackPropsFrom } from './app-props';
import { addComplianceChecks } from './compliance';
import { SegurStack } from './segur-stack';

/** `npx cdk synth`: works offline; functions are bundled by the local esbuild; cdk-nag gates it. */
const app = new App();
new SegurStack(app, 'SegurPipeline', stackPropsFrom(app));
addComplianceChecks(app);
