import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3Connection {
  /** An emulator's URL; absent on AWS. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: S3ClientConfig['credentials'];
}

/**
 * The one way this project builds an S3 client. An emulator (any `endpoint`) needs path-style
 * addressing: its buckets are not DNS names. On AWS the SDK's defaults apply (virtual-hosted
 * style, the default credential chain and region unless given).
 */
export function createS3Client(connection: S3Connection = {}): S3Client {
  const { endpoint, region, credentials } = connection;
  return new S3Client({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

/**
 * A function's client. The embedded stack runs the functions with the SDK's own endpoint variable
 * (AWS_ENDPOINT_URL_S3) and SEGUR_S3_FORCE_PATH_STYLE; on Lambda neither is set.
 */
export function s3ClientFromEnvironment(env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({ forcePathStyle: env.SEGUR_S3_FORCE_PATH_STYLE === 'true' });
}
