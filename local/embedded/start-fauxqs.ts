import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The embedded S3/SQS/SNS endpoint: fauxqs in a child process on a free loopback port. */
export interface EmbeddedAws {
  readonly endpoint: string;
  stop(): Promise<void>;
}

function serverScript(): string {
  // Next to this module in the sources; next to the bundle's root in dist/.
  const candidates = [
    join(__dirname, 'fauxqs-server.mjs'),
    join(__dirname, '..', 'local', 'embedded', 'fauxqs-server.mjs'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('local/embedded/fauxqs-server.mjs introuvable');
  return found;
}

export async function startFauxqs(): Promise<EmbeddedAws> {
  const child: ChildProcess = spawn(process.execPath, [serverScript()], {
    stdio: ['pipe', 'pipe', 'inherit'],
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
