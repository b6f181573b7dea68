import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileSource } from '../shared/adapters/byte-range-source';
import { readCappedFile } from '../shared/adapters/capped-file-read';
import { depositFacts } from '../shared/domain/deposit-facts';
import { DEFAULT_LIMITS, parseJsonDocument } from '../shared/domain/json/json-document';
import { judgeParsed } from '../shared/domain/judge-file';
import { buildHtmlReport, buildJsonReport } from '../shared/domain/reports';
import { inspectZips } from '../shared/pipeline/inspect-zips';
import { ROOT, SAMPLES } from '../test/support/deposits';
import {
  lineWithManyKeys,
  longLiberalList,
  MDV_FILE,
  manyZeroLines,
  paddedDeposit,
  sparseZipWithDirectoryAtZero,
  zipOfEmptyEntries,
} from '../test/support/hostile-inputs';
import { formatTable, runScenario } from './measure';
import { peakRssMb } from './zip-bench';

/**
 * Issue 8's benchmark: hostile inputs judged as the judge does (capped read, one parse, the zips by
 * their central directory, the verdict and both reports), each in its own process so that its peak
 * memory is its own. Target: each judged in ≤ 2 s and ≤ 256 MB (the judge's Lambda size).
 */
const WORK = join(tmpdir(), 'segur-bench-hostile');
const SAMPLE_JSON = join(ROOT, SAMPLES['MDV-LGC-avance']);

interface Scenario {
  readonly label: string;
  readonly json: string;
  readonly zip?: string;
  readonly make: () => Promise<void> | void;
}

const scenarios: Record<string, Scenario> = {
  keys: {
    label: 'a line of 150,000 keys (1.7 MB)',
    json: join(WORK, 'keys', MDV_FILE),
    make: () => writeFileSync(join(WORK, 'keys', MDV_FILE), lineWithManyKeys(150_000)),
  },
  lines: {
    label: 'lignesImport of 5 million 0 (9.5 MB)',
    json: join(WORK, 'lines', MDV_FILE),
    make: () => writeFileSync(join(WORK, 'lines', MDV_FILE), manyZeroLines(5_000_000)),
  },
  list: {
    label: 'a liberal list of 20,000 doctors',
    json: join(WORK, 'list', MDV_FILE),
    make: () => writeFileSync(join(WORK, 'list', MDV_FILE), longLiberalList(20_000)),
  },
  big: {
    label: 'a 12 MB JSON',
    json: join(WORK, 'big', MDV_FILE),
    make: () => writeFileSync(join(WORK, 'big', MDV_FILE), paddedDeposit(12 * 1024 * 1024)),
  },
  sparse: {
    label: 'a 3 GB sparse zip, directory "at 0"',
    json: SAMPLE_JSON,
    zip: join(WORK, 'sparse', 'JSON-3456789012-20221104-001.zip'),
    make: () =>
      sparseZipWithDirectoryAtZero(join(WORK, 'sparse', 'JSON-3456789012-20221104-001.zip'), 3 * 1024 ** 3),
  },
  entries: {
    label: 'a zip of 100,000 empty entries',
    json: SAMPLE_JSON,
    zip: join(WORK, 'entries', 'JSON-3456789012-20221104-001.zip'),
    make: () =>
      writeFileSync(join(WORK, 'entries', 'JSON-3456789012-20221104-001.zip'), zipOfEmptyEntries(100_000)),
  },
};

/** One scenario, in this process: prints one JSON line of figures. */
export async function runHostileScenario(name: string): Promise<void> {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`scénario inconnu : ${name}`);
  const started = performance.now();
  const { bytes, totalBytes } = await readCappedFile(scenario.json, DEFAULT_LIMITS.maxBytes);
  const parsed = parseJsonDocument(bytes, DEFAULT_LIMITS, totalBytes);
  const sources = scenario.zip ? [await LocalFileSource.open(scenario.zip)] : [];
  const zipCheck =
    sources.length > 0 ? await inspectZips(sources, depositFacts(parsed).declaredNames) : undefined;
  const { verdict } = judgeParsed(parsed, { fileName: MDV_FILE, attachments: zipCheck?.checker });
  const context = { generatedAt: new Date().toISOString() };
  const reportBytes = buildJsonReport(verdict, context).length + buildHtmlReport(verdict, context).length;
  const ms = performance.now() - started;
  await Promise.all(sources.map((source) => source.close()));
  const codes = [
    ...verdict.fileErrors.map((error) => error.code),
    ...verdict.fileWarnings.map((warning) => warning.code),
    ...verdict.lines.map((line) => line.codeTraitement),
  ];
  process.stdout.write(
    `${JSON.stringify({ ms, peakRssMb: peakRssMb(), codes: [...new Set(codes)].join(' '), reportBytes, zipRead: zipCheck?.stats.zipBytesRead ?? 0 })}\n`,
  );
}

export async function runHostileBench(self: string): Promise<string> {
  for (const [name, scenario] of Object.entries(scenarios)) {
    mkdirSync(join(WORK, name), { recursive: true });
    await scenario.make();
  }
  const rows = Object.entries(scenarios).map(([name, scenario]) => {
    const figures = runScenario(self, ['--hostile-scenario', name]);
    return {
      input: scenario.label,
      verdict: figures.codes,
      'time ms': figures.ms.toFixed(0),
      'peak RSS MB (process)': figures.peakRssMb.toFixed(0),
      'reports KB': (figures.reportBytes / 1024).toFixed(0),
      'zip bytes read': scenario.zip ? figures.zipRead.toLocaleString('en-US') : '—',
    };
  });
  return formatTable(rows);
}
