import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

/**
 * The embedded DynamoDB: dynalite in this process on a free loopback port, in memory, or kept on
 * disk under `path` (LevelDB) so that a restart loses nothing.
 */
export async function startDynalite(path?: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
