import { open } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Random access to the bytes of one object (a local file, an S3 object) by ranges, so that a zip is
 * read by its central directory and never whole. Every implementation counts what it read: the
 * `--stats` figures and the benchmark come from here.
 */
export interface ByteRangeSource {
  /** The object's name as the vendor gave it (the zip's file name). */
  readonly name: string;
  readonly size: number;
  /** Reads exactly `length` bytes at `offset` (fewer only at the end of the object). */
  read(offset: number, length: number): Promise<Uint8Array>;
  readonly bytesRead: number;
  /** The ETag every read so far was answered with, when the store says and they all agree. */
  readonly etag?: string;
  close(): Promise<void>;
}

/** A local file (the offline `check --zip`). */
export class LocalFileSource implements ByteRangeSource {
  bytesRead = 0;

  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  static async open(path: string): Promise<LocalFileSource> {
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw Object.assign(new Error(`${path} n'est pas un fichier`), { code: 'EISDIR' });
      return new LocalFileSource(basename(path), stats.size, handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.alloc(wanted);
    let done = 0;
    while (done < wanted) {
      const { bytesRead } = await this.handle.read(buffer, done, wanted - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    this.bytesRead += done;
    return buffer.subarray(0, done);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** In-memory bytes (tests, and objects already in hand). */
export class BufferSource implements ByteRangeSource {
  bytesRead = 0;
  readonly size: number;

  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const slice = this.bytes.subarray(offset, Math.min(this.size, offset + length));
    this.bytesRead += slice.length;
    return slice;
  }

  async close(): Promise<void> {}
}
