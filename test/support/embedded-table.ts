import { dirname } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable } from '../../local/embedded/create-resources';
import { startDynalite } from '../../local/embedded/start-dynalite';

/**
 * The embedded DynamoDB alone, with the state table, for tests of the state store and the emulator:
 * in memory, or kept in the LevelDB folder `path` (a restart finds it as it was left).
 */
export interface EmbeddedTable {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

export async function startEmbeddedTable(path?: string): Promise<EmbeddedTable> {
  const dynamo = await startDynalite(path);
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createStateTable(client);
  return {
    endpoint: dynamo.endpoint,
    client,
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/** A kept state's LevelDB folder, opened with the `level` dynalite itself uses (to leave it as a crash would). */
export interface KeptLevel {
  iterator(range: { gte: string; lt: string }): AsyncIterable<[string, Record<string, unknown>]>;
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}

export function openKeptLevel(path: string): KeptLevel {
  const { Level } = require(require.resolve('level', { paths: [dirname(require.resolve('dynalite'))] })) as {
    Level: new (path: string, options: { valueEncoding: 'json' }) => KeptLevel;
  };
  return new Level(path, { valueEncoding: 'json' });
}
