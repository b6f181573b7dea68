import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStack } from '../local/embedded/embedded-stack';
import type { SqsHandler } from '../local/embedded/queue-poller';
import { makeZip } from '../test/support/zips';
import { cpuSharesText, withCpuShares } from './cpu-shares';
import { hopTtcDeposit } from './hop-deposit';
import { type Figures, formatTable, runScenario } from './measure';
import { countRequests } from './request-counter';
import { peakRssMb } from './zip-bench';

/**
 * Issue 5's benchmark, on the embedded stack (real handlers, loopback HTTP, one machine):
 * (a) latency from the end of the last upload to the result message, for a 200-line submission
 *     whose 200 documents fill a 200 Mo zip: the first judgement after the stack's start (code
 *     not yet compiled by V8, in the functions and the emulators), and one after another
 *     submission was judged (a stack that has been running, as a warm Lambda);
 * (b) N submissions of 200 lines dropped at once (500 by default): all judged, none lost, none in
 *     a dead-letter queue, with the throughput (submissions and lines per second);
 * (c) the memory while the judge handler runs (target under 256 MB).
 * Each scenario runs in its own process.
 */
const WORK = join(tmpdir(), 'segur-bench-pipeline');
const BIG_ZIP = join(WORK, 'big-200.zip');
const DOCS = 200;
const DOC_BYTES = 1_000_000;

function siretOf(index: number): string {
  return `9${String(index).padStart(13, '0')}`;
}

/** Each vendor its own software: the référentiel ties a numeroAns to one SIRET. */
function ansOf(index: number): string {
  return String(1_000_000_000 + index);
}

/** A HOP-DPI deposit of 200 TTC lines, one bon de commande each, for vendor `index`. */
function deposit(index: number): { siret: string; name: string; json: Buffer; names: string[] } {
  const { json, names } = hopTtcDeposit(siretOf(index), DOCS, ansOf(index));
  return { siret: siretOf(index), name: `JSON-${ansOf(index)}-20220315-001`, json: Buffer.from(json), names };
}

/** The référentiel of the bench's vendors: judged with the rules, as the pipeline always is. */
function benchReferentiel(vendors: number): Buffer {
  const referencements = Array.from({ length: vendors + 1 }, (_, index) => ({
    numeroAns: ansOf(index),
    siret: siretOf(index),
    couloir: 'HOP',
    logiciel: 'DPI',
    profils: ['INTEGRATION_INS'],
  }));
  return Buffer.from(JSON.stringify({ referencements, avances: [] }));
}

/** Each handler invocation's start and end (performance.now()), for the latency's timeline. */
interface Invocation {
  readonly name: string;
  readonly start: number;
  end?: number;
}

async function startStack(vendors: number, judgeMemory?: { peak: number }, invocations?: Invocation[]) {
  const out = join(WORK, `out-${process.pid}`);
  process.env.SEGUR_LOG_FILE = join(WORK, `pipeline-${process.pid}.log`);
  const stack = await EmbeddedStack.start({
    outDir: out,
    graceSeconds: 900,
    sweepEverySeconds: 0,
    retryDelaySeconds: 1,
    recipients: [],
    wrapHandler: (name, inner): SqsHandler => {
      const handler: SqsHandler = invocations
        ? async (event, context) => {
            const invocation: Invocation = { name, start: performance.now() };
            invocations.push(invocation);
            try {
              return await inner(event, context);
            } finally {
              invocation.end = performance.now();
            }
          }
        : inner;
      return name === 'judge' && judgeMemory
        ? async (event, context) => {
            // Sampled while the judge runs: the process's resident memory, embedded services included.
            const timer = setInterval(() => {
              judgeMemory.peak = Math.max(judgeMemory.peak, process.memoryUsage().rss);
            }, 5);
            try {
              return await handler(event, context);
            } finally {
              clearInterval(timer);
              judgeMemory.peak = Math.max(judgeMemory.peak, process.memoryUsage().rss);
            }
          }
        : handler;
    },
  });
  // The pipeline judges nothing without its référentiel.
  await stack.putReferentiel(benchReferentiel(vendors));
  return stack;
}

