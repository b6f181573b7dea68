import { open } from 'node:fs/promises';
import { sampleText } from './deposits';

/**
 * Hostile deposits and zips, generated (nothing big is committed), shared by the tests that assert
 * their verdicts and the benchmark that measures their cost (`npm run bench`).
 */
const MDV = 'MDV-LGC-avance' as const;
export const MDV_FILE = 'JSON-3456789012-20221104-001.json';

const HEADER = '{"impId":null,"numeroAns":"3456789012","SIRET":"88558855858745","lignesImport":';

/** The MDV sample whose first line carries `count` extra keys (`"k0": 0, …`). */
export function lineWithManyKeys(count: number, duplicateLast = false): string {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push(`"k${i}":0`);
  if (duplicateLast) keys.push('"k0":1');
  return sampleText(MDV).replace('"numLigne": 1,', `"numLigne": 1, ${keys.join(',')},`);
}

/** A file whose lignesImport holds `count` zeros (5 million weigh 9.6 MB: under the 10 MiB cap). */
export function manyZeroLines(count: number): string {
  return `${HEADER}[${'0,'.repeat(count - 1)}0]}`;
}

/** The MDV sample whose first line orders for `count` doctors. */
export function longLiberalList(count: number): string {
  const doctors: string[] = [];
  for (let i = 0; i < count; i++) {
    const rpps = String(10_000_000_000 + i);
    doctors.push(`{"nomMedecin":"DURAND","emailMedecin":null,"telephoneMedecin":null,"RPPS":"${rpps}"}`);
  }
  const text = sampleText(MDV);
  const start = text.indexOf('"liberal": [');
  const end = text.indexOf(']', start);
  return `${text.slice(0, start)}"liberal": [${doctors.join(',')}${text.slice(end)}`;
}

/** The MDV sample padded with spaces to `bytes` (valid JSON, over the 10 MiB cap when asked). */
export function paddedDeposit(bytes: number): string {
  const text = sampleText(MDV);
  return text + ' '.repeat(Math.max(0, bytes - Buffer.byteLength(text)));
}

/**
 * A sparse file of `size` bytes whose only content is an end-of-central-directory record at its
 * end claiming a central directory of `entries` entries starting at offset 0: reading it whole
 * would read the whole file.
 */
export async function sparseZipWithDirectoryAtZero(path: string, size: number, entries = 1): Promise<void> {
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(entries, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(entries, 0xffff), 10);
  eocd.writeUInt32LE(Math.min(size - 22, 0xfffffffe), 12); // directory size
  eocd.writeUInt32LE(0, 16); // directory offset
  const handle = await open(path, 'w');
  try {
    await handle.truncate(size);
    await handle.write(eocd, 0, eocd.length, size - eocd.length);
  } finally {
    await handle.close();
  }
}
