import { constants, inflateRawSync } from 'node:zlib';
import * as yauzl from 'yauzl';
import {
  type EntryHead,
  HEAD_BYTES,
  MAX_CENTRAL_DIRECTORY_BYTES,
  MAX_COMPRESSION_RATIO,
  MAX_ZIP_ENTRIES,
  type ZipEntryInfo,
  type ZipListing,
} from '../../domain/attachments/zip-entries';
import { SourceReadError } from '../../errors';
import type { ByteRangeSource } from '../byte-range-source';

/**
 * A zip read by its central directory, over any ByteRangeSource (local file, S3 ranged GETs).
 *
 * yauzl parses: the end-of-central-directory record (searched in the last 65,557 bytes, so a comment
 * of any length up to 65,535 bytes is found), zip64, the central directory entries, CP437 or UTF-8
 * names. We give it a reader that serves its small reads from what was already fetched: one read
 * for the tail, one for the rest of the central directory, then one per declared entry for its
 * local header and first bytes. Nothing is ever inflated beyond those first bytes.
 * (unzipper's Open.custom was not used: it reads an 80-byte tail by default, so zips with a comment
 * longer than about 58 bytes are not found, and it asks its source for open-ended streams,
 * one of them from offset 0, where we want bounded ranged reads.)
 */
export class ZipArchive {
  private constructor(
    readonly listing: ZipListing,
    private readonly reader: CachingReader,
    private readonly nameLengths: ReadonlyMap<ZipEntryInfo, number>,
  ) {}

  static async open(source: ByteRangeSource): Promise<ZipArchive> {
    const reader = new CachingReader(source);
    let zip: yauzl.ZipFile;
    try {
      zip = await openZip(reader, source.size);
    } catch (error) {
      // A failed read is a fault of ours to retry; anything else is the vendor's zip.
      if (error instanceof SourceReadError) throw error;
      return new ZipArchive(unreadable(source, error), reader, new Map());
    }
    try {
      const centralDirectoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
      // Checked before anything more is read: an end record saying "the directory starts at 0" in a
      // 3 GB zip would otherwise have it read whole (it took 2.1 GB of memory for 1 GB).
      const refusal = centralDirectoryRefusal(
        zip.entryCount,
        centralDirectoryOffset,
        reader.cachedFrom(),
        source.size,
      );
      if (refusal) return new ZipArchive(refused(source, refusal), reader, new Map());
      // Fetch the whole central directory in one read instead of yauzl's one or two per entry.
      await reader.prefetch(centralDirectoryOffset);
      const raw = await readAllEntries(zip);
      const nameLengths = new Map<ZipEntryInfo, number>();
      const entries = raw.map((entry) => {
        const info = describeEntry(entry);
        nameLengths.set(info, entry.fileNameLength);
        return info;
      });
      const checked = markOverlaps(entries, centralDirectoryOffset, nameLengths);
      const lengths = new Map<ZipEntryInfo, number>();
      checked.forEach((entry, index) => {
        lengths.set(entry, nameLengths.get(entries[index] as ZipEntryInfo) ?? 0);
      });
      return new ZipArchive({ zipName: source.name, size: source.size, entries: checked }, reader, lengths);
    } catch (error) {
      if (error instanceof SourceReadError) throw error;
      return new ZipArchive(unreadable(source, error), reader, new Map());
    } finally {
      zip.close();
    }
  }

