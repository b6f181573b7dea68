import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type FunctionSettings, LOG_RETENTION_DAYS } from '../../shared/config/resources';

/**
 * One function with the house defaults: Node.js 22 on arm64, bundled by the local esbuild (never
 * Docker) with its dependencies and the locked AWS SDK, source maps on, its own log group with a
 * retention, JSON logs.
 */
export interface HouseFunctionProps {
  /** Folder under lambdas/ holding handler.ts. */
  readonly handlerDir: string;
  readonly settings: FunctionSettings;
  readonly environment: Record<string, string>;
  readonly description: string;
}

const RETENTION: Record<number, RetentionDays> = {
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
};

export class HouseFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RETENTION[LOG_RETENTION_DAYS] ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: join(__dirname, '..', '..', 'lambdas', props.handlerDir, 'handler.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(props.settings.timeoutSeconds),
      memorySize: props.settings.memoryMb,
      description: props.description,
      logGroup,
      // Powertools' level is an environment variable: DevOps change it on the function, no code change.
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_SERVICE_NAME: props.handlerDir,
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        // Everything bundled, the AWS SDK included: the functions run the SDK of package-lock.json,
        // the one the tests ran, not whichever one the Lambda runtime carries that day (CDK's
        // default leaves @aws-sdk/* out of the bundle).
        externalModules: [],
        sourceMap: true,
        minify: true,
        target: 'node24',
        format: OutputFormat.CJS,
        mainFields: ['module', 'main'],
      },
    });
  }
}
