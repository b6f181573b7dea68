import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** The server script, found from wherever this module runs (sources, the CLI bundle, a bench bundle). */
function serverScript(): string {
  let dir = __dirname;
  for (let level = 0; level < 5; level++) {
    for (const candidate of [
      join(dir, 'dynamodb-server.cjs'),
      join(dir, 'local', 'embedded', 'dynamodb-server.cjs'),
    ]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error('local/embedded/dynamodb-server.cjs introuvable');
}

/**
 * The embedded DynamoDB: dynalite with TransactWriteItems (dynamodb-server.cjs) in a child process
 * on a free loopback port, in memory, or kept on disk under `path` (LevelDB) so that a restart
 * loses nothing. Its own process: the pipeline's process does not serve its requests.
 */
export async function startDynalite(path?: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [serverScript()], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: path ? { ...process.env, SEGUR_DYNAMODB_PATH: path } : process.env,
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('DynamoDB embarqué ne démarre pas (20 s)')), 20_000);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`DynamoDB embarqué s'est arrêté au démarrage (code ${code})`)),
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  child.removeAllListeners('exit');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