  /**
   * The first bytes of several entries, in as few reads as their places allow: entries whose
   * windows (local header, name, first bytes) lie close together (gaps under MERGE_GAP_BYTES) are
   * read as one span of at most MAX_SPAN_BYTES, so 200 small documents cost a few requests, while
   * 200 documents of 1 Mo each cost one short read each; `concurrency` reads run at once.
   */
  async readHeads(
    entries: readonly ZipEntryInfo[],
    concurrency: number,
  ): Promise<Array<EntryHead | undefined>> {
    const windows = entries
      .map((entry, index) => ({ index, start: entry.localHeaderOffset, end: this.windowEnd(entry) }))
      .sort((a, b) => a.start - b.start);
    const spans: Array<{ start: number; end: number }> = [];
    for (const window of windows) {
      const last = spans.at(-1);
      if (last && window.start - last.end < MERGE_GAP_BYTES && window.end - last.start <= MAX_SPAN_BYTES)
        last.end = Math.max(last.end, window.end);
      else spans.push({ start: window.start, end: window.end });
    }
    // Only spans holding several windows are read ahead; a lone window is read by readHead itself.
    const shared = spans.filter(
      (span) => windows.filter((w) => w.start >= span.start && w.end <= span.end).length > 1,
    );
    await inPool(shared, concurrency, (span) => this.reader.cache(span.start, span.end - span.start));
    const heads: Array<EntryHead | undefined> = new Array(entries.length);
    await inPool(windows, concurrency, async (window) => {
      heads[window.index] = await this.readHead(entries[window.index] as ZipEntryInfo);
    });
    return heads;
  }

  /** Where the bytes readHead wants of an entry end (its guess of the local header's size included). */
  private windowEnd(entry: ZipEntryInfo): number {
    const nameLength = this.nameLengths.get(entry) ?? 0;
    const want = Math.min(entry.compressedSize, entry.method === 0 ? HEAD_BYTES : 4096);
    return entry.localHeaderOffset + 30 + nameLength + 64 + want;
  }

  /**
   * The first bytes of an entry's content: read from its local header on, inflated only as far as
   * those bytes need (a partial inflate of at most 4 KiB of input, output capped).
   */
  async readHead(entry: ZipEntryInfo): Promise<EntryHead | undefined> {
    const nameLength = this.nameLengths.get(entry);
    if (nameLength === undefined || entry.encrypted || entry.absurdSizes) return undefined;
    const unreadable = (reason: string): EntryHead => ({
      zipName: this.listing.zipName,
      path: entry.path,
      bytes: new Uint8Array(0),
      unreadable: reason,
    });
    if (entry.method !== 0 && entry.method !== 8) {
      return unreadable(
        `méthode de compression ${entry.method} (${methodName(entry.method)}) non prise en charge`,
      );
    }
    const want = Math.min(entry.compressedSize, entry.method === 0 ? HEAD_BYTES : 4096);
    const guess = 30 + nameLength + 64 + want;
    // Small zips are often whole in the tail already read: served from there, not read twice.
    let block = await this.reader.bytes(entry.localHeaderOffset, guess);
    if (block.length < 30 || readUInt32(block, 0) !== 0x04034b50) {
      return unreadable('en-tête local absent ou corrompu');
    }
    const dataStart = 30 + readUInt16(block, 26) + readUInt16(block, 28);
    if (block.length < dataStart + want) {
      block = await this.reader.bytes(entry.localHeaderOffset + dataStart, want);
    } else {
      block = block.subarray(dataStart, dataStart + want);
    }
    const bytes = entry.method === 0 ? block : inflateHead(block);
    if (!bytes) return unreadable('données compressées corrompues');
    const expected = Math.min(HEAD_BYTES, entry.uncompressedSize);
    if (bytes.length < Math.min(expected, 4)) return unreadable('données tronquées');
    return { zipName: this.listing.zipName, path: entry.path, bytes: bytes.subarray(0, HEAD_BYTES) };
  }
}

const METHOD_NAMES: Readonly<Record<number, string>> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'zstd',
  95: 'xz',
  98: 'PPMd',
  99: 'AES',
};

function methodName(method: number): string {
  return METHOD_NAMES[method] ?? 'inconnue';
}

function centralDirectoryRefusal(
  entryCount: number,
  offset: number,
  tailStart: number,
  size: number,
): string | undefined {
  if (entryCount > MAX_ZIP_ENTRIES) {
    return `il annonce ${entryCount} entrées, au-delà de ${MAX_ZIP_ENTRIES}`;
  }
  if (offset > size) return `son répertoire central est annoncé à l'octet ${offset}, hors du fichier`;
  const bytes = tailStart - offset;
  if (bytes > MAX_CENTRAL_DIRECTORY_BYTES) {
    return `son répertoire central annoncé à l'octet ${offset} occuperait ${bytes} octets, au-delà de ${MAX_CENTRAL_DIRECTORY_BYTES}`;
  }
  return undefined;
}

