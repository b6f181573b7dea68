import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** An emulator in a child process, on a loopback port. */
export interface ChildServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A server script of local/embedded, found from wherever this module runs (sources, the CLI bundle, a bench bundle). */
function serverScript(file: string): string {
  let dir = __dirname;
  for (let level = 0; level < 5; level++) {
    for (const candidate of [join(dir, file), join(dir, 'local', 'embedded', file)]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error(`local/embedded/${file} introuvable`);
}

/**
 * Starts `file` with this Node and waits for the one JSON line giving its port. The child stops on
 * SIGTERM (stop()) or when this process goes away (its stdin closes), so none outlives the pipeline.
 */
export async function startChildServer(
  file: string,
  label: string,
  env: Readonly<Record<string, string>> = {},
  startSeconds = 10,
): Promise<ChildServer> {
  const child = spawn(process.execPath, [serverScript(file)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} ne démarre pas (${startSeconds} s)`)),
      startSeconds * 1000,
    );
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${label} s'est arrêté au démarrage (code ${code})`)));
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
