import { type ChildServer, startChildServer } from './child-server';

/**
 * The embedded DynamoDB: dynalite with TransactWriteItems (dynamodb-server.cjs) in a child process
 * on a free loopback port, in memory, or kept on disk under `path` (LevelDB) so that a restart
 * loses nothing. Its own process: the pipeline's process does not serve its requests. Up to 20 s
 * to start: a previous process of the same state may still be letting go of its LevelDB folder.
 */
export function startDynalite(path?: string): Promise<ChildServer> {
  return startChildServer(
    'dynamodb-server.cjs',
    'DynamoDB embarqué',
    path ? { SEGUR_DYNAMODB_PATH: path } : {},
    20,
  );
}