function inflateHead(compressed: Uint8Array): Uint8Array | undefined {
  try {
    // Deflate expands at most about 1,032 times: enough room for any legitimate prefix, so that an
    // error here means corrupt data (bombs, ratio over 1,000, never get this far).
    return inflateRawSync(compressed, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: compressed.length * 1032 + 1024,
    });
  } catch {
    return undefined;
  }
}

function openZip(reader: yauzl.RandomAccessReader, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(
      reader,
      size,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (error, zip) => (error || !zip ? reject(error ?? new Error('zip vide')) : resolve(zip)),
    );
  });
}

function readAllEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function describeEntry(entry: yauzl.Entry): ZipEntryInfo {
  // strictFileNames keeps backslashes as written; Windows tools (PowerShell's Compress-Archive) use
  // them as separators, so they are read as '/' for matching, and the path is then checked as such.
  const decoded = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    true,
  );
  const path = decoded.normalize('NFC').replace(/\\/g, '/');
  const segments = path.split('/');
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  return {
    path,
    baseName: segments[segments.length - 1] ?? path,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    method: entry.compressionMethod,
    crc32: entry.crc32,
    encrypted: entry.isEncrypted(),
    directory: path.endsWith('/'),
    unsafePath: describeUnsafePath(path),
    absurdSizes:
      ratio > MAX_COMPRESSION_RATIO
        ? `taux de compression de ${Math.round(ratio)} pour 1 (${entry.uncompressedSize} octets annoncés pour ${entry.compressedSize} compressés)`
        : undefined,
    localHeaderOffset: entry.relativeOffsetOfLocalHeader,
  };
}

/** `..`, an absolute path or a drive letter (`C:`), once backslashes are read as '/'. */
function describeUnsafePath(path: string): string | undefined {
  if (/^[a-zA-Z]:/.test(path)) return 'chemin absolu (lettre de lecteur)';
  if (path.startsWith('/')) return 'chemin absolu';
  if (path.split('/').includes('..')) return 'remonte hors du .zip (..)';
  return undefined;
}

/**
 * A zip whose entries claim overlapping bytes is a known bomb technique (and never made by a real
 * archiver): each entry's data must lie between its local header and the next one.
 */
function markOverlaps(
  entries: readonly ZipEntryInfo[],
  centralDirectoryOffset: number,
  nameLengths: ReadonlyMap<ZipEntryInfo, number>,
): ZipEntryInfo[] {
  const order = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset);
  const problems = new Map<number, string>();
  order.forEach(({ entry, index }, position) => {
    const end = entry.localHeaderOffset + 30 + (nameLengths.get(entry) ?? 0) + entry.compressedSize;
    const next = order[position + 1];
    if (next && next.entry.localHeaderOffset < end) {
      const reason = `données qui chevauchent celles de « ${next.entry.path} »`;
      problems.set(index, reason);
      problems.set(next.index, `données qui chevauchent celles de « ${entry.path} »`);
    } else if (end > centralDirectoryOffset) {
      problems.set(index, 'données qui débordent sur le répertoire central');
    }
  });
  return entries.map((entry, index) => {
    const problem = problems.get(index);
    return problem && !entry.absurdSizes ? { ...entry, absurdSizes: problem } : entry;
  });
}

function refused(source: ByteRangeSource, reason: string): ZipListing {
  return { zipName: source.name, size: source.size, entries: [], refused: reason };
}

function unreadable(source: ByteRangeSource, error: unknown): ZipListing {
  return { zipName: source.name, size: source.size, entries: [], unreadable: describeZipError(error) };
}

/** yauzl's English errors, said in French for the vendor. */
function describeZipError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/end of central directory record signature not found/i.test(message)) {
    return "ce n'est pas un fichier .zip, ou il est tronqué (fin du répertoire central introuvable)";
  }
  if (/central directory file header signature|unexpected EOF|offset|out of range|truncated/i.test(message)) {
    return `fichier .zip tronqué ou corrompu (${message})`;
  }
  if (/multi-disk/.test(message)) return 'les .zip en plusieurs volumes ne sont pas acceptés';
  return `fichier .zip illisible (${message})`;
}

