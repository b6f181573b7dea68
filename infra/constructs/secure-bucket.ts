import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { type ObjectLockMode, RETENTION, retentionDays } from '../../shared/config/resources';

/** Who read or wrote what: S3's server access logs. */
export interface AccessLogging {
  /** Where S3 writes the server access logs (one log bucket for the stack). */
  readonly accessLogs: Bucket;
  readonly accessLogsPrefix: string;
}

/** How a bucket keeps the record: Object Lock on every version, and who read or wrote what. */
export interface RecordKeeping extends AccessLogging {
  readonly mode: ObjectLockMode;
  readonly years: number;
}

/**
 * A bucket with the house defaults: private, TLS only, encrypted, versioned, kept on stack deletion.
 * With `record`, every version is under Object Lock for the retention period and every request is
 * in the server access logs; with access logging alone, the requests are logged.
 */
export function secureBucket(
  scope: Construct,
  id: string,
  lifecycleRules: LifecycleRule[],
  record?: RecordKeeping | AccessLogging,
): Bucket {
  return new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules,
    ...(record
      ? { serverAccessLogsBucket: record.accessLogs, serverAccessLogsPrefix: record.accessLogsPrefix }
      : {}),
    ...(record && 'mode' in record
      ? {
          objectLockEnabled: true,
          objectLockDefaultRetention:
            record.mode === 'COMPLIANCE'
              ? ObjectLockRetention.compliance(Duration.days(retentionDays(record.years)))
              : ObjectLockRetention.governance(Duration.days(retentionDays(record.years))),
        }
      : {}),
  });
}

/**
 * The bucket of the server access logs: kept as long as the records they speak of. S3 delivers
 * logs only to a bucket without a default Object Lock retention, so this one is protected by its
 * policy and versions instead (a deleted log stays as a noncurrent version for the whole period).
 */
export function accessLogsBucket(scope: Construct, id: string, years: number): Bucket {
  return secureBucket(scope, id, [
    {
      id: 'journaux-acces',
      expiration: Duration.days(retentionDays(years)),
      noncurrentVersionExpiration: Duration.days(retentionDays(years)),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
  ]);
}

/**
 * Old deposits and outputs: cheaper storage after a month, kept `retentionYears`. A version
 * replaced (a JSON re-sent, a report rewritten by a re-judgement) is kept as long: it is the
 * record of what was judged.
 */
export function archiveRule(prefix: string, retentionYears: number = RETENTION.defaultYears): LifecycleRule {
  return {
    id: `archive-${prefix.replace(/\W/g, '')}`,
    prefix,
    transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
    expiration: Duration.days(retentionDays(retentionYears)),
    noncurrentVersionExpiration: Duration.days(retentionDays(retentionYears)),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}
