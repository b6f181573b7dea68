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

/**
 * A real zip of `count` empty stored entries (e0.txt, e1.txt…), written directly: yazl takes 18 s
 * for 100,000 entries. Over 65,535 entries the counts go in the zip64 end records, as archivers do.
 */
export function zipOfEmptyEntries(count: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const name = Buffer.from(`e${index}.txt`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name);
    centrals.push(central, name);
    offset += 30 + name.length;
  }
  const directory = Buffer.concat(centrals);
  const directoryOffset = offset;
  const zip64 = count > 0xffff;
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryOffset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([...locals, directory, ...tail, eocd]);
}
