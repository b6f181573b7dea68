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
import { RETENTION } from '../../shared/config/resources';

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

/**
 * Old deposits and outputs: cheaper storage after a month, kept `retentionYears` (then deleted),
 * old versions gone after three months, uploads never left half-done.
 */
export function archiveRule(prefix: string, retentionYears: number = RETENTION.defaultYears): LifecycleRule {
  return {
    id: `archive-${prefix.replace(/\W/g, '')}`,
    prefix,
    transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
    expiration: Duration.days(Math.ceil(retentionYears * 365.25)),
    noncurrentVersionExpiration: Duration.days(RETENTION.noncurrentVersionDays),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}
