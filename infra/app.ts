import { App } from 'aws-cdk-lib';
import { stackPropsFrom } from './app-props';
import { SegurStack } from './segur-stack';

/** `npx cdk synth`: works offline; functions are bundled by the local esbuild. */
const app = new App();
new SegurStack(app, 'SegurPipeline', stackPropsFrom(app));
