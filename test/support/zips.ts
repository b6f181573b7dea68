import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import * as yazl from 'yazl';

/**
 * Real zips made in the tests with yazl, and byte patches for what no honest archiver writes
 * (encrypted flags, unsafe names, CP437 names, overlapping entries).
 */
export interface ZipInput {
  readonly name: string;
  readonly content: Uint8Array;
  readonly compress?: boolean;
  readonly zip64?: boolean;
}

export function makeZip(
  entries: readonly ZipInput[],
  options: { comment?: string; zip64?: boolean } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const entry of entries) {
      zip.addBuffer(Buffer.from(entry.content), entry.name, {
        compress: entry.compress ?? true,
        forceZip64Format: entry.zip64 ?? options.zip64 ?? false,
        mtime: new Date('2026-01-01T00:00:00Z'),
      });
    }
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    zip.end({ comment: options.comment ?? '', forceZip64Format: options.zip64 ?? false });
  });
}

/** A document of `size` bytes with a real signature and incompressible content after it. */
export function document(format: 'PDF' | 'PNG' | 'JPG', size = 2048): Buffer {
  const signature = {
    PDF: Buffer.from('%PDF-1.7\n'),
    PNG: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    JPG: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  }[format];
  return Buffer.concat([signature, randomBytes(Math.max(0, size - signature.length))]);
}

function indexesOf(haystack: Buffer, needle: Buffer): number[] {
  const found: number[] = [];
  let index = haystack.indexOf(needle);
  while (index !== -1) {
    found.push(index);
    index = haystack.indexOf(needle, index + 1);
  }
  return found;
}

/** The local header and central directory header offsets of the entry named `name`. */
export function headersOf(zip: Buffer, name: string | Buffer): { local: number; central: number } {
  let local = -1;
  let central = -1;
  const bytes = Buffer.from(name);
  for (const index of indexesOf(zip, bytes)) {
    if (
      index >= 30 &&
      zip.readUInt32LE(index - 30) === 0x04034b50 &&
      zip.readUInt16LE(index - 4) === bytes.length
    )
      local = index - 30;
    if (
      index >= 46 &&
      zip.readUInt32LE(index - 46) === 0x02014b50 &&
      zip.readUInt16LE(index - 18) === bytes.length
    )
      central = index - 46;
  }
  if (local < 0 || central < 0) throw new Error(`entrée ${name} introuvable`);
  return { local, central };
}

/** Rewrites an entry's name bytes (same length) in both of its headers. */
export function renameEntry(zip: Buffer, name: string, newName: Buffer): Buffer {
  if (newName.length !== Buffer.byteLength(name)) throw new Error('même longueur exigée');
  const patched = Buffer.from(zip);
  const { local, central } = headersOf(zip, name);
  newName.copy(patched, local + 30);
  newName.copy(patched, central + 46);
  return patched;
}

/** Sets and clears general-purpose flag bits of an entry in both of its headers. */
export function patchFlags(zip: Buffer, name: string | Buffer, set: number, clear = 0): Buffer {
  const patched = Buffer.from(zip);
  const { local, central } = headersOf(zip, name);
  patched.writeUInt16LE((patched.readUInt16LE(local + 6) | set) & ~clear, local + 6);
  patched.writeUInt16LE((patched.readUInt16LE(central + 8) | set) & ~clear, central + 8);
  return patched;
}

/** Points an entry's central directory record at another entry's local header (overlapping data). */
export function pointAt(zip: Buffer, name: string, otherName: string): Buffer {
  const patched = Buffer.from(zip);
  const { central } = headersOf(zip, name);
  patched.writeUInt32LE(headersOf(zip, otherName).local, central + 42);
  return patched;
}

/** Sets an entry's compression method (12 bzip2, 14 LZMA…) in both of its headers. */
export function patchMethod(zip: Buffer, name: string, method: number): Buffer {
  const patched = Buffer.from(zip);
  const { local, central } = headersOf(zip, name);
  patched.writeUInt16LE(method, local + 8);
  patched.writeUInt16LE(method, central + 10);
  return patched;
}

/** Overwrites the first bytes of an entry's compressed data (an invalid deflate block type). */
export function corruptData(zip: Buffer, name: string): Buffer {
  const patched = Buffer.from(zip);
  const { local } = headersOf(zip, name);
  const dataStart = local + 30 + patched.readUInt16LE(local + 26) + patched.readUInt16LE(local + 28);
  patched.fill(0xff, dataStart, dataStart + 16);
  return patched;
}

/** Breaks an entry's local header signature. */
export function breakLocalHeader(zip: Buffer, name: string): Buffer {
  const patched = Buffer.from(zip);
  patched.writeUInt32LE(0x12345678, headersOf(zip, name).local);
  return patched;
}

/**
 * A zip written to `path` holding `entries` and a stored (uncompressed) filler of `fillerBytes`
 * zeros streamed in, so that a 200 Mo zip is made without holding it in memory.
 */
export function writeZipWithFiller(
  path: string,
  entries: readonly ZipInput[],
  fillerBytes: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const entry of entries)
      zip.addBuffer(Buffer.from(entry.content), entry.name, { compress: entry.compress ?? true });
    const chunk = Buffer.alloc(1024 * 1024);
    let left = fillerBytes;
    const filler = new Readable({
      read() {
        if (left <= 0) {
          this.push(null);
          return;
        }
        const size = Math.min(left, chunk.length);
        left -= size;
        this.push(chunk.subarray(0, size));
      },
    });
    zip.addReadStream(filler, 'annexes/remplissage.bin', { compress: false, size: fillerBytes });
    const out = createWriteStream(path);
    zip.outputStream
      .pipe(out)
      .on('finish', () => resolve())
      .on('error', reject);
    zip.end();
  });
}
