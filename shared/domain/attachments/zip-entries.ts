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
}

/** The first bytes of an entry's uncompressed content, for its signature. */
export interface EntryHead {
  readonly zipName: string;
  readonly path: string;
  readonly bytes: Uint8Array;
}

export const MAX_ATTACHMENT_BYTES = 3 * 1024 * 1024;
export const MAX_ZIP_BYTES = 200 * 1024 * 1024;
export const MAX_COMPRESSION_RATIO = 1000;
/** How many leading bytes tell a PDF, a PNG or a JPEG apart (and show what else it is). */
export const HEAD_BYTES = 16;

/** Directory entries and the resource forks macOS adds are noise, not documents. */
export function isNoise(entry: ZipEntryInfo): boolean {
  return (
    entry.directory ||
    entry.path.startsWith('__MACOSX/') ||
    entry.baseName === '.DS_Store' ||
    entry.baseName.startsWith('._')
  );
}
