import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EmbeddedStack } from '../local/embedded/embedded-stack';
import { BUCKETS } from '../shared/config/resources';
import { type Figures, formatTable, runScenario } from './measure';
import { peakRssMb } from './zip-bench';

/**
 * The embedded stack's kept state (`--state`): 3,000 objects written through to disk, against the
 * same writes in memory only, then a restart on that state (objects read back, reconciliation).
 * Each scenario in its own process, so that a peak RSS is its own.
 */
const OBJECTS = 3_000;
const OBJECT_BYTES = 50 * 1024;
const WORK = join(tmpdir(), 'segur-bench-state');

async function startStack(stateDir: string | undefined) {
  return EmbeddedStack.start({
    outDir: join(WORK, 'out'),
    graceSeconds: 900,
    sweepEverySeconds: 0,
    retryDelaySeconds: 1,
    recipients: [],
    stateDir,
  });
}

export async function runStateScenario(name: string): Promise<void> {
  process.env.SEGUR_LOG_FILE = join(WORK, `pipeline-${process.pid}.log`);
  const state = join(WORK, 'state');
  const figures: Record<string, number> = {};
  if (name === 'write' || name === 'memory') {
    if (name === 'write') rmSync(state, { recursive: true, force: true });
    const stack = await startStack(name === 'write' ? state : undefined);
    const body = randomBytes(OBJECT_BYTES);
    const started = performance.now();
    for (let start = 0; start < OBJECTS; start += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, OBJECTS - start) }, (_, offset) =>
          stack.clients.s3.send(
            new PutObjectCommand({
              Bucket: BUCKETS.input,
              Key: `bench/objet-${start + offset}.pdf`,
              Body: body,
            }),
          ),
        ),
      );
    }
    figures.writeSeconds = (performance.now() - started) / 1000;
    figures.s3PeakRssMb = childrenPeakRssMb();
    await stack.stop();
  } else {
    const started = performance.now();
    const stack = await startStack(state);
    figures.restartSeconds = (performance.now() - started) / 1000;
    figures.s3PeakRssMb = childrenPeakRssMb();
    await stack.stop();
  }
  process.stdout.write(`${JSON.stringify({ ...figures, peakRssMb: peakRssMb() })}\n`);
}

/** The embedded S3 runs in a child process (fauxqs): its own peak, read before it stops. */
function childrenPeakRssMb(): number {
  try {
    const children = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
    return Math.max(
      0,
      ...children.map((pid) => {
        const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) / 1024 : 0;
      }),
    );
  } catch {
    return Number.NaN;
  }
}

function folderBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

export async function runStateBench(self: string): Promise<string> {
  mkdirSync(WORK, { recursive: true });
  const run = (scenario: string): Figures =>
    runScenario(self, ['--state-scenario', scenario], { timeoutMs: 600_000 });
  const memory = run('memory');
  const write = run('write');
  const onDisk = folderBytes(join(WORK, 'state', 's3'));
  const restart = run('restart');
  return formatTable([
    {
      [`${OBJECTS} objects × ${OBJECT_BYTES / 1024} KB`]: 'in memory only',
      'write s': memory.writeSeconds.toFixed(1),
      'peak RSS (MB)': memory.peakRssMb.toFixed(0),
      'S3 process peak RSS (MB)': memory.s3PeakRssMb.toFixed(0),
      'files on disk': '-',
      'MB on disk': '-',
    },
    {
      [`${OBJECTS} objects × ${OBJECT_BYTES / 1024} KB`]: '--state (written through)',
      'write s': write.writeSeconds.toFixed(1),
      'peak RSS (MB)': write.peakRssMb.toFixed(0),
      'S3 process peak RSS (MB)': write.s3PeakRssMb.toFixed(0),
      'files on disk': String(onDisk.files),
      'MB on disk': (onDisk.bytes / 1e6).toFixed(0),
    },
    {
      [`${OBJECTS} objects × ${OBJECT_BYTES / 1024} KB`]: 'restart on that state',
      'write s': `${restart.restartSeconds.toFixed(1)} (start)`,
      'peak RSS (MB)': restart.peakRssMb.toFixed(0),
      'S3 process peak RSS (MB)': restart.s3PeakRssMb.toFixed(0),
      'files on disk': '-',
      'MB on disk': '-',
    },
  ]);
}
