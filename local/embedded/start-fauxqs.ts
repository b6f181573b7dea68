import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** The embedded S3/SQS/SNS endpoint: fauxqs in a child process on a free loopback port. */
export interface EmbeddedAws {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The launcher script, found from wherever this module runs (sources, the CLI bundle, a bench bundle). */
function serverScript(): string {
  let dir = __dirname;
  for (let level = 0; level < 5; level++) {
    for (const candidate of [
      join(dir, 'fauxqs-server.mjs'),
      join(dir, 'local', 'embedded', 'fauxqs-server.mjs'),
    ]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error('local/embedded/fauxqs-server.mjs introuvable');
}

/** `s3StateDir`: the buckets' objects kept there, written through (see s3-disk-store.mjs). */
export async function startFauxqs(options: { s3StateDir?: string } = {}): Promise<EmbeddedAws> {
  const child: ChildProcess = spawn(process.execPath, [serverScript()], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: options.s3StateDir ? { ...process.env, SEGUR_S3_STATE_DIR: options.s3StateDir } : process.env,
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fauxqs ne démarre pas (10 s)')), 10_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fauxqs s'est arrêté au démarrage (code ${code})`)));
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
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
