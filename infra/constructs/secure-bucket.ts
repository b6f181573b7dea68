import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** A bucket with the house defaults: private, TLS only, encrypted, versioned, kept on stack deletion. */
export function secureBucket(scope: Construct, id: string, lifecycleRules: LifecycleRule[]): Bucket {
  return new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules,
  });
}

/** Old deposits and outputs: cheaper storage after a month, old versions gone after three, uploads never left half-done. */
export function archiveRule(prefix: string): LifecycleRule {
  return {
    id: `archive-${prefix.replace(/\W/g, '')}`,
    prefix,
    transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
    noncurrentVersionExpiration: Duration.days(90),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}
