import type { ByteRangeSource } from './byte-range-source';

/**
 * A file the browser holds (a `File` picked or dropped in the simulator) read by ranges through
 * `Blob.slice`: a 200 Mo zip is never loaded whole, only its tail, central directory and the first
 * bytes of the declared documents.
 */
export class BlobSource implements ByteRangeSource {
  bytesRead = 0;
  readonly size: number;

  constructor(
    readonly name: string,
    private readonly blob: Blob,
  ) {
    this.size = blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size);
    const bytes = new Uint8Array(await this.blob.slice(offset, end).arrayBuffer());
    this.bytesRead += bytes.length;
    return bytes;
  }

  async close(): Promise<void> {}
}