async function waitForIdle(stack: EmbeddedStack): Promise<void> {
  while ((await stack.pendingWork()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function waitForResults(stack: EmbeddedStack, count: number, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (stack.results.length < count) {
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

export async function runPipelineScenario(name: string, count: number): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const figures: Record<string, number | string> = {};
  if (name === 'latency' || name === 'latency-warm') {
    const memory = { peak: 0 };
    const invocations: Invocation[] = [];
    const stack = await startStack(1, memory, invocations);
    try {
      if (name === 'latency-warm') {
        // One ordinary submission judged first (another vendor, small zip): the code paths of the
        // handlers and emulators compiled, as in a stack that has been running; then measured.
        await judgeOneSmallSubmission(stack);
        invocations.length = 0;
        memory.peak = 0;
      }
      const { siret, name: base, json } = deposit(0);
      // The functions' requests (intake, judge, notify): not the bench's uploads nor the embedded
      // stack's own polling (on AWS, Lambda's event source mappings do it, outside the functions).
      const own = new Set<object>(Object.values(stack.clients));
      const counter = countRequests((client) => own.has(client));
      const expected = stack.results.length + 1;
      await stack.upload(`depot/${siret}/avance/${base}.json`, json);
      await stack.uploadFile(`depot/${siret}/avance/${base}.zip`, BIG_ZIP);
      const started = performance.now();
      if (!(await waitForResults(stack, expected, 60_000))) throw new Error('pas de résultat en 60 s');
      figures.latencyMs = performance.now() - started;
      // Where the latency went: each function's invocations after the last upload, in ms from it.
      figures.timeline = invocations
        .filter((invocation) => (invocation.end ?? started) > started)
        .map(
          (invocation) =>
            `${invocation.name} ${Math.round(invocation.start - started)}→${Math.round((invocation.end ?? started) - started)}`,
        )
        .join(', ');
      await waitForIdle(stack);
      const { byOperation, total, writeUnits, rounds } = counter.counts();
      counter.stop();
      figures.requests = total;
      figures.rounds = rounds;
      figures.writeUnits = writeUnits;
      figures.dynamoRequests = [...byOperation]
        .filter(([key]) => key.startsWith('DynamoDB'))
        .reduce((sum, [, count]) => sum + count, 0);
      figures.requestsByOperation = [...byOperation].map(([key, count]) => `${key} ${count}`).join(', ');
      figures.accepted = stack.results.at(-1)?.accepted ?? 0;
      figures.judgeRssMb = memory.peak / 1024 / 1024;
    } finally {
      await stack.stop();
    }
  } else {
    const stack = await startStack(count);
    try {
      const deposits = Array.from({ length: count }, (_, index) => deposit(index + 1));
      const zip = await smallZip(deposits[0]?.names ?? []);
      const counterAll = countRequests();
      const started = performance.now();
      let uploaded = started;
      // Profiled from the first upload to the last result: where the machine's CPU went.
      const { result: complete, shares } = await withCpuShares(async () => {
        for (let start = 0; start < deposits.length; start += 16) {
          await Promise.all(
            deposits.slice(start, start + 16).map(async (item) => {
              await stack.upload(`depot/${item.siret}/avance/${item.name}.json`, item.json);
              await stack.upload(`depot/${item.siret}/avance/${item.name}.zip`, zip);
            }),
          );
        }
        uploaded = performance.now();
        return waitForResults(stack, count, 900_000);
      });
      const seconds = (performance.now() - started) / 1000;
      const judged = new Set(stack.results.map((result) => result.submissionId)).size;
      const dead = await stack.deadLetters();
      Object.assign(figures, {
        submissions: count,
        judged,
        lost: count - judged,
        complete: complete ? 'yes' : 'no',
        deadLetters: Object.values(dead).reduce((sum, value) => sum + value, 0),
        uploadSeconds: (uploaded - started) / 1000,
        seconds,
        submissionsPerSecond: judged / seconds,
        linesPerSecond: (judged * DOCS) / seconds,
        accepted: stack.results.reduce((sum, result) => sum + result.accepted, 0),
        cpuShares: cpuSharesText(shares),
        allRequests: [...counterAll.counts().byOperation].map(([k, v]) => `${k} ${v}`).join(', '),
      });
    } finally {
      await stack.stop();
    }
  }
  process.stdout.write(`${JSON.stringify({ ...figures, peakRssMb: peakRssMb() })}\n`);
}

/** A zip of small PDFs under these names: what the throughput's deposits bring. */
function smallZip(names: readonly string[]): Promise<Buffer> {
  return makeZip(
    names.map((entry) => ({ name: entry, content: Buffer.from(`%PDF-1.4\n% ${entry}\n%%EOF\n`) })),
  );
}

async function judgeOneSmallSubmission(stack: EmbeddedStack): Promise<void> {
  const warm = deposit(1);
  await stack.upload(`depot/${warm.siret}/avance/${warm.name}.json`, warm.json);
  await stack.upload(`depot/${warm.siret}/avance/${warm.name}.zip`, await smallZip(warm.names));
  if (!(await waitForResults(stack, 1, 60_000))) throw new Error('pas de résultat en 60 s');
  await waitForIdle(stack);
}

async function prepareBigZip(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  if (existsSync(BIG_ZIP)) return;
  const entries = Array.from({ length: DOCS }, (_, index) => ({
    name: `HOP-DPI-Va1-BDC-${String(index + 1).padStart(5, '0')}.pdf`,
    content: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(DOC_BYTES - 9)]),
    compress: false,
  }));
  writeFileSync(BIG_ZIP, await makeZip(entries));
}

export async function runPipelineBench(self: string, submissions: number): Promise<string> {
  await prepareBigZip();
  const run = (scenario: string): Figures =>
    runScenario(self, ['--pipeline-scenario', scenario, String(submissions)], { timeoutMs: 1_200_000 });
  const cold = run('latency');
  const latency = run('latency-warm');
  const throughput = run('throughput');
  const size = readFileSync(BIG_ZIP).length;
  const latencyRow = (when: string, figures: Figures) => ({
    '(a) 200 lines + zip': `${(size / 1e6).toFixed(0)} MB, ${DOCS} documents`,
    judged: when,
    'last upload → result (ms)': figures.latencyMs.toFixed(0),
    'lines accepted': figures.accepted,
    '(c) RSS while judging (MB)': figures.judgeRssMb.toFixed(0),
    'process peak RSS (MB)': figures.peakRssMb.toFixed(0),
  });
  return [
    formatTable([latencyRow('first after start', cold), latencyRow('after one other', latency)]),
    '',
    `AWS requests the functions sent for that submission (intake, judge, notify): ${latency.requests}, in ${latency.rounds} sequential rounds`,
    `  ${latency.requestsByOperation}`,
    `  after the last upload, each function's run (ms from it): ${latency.timeline} (first after start: ${cold.timeline})`,
    `  DynamoDB: ${latency.dynamoRequests} requests, ${latency.writeUnits} write units consumed (2 per item in a transaction)`,
    '',
    formatTable([
      {
        '(b) submissions × 200 lines': throughput.submissions,
        judged: throughput.judged,
        lost: throughput.lost,
        'in DLQ': throughput.deadLetters,
        'total s': throughput.seconds.toFixed(1),
        'of which uploads s': throughput.uploadSeconds.toFixed(1),
        'submissions/s': throughput.submissionsPerSecond.toFixed(1),
        'lines/s': throughput.linesPerSecond.toFixed(0),
        'peak RSS (MB)': throughput.peakRssMb.toFixed(0),
      },
    ]),
    '',
    `CPU of (b), by where it ran (sampled): ${throughput.cpuShares}`,
  ].join('\n');
}