function readUInt16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

function readUInt32(bytes: Uint8Array, offset: number): number {
  return (readUInt16(bytes, offset) | (readUInt16(bytes, offset + 2) << 16)) >>> 0;
}

/**
 * yauzl's reader, served from the buffers already fetched: yauzl reads a 46-byte header and then a
 * name for every entry, which over S3 would be thousands of requests.
 */
class CachingReader extends yauzl.RandomAccessReader {
  private readonly segments: Array<{ start: number; bytes: Uint8Array }> = [];

  constructor(private readonly source: ByteRangeSource) {
    super();
  }

  /** Where the bytes already fetched (the tail) begin. */
  cachedFrom(): number {
    return Math.min(...this.segments.map((segment) => segment.start), this.source.size);
  }

  /** Fetches [from, start of what is cached) in one read. */
  async prefetch(from: number): Promise<void> {
    const cachedFrom = Math.min(...this.segments.map((segment) => segment.start), this.source.size);
    if (from >= cachedFrom) return;
    const head = await this.fetch(from, cachedFrom - from);
    // Joined to the tail, so that an entry header straddling the two is served in one piece.
    const tail = this.segments.find((segment) => segment.start === cachedFrom);
    if (tail) {
      const joined = new Uint8Array(head.length + tail.bytes.length);
      joined.set(head);
      joined.set(tail.bytes, head.length);
      tail.start = from;
      tail.bytes = joined;
    } else {
      this.segments.push({ start: from, bytes: head });
    }
  }

  /** Reads [offset, offset + length) once and keeps it: the entries' heads inside are served from it. */
  async cache(offset: number, length: number): Promise<void> {
    const end = Math.min(offset + length, this.source.size);
    if (
      end <= offset ||
      this.segments.some((segment) => offset >= segment.start && end <= segment.start + segment.bytes.length)
    )
      return;
    this.segments.push({ start: offset, bytes: await this.fetch(offset, end - offset) });
  }

  /** Bytes at [offset, offset + length), clipped to the object, from the cache when it holds them. */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.source.size);
    for (const segment of this.segments) {
      if (offset >= segment.start && end <= segment.start + segment.bytes.length) {
        return segment.bytes.subarray(offset - segment.start, end - segment.start);
      }
    }
    return this.fetch(offset, end - offset);
  }

  private async fetch(offset: number, length: number): Promise<Uint8Array> {
    try {
      return await this.source.read(offset, length);
    } catch (error) {
      throw error instanceof SourceReadError
        ? error
        : new SourceReadError(`lecture de ${this.source.name} impossible`, { cause: error });
    }
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null) => void,
  ): void {
    for (const segment of this.segments) {
      if (position >= segment.start && position + length <= segment.start + segment.bytes.length) {
        buffer.set(
          segment.bytes.subarray(position - segment.start, position - segment.start + length),
          offset,
        );
        setImmediate(() => callback(null));
        return;
      }
    }
    this.fetch(position, length).then(
      (bytes) => {
        if (bytes.length < length) {
          callback(new Error(`unexpected EOF: ${length} octets demandés à ${position}, ${bytes.length} lus`));
          return;
        }
        this.segments.push({ start: position, bytes });
        buffer.set(bytes, offset);
        callback(null);
      },
      (error: Error) => callback(error),
    );
  }

  override _readStreamForRange(): never {
    throw new Error('lecture en flux non utilisée : les entrées ne sont jamais décompressées entières');
  }
}

/** Entries' windows closer than this are read as one span (the bytes between cost less than a request). */
const MERGE_GAP_BYTES = 64 * 1024;
/** The largest span read at once, so that a judgement's memory stays small whatever the zip holds. */
const MAX_SPAN_BYTES = 1024 * 1024;

/** Runs `work` on every item, at most `width` at a time (a pool: one slow read does not hold the others). */
async function inPool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
