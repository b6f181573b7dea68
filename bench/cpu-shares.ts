import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Where the CPU goes while `run` runs, in the bench's process (the functions, the SDK and the
 * embedded stack's glue) by V8's sampling profiler, each sample counted to the code that was
 * running (self time), and in the child processes (fauxqs: S3, SQS, SNS; the embedded DynamoDB) by
 * their CPU time from /proc. Shares of one run: they hold on a busy machine where seconds do not.
 */
export interface CpuShares {
  /** Self time by category, in ms of the bench's process. */
  readonly inProcessMs: Readonly<Record<string, number>>;
  /** CPU time of the child processes by what they are, in ms; undefined where /proc cannot tell. */
  readonly childrenMs?: Readonly<Record<string, number>>;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly url: string;
    readonly functionName: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
}

const CATEGORIES: ReadonlyArray<[string, RegExp]> = [
  ['own code (shared/, lambdas/)', /\/(shared|lambdas)\/(?!.*node_modules)/],
  ['AWS SDK (@aws-sdk, @smithy)', /node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|@aws\/)/],
  ['embedded stack glue (local/embedded)', /\/local\/embedded\//],
  ['other libraries (yauzl, yup, Powertools…)', /node_modules\//],
  ['Node.js itself (node:, GC)', /^node:|^$|^internal/],
];

function categoryOf(node: ProfileNode): string | undefined {
  const { functionName } = node.callFrame;
  if (functionName === '(idle)' || functionName === '(program)') return undefined;
  if (functionName === '(garbage collector)') return 'Node.js itself (node:, GC)';
  const url = originalSource(node);
  return CATEGORIES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'bench and tests';
}

/**
 * The source file a sample ran in: the bench runs as one esbuild bundle (its dependencies outside),
 * so the bundle's frames are traced back through its source map to shared/, lambdas/, local/….
 */
function originalSource(node: ProfileNode): string {
  const { url, lineNumber, columnNumber } = node.callFrame;
  if (!url.startsWith('file://') || url.includes('/node_modules/')) return url;
  const entry = findSourceMap(fileURLToPath(url))?.findEntry(lineNumber, columnNumber) as
    | { originalSource?: string }
    | undefined;
  return entry?.originalSource ?? url;
}

export async function withCpuShares<T>(run: () => Promise<T>): Promise<{ result: T; shares: CpuShares }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 2000 });
  const childrenBefore = childrenCpuMs();
  await session.post('Profiler.start');
  try {
    const result = await run();
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const childrenAfter = childrenCpuMs();
    const shares: CpuShares = {
      inProcessMs: selfTimeByCategory(profile),
      ...(childrenBefore !== undefined && childrenAfter !== undefined
        ? {
            childrenMs: Object.fromEntries(
              Object.entries(childrenAfter).map(([name, ms]) => [name, ms - (childrenBefore[name] ?? 0)]),
            ),
          }
        : {}),
    };
    return { result, shares };
  } finally {
    session.disconnect();
  }
}

function selfTimeByCategory(profile: {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}): Record<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inProcessMs: Record<string, number> = {};
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const category = node ? categoryOf(node) : undefined;
    if (!category) return;
    inProcessMs[category] = (inProcessMs[category] ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return inProcessMs;
}

/** One line per category, with its share of all the CPU counted. */
export function cpuSharesText(shares: CpuShares): string {
  const entries = Object.entries(shares.inProcessMs);
  if (shares.childrenMs !== undefined)
    for (const [name, ms] of Object.entries(shares.childrenMs)) entries.push([name, ms]);
  const total = entries.reduce((sum, [, ms]) => sum + ms, 0);
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name}: ${(ms / 1000).toFixed(1)} s (${((100 * ms) / total).toFixed(0)} %)`)
    .join('; ');
}

/** What each child process is, by the script it runs. */
const CHILDREN: ReadonlyArray<readonly [RegExp, string]> = [
  [/fauxqs-server/, 'fauxqs, S3/SQS/SNS emulator (own process)'],
  [/dynamodb-server/, 'DynamoDB emulator (dynalite and its transactions, own process)'],
];

/**
 * CPU time (user + system) of this process's children by what they are (fauxqs, the embedded
 * DynamoDB), from /proc (Linux); undefined elsewhere.
 */
function childrenCpuMs(): Record<string, number> | undefined {
  try {
    const ticksPerSecond = 100;
    const children = readdirSync('/proc/self/task').flatMap((task) =>
      readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
    );
    const byName: Record<string, number> = {};
    for (const pid of children) {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const name = CHILDREN.find(([pattern]) => pattern.test(command))?.[1] ?? 'other processes';
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      // After the command: utime and stime are the 12th and 13th fields (14th and 15th of the line).
      byName[name] =
        (byName[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    }
    return byName;
  } catch {
    return undefined;
  }
}
