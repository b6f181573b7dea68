import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import * as yauzl from 'yauzl';
import { startFauxqs } from '../local/embedded/start-fauxqs';
import { type ByteRangeSource, LocalFileSource } from '../shared/adapters/byte-range-source';
import { createS3Client } from '../shared/adapters/s3-client';
import { S3ObjectSource } from '../shared/adapters/s3-object-source';
import { judgeFile } from '../shared/domain/judge-file';
import { inspectZips, namesDeclaredBy } from '../shared/pipeline/inspect-zips';
import { makeZip } from '../test/support/zips';
import { hopTtcDeposit } from './hop-deposit';
import { formatTable, runScenario } from './measure';

/**
 * Issue 3's benchmark: a 200 Mo zip of 70 incompressible documents of 2.9 MB each, with a 200-line
 * HOP-DPI deposit declaring one document per line (the first 70 are in the zip), checked
 * (a) from a local file and (b) from the embedded S3, next to a naive reader that downloads the
 * whole object and lists it from memory. Targets: at most 1 MiB read, (b) under 1 s end to end,
 * peak memory under 150 MB. Each scenario runs in its own process, so its peak RSS is its own.
 */
const DOCS = 70;
const DOC_BYTES = 2_900_000;
const WORK = join(tmpdir(), 'segur-bench');
const ZIP = join(WORK, 'JSON-1234567890-20220315-001.zip');
const JSON_FILE = join(WORK, 'JSON-1234567890-20220315-001.json');

function nameOf(line: number): string {
  return `HOP-DPI-Va1-BDC-${String(line).padStart(5, '0')}.pdf`;
}

async function prepare(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(JSON_FILE, hopTtcDeposit('88558855858745').json);
  if (existsSync(ZIP)) return;
  const { randomBytes } = await import('node:crypto');
  const entries = Array.from({ length: DOCS }, (_, index) => ({
    name: nameOf(index + 1),
    content: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(DOC_BYTES - 9)]),
    compress: false,
  }));
  writeFileSync(ZIP, await makeZip(entries));
}

async function check(source: ByteRangeSource, jsonBytes: Uint8Array) {
  const { checker, stats } = await inspectZips([source], namesDeclaredBy(jsonBytes));
  const { verdict } = judgeFile(jsonBytes, {
    fileName: 'JSON-1234567890-20220315-001.json',
    attachments: checker,
  });
  const accepted = verdict.lines.filter((line) => line.accepted).length;
  if (accepted !== DOCS) throw new Error(`${accepted} lignes acceptées, ${DOCS} attendues`);
  return stats;
}

function s3Client(endpoint: string): S3Client {
  return createS3Client({
    endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
}

/** One scenario, in this process: prints one JSON line of figures. */
export async function runZipScenario(name: string): Promise<void> {
  const jsonBytes = readFileSync(JSON_FILE);
  let figures: Record<string, number>;
  if (name === 'local') {
    const started = performance.now();
    const source = await LocalFileSource.open(ZIP);
    const stats = await check(source, jsonBytes);
    await source.close();
    figures = {
      ms: performance.now() - started,
      read: stats.zipBytesRead,
      total: stats.zipBytesTotal,
      requests: 0,
    };
  } else {
    // The zip was uploaded by the parent process: this process's peak memory is the check's alone.
    const client = s3Client(process.env.BENCH_S3_ENDPOINT as string);
    const size = Number(process.env.BENCH_ZIP_SIZE);
    try {
      const started = performance.now();
      if (name === 's3') {
        const source = await S3ObjectSource.open(client, { bucket: 'bench', key: 'depot/z.zip', size });
        const stats = await check(source, jsonBytes);
        figures = {
          ms: performance.now() - started,
          read: stats.zipBytesRead,
          total: stats.zipBytesTotal,
          requests: source.requests,
        };
      } else {
        // The naive reader: download the whole object, then list it from memory.
        const response = await client.send(new GetObjectCommand({ Bucket: 'bench', Key: 'depot/z.zip' }));
        const whole = Buffer.from(
          await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        );
        const zipfile = await yauzl.fromBufferPromise(whole, { lazyEntries: true });
        await new Promise((resolve, reject) => {
          zipfile.on('entry', () => zipfile.readEntry());
          zipfile.on('end', resolve);
          zipfile.on('error', reject);
          zipfile.readEntry();
        });
        figures = { ms: performance.now() - started, read: whole.length, total: size, requests: 1 };
      }
    } finally {
      client.destroy();
    }
  }
  process.stdout.write(`${JSON.stringify({ ...figures, peakRssMb: peakRssMb() })}\n`);
}

/**
 * This process's peak resident memory. VmHWM from /proc (Linux) rather than getrusage's maxRSS,
 * which a spawned child inherits from its parent's image across exec.
 */
export function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

export async function runZipBench(self: string): Promise<string> {
  await prepare();
  const aws = await startFauxqs();
  const zip = readFileSync(ZIP);
  const client = s3Client(aws.endpoint);
  await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
  // Multipart, as a vendor's upload of 200 Mo would be (the embedded S3 takes 11 MiB per request).
  await new Upload({
    client,
    params: { Bucket: 'bench', Key: 'depot/z.zip', Body: zip },
    partSize: 8 * 1024 * 1024,
  }).done();
  client.destroy();
  const env = { ...process.env, BENCH_S3_ENDPOINT: aws.endpoint, BENCH_ZIP_SIZE: String(zip.length) };
  const labels: Record<string, string> = {
    local: '(a) ranged reads, local file',
    s3: '(b) ranged reads, embedded S3',
    naive: 'naive: download whole, embedded S3',
  };
  const rows = Object.entries(labels).map(([scenario, label]) => {
    const figures = runScenario(self, ['--zip-scenario', scenario], { env });
    return {
      scenario: label,
      'bytes read': figures.read.toLocaleString('en-US'),
      'share of zip': `${((figures.read / figures.total) * 100).toFixed(3)} %`,
      'GET requests': figures.requests || '—',
      'time ms': figures.ms.toFixed(0),
      'peak RSS MB (process)': figures.peakRssMb.toFixed(0),
    };
  });
  await aws.stop();
  return `zip: ${ZIP} (${DOCS} × ${DOC_BYTES.toLocaleString('en-US')} B documents, stored)\n${formatTable(rows)}`;
}
