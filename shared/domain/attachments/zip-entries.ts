/**
 * What the pipeline knows of a zip without inflating it: its central directory, and the first
 * bytes of the entries a request declares. Pure data; reading it is an adapter's job.
 */
export interface ZipEntryInfo {
  /** The entry's path in the zip, decoded (UTF-8 flag, else CP437) and NFC-normalised. */
  readonly path: string;
  /** The last segment of the path: what a declared nomFichier is compared with. */
  readonly baseName: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** 0 stored, 8 deflate; others cannot be checked. */
  readonly method: number;
  readonly crc32: number;
  readonly encrypted: boolean;
  readonly directory: boolean;
  /** Why the path is unsafe (`..`, absolute, backslash), if it is. */
  readonly unsafePath?: string;
  /** Why the sizes are absurd (compression ratio over 1,000, overlapping local headers), if they are. */
  readonly absurdSizes?: string;
  readonly localHeaderOffset: number;
}

export interface ZipListing {
  readonly zipName: string;
  readonly size: number;
  readonly entries: readonly ZipEntryInfo[];
  /** Set when the zip cannot be read at all (not a zip, truncated…): its entries are unknown. */
  readonly unreadable?: string;
  /**
   * Set when the zip is refused before its central directory is read, because the end record
   * announces more than MAX_ZIP_ENTRIES entries or MAX_CENTRAL_DIRECTORY_BYTES bytes (or a
   * directory outside the file): its entries are unknown, and nothing more of it is read.
   */
  readonly refused?: string;
}

/** The first bytes of an entry's uncompressed content, for its signature. */
export interface EntryHead {
  readonly zipName: string;
  readonly path: string;
  readonly bytes: Uint8Array;
  /**
   * Why the first bytes could not be had (unsupported compression method, corrupt data, bad local
   * header): the document is then refused as unreadable, never passed as "not checked".
   */
  readonly unreadable?: string;
}

export const MAX_ATTACHMENT_BYTES = 3 * 1024 * 1024;
export const MAX_ZIP_BYTES = 200 * 1024 * 1024;
export const MAX_COMPRESSION_RATIO = 1000;
/**
 * How many leading bytes are read: a PNG or a JPEG starts with its signature, but PDF readers
 * accept up to 1,024 bytes of anything before `%PDF` (PDF_HEADER_WINDOW).
 */
export const PDF_HEADER_WINDOW = 1024;
export const HEAD_BYTES = PDF_HEADER_WINDOW + 4;
/**
 * A zip's central directory is read in one piece only within these bounds: 10,000 documents and
 * 4 MiB of directory (about 40,000 names of 50 characters) are far above a deposit of 200 lines
 * with a few documents each. Past them the zip is refused without being read further.
 */
export const MAX_ZIP_ENTRIES = 10_000;
export const MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024;

/** Directory entries and the resource forks macOS adds are noise, not documents. */
export function isNoise(entry: ZipEntryInfo): boolean {
  return (
    entry.directory ||
    entry.path.startsWith('__MACOSX/') ||
    entry.baseName === '.DS_Store' ||
    entry.baseName.startsWith('._')
  );
}
