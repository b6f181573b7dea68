import { type App, Stack, Token, Validations } from 'aws-cdk-lib';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag's AwsSolutions and Serverless packs on every stack of the app: `cdk synth` stops on a
 * finding that is neither fixed nor acknowledged next to its resource with its reason (the
 * template tests synthesize the same way, test/infra/compliance.test.ts).
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** Acknowledges one cdk-nag finding on a construct (and what it holds), with the reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * A finding id naming an ARN built from the stack's partition, account and region, as cdk-nag
 * writes it: `<AWS::Partition>`, `<AWS::AccountId>`, `<AWS::Region>` where the stack leaves them to
 * CloudFormation, their values where it knows them (a stack deployed to eu-west-3 is in partition
 * `aws`). AWS managed policies' ARNs keep their placeholder: CDK always leaves their partition open.
 */
export function findingFor(scope: IConstruct, id: string): string {
  const stack = Stack.of(scope);
  const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  return id
    .replaceAll('<AWS::Partition>', known(stack.partition, '<AWS::Partition>'))
    .replaceAll('<AWS::AccountId>', known(stack.account, '<AWS::AccountId>'))
    .replaceAll('<AWS::Region>', known(stack.region, '<AWS::Region>'));
}

/**
 * The finding id of an IAM wildcard on objects of a bucket under a key pattern, as cdk-nag writes
 * it (`Resource::<LogicalId.Arn>/prefix/*`).
 */
export function bucketObjectsFinding(bucket: IBucket, pattern: string): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${pattern}]`;
}
