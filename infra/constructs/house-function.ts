import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type FunctionSettings, LOG_RETENTION_DAYS } from '../../shared/config/resources';
import { acknowledge } from '../compliance';

/**
 * One function with the house defaults: Node.js 24 on arm64, bundled by the local esbuild (never
 * Docker) with its dependencies and the locked AWS SDK, source maps on, its own log group with a
 * retention and a role that writes there alone, JSON logs, X-Ray tracing by context.
 */
export interface HouseFunctionProps {
  /** Folder under lambdas/ holding handler.ts. */
  readonly handlerDir: string;
  readonly settings: FunctionSettings;
  readonly environment: Record<string, string>;
  readonly description: string;
  /** X-Ray (Lambda's active tracing and Powertools' Tracer); on unless the stack's `tracing` context is false. */
  readonly tracing?: boolean;
}

const RETENTION: Record<number, RetentionDays> = {
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
};

export class HouseFunction extends NodejsFunction {
  /** Its own role (logs to its own group, what the constructs grant it). */
  readonly houseRole: Role;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RETENTION[LOG_RETENTION_DAYS] ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, writing to its own log group alone: the managed AWSLambdaBasicExecutionRole
    // would let it create log groups and write to any of the account's.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Rôle de la fonction ${props.handlerDir}`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const tracing = props.tracing ?? true;
    super(scope, id, {
      role,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
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
        POWERTOOLS_TRACE_ENABLED: String(tracing),
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
    this.houseRole = role;
    acknowledge(
      this,
      'Serverless-LambdaDLQ',
      "Invoquée par une file SQS qui a sa file de lettres mortes (intake, judge, notify) ou par la règle planifiée qui a la sienne (sweeper) : une DLQ de fonction ne couvre que l'invocation asynchrone",
    );
    acknowledge(
      this,
      'Serverless-LambdaEventSourceMappingDestination',
      "Source SQS : les messages en échec vont dans la file de lettres mortes de la file (redrive policy), une destination d'échec ne vaut que pour les flux (Kinesis, DynamoDB, Kafka)",
    );
    if (tracing)
      acknowledge(
        role,
        'AwsSolutions-IAM5[Resource::*]',
        "X-Ray : xray:PutTraceSegments et xray:PutTelemetryRecords n'acceptent aucune ressource plus précise que *",
      );
    else
      acknowledge(
        this,
        'Serverless-LambdaTracing',
        'Traçage X-Ray désactivé par le contexte (-c tracing=false)',
      );
  }
}
