import { type ChildServer, startChildServer } from './child-server';

/** The embedded S3/SQS/SNS endpoint: fauxqs in a child process on a free loopback port. */
export type EmbeddedAws = ChildServer;

/** `s3StateDir`: the buckets' objects kept there, written through (see s3-disk-store.mjs). */
export function startFauxqs(options: { s3StateDir?: string } = {}): Promise<EmbeddedAws> {
  return startChildServer(
    'fauxqs-server.mjs',
    'fauxqs',
    options.s3StateDir ? { SEGUR_S3_STATE_DIR: options.s3StateDir } : {},
  );
}
