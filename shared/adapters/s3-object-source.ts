import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SourceReadError } from '../errors';
import type { ByteRangeSource } from './byte-range-source';

export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** From the S3 event when the bucket is versioned: the reads then see exactly that upload. */
  readonly versionId?: string;
  /** From the S3 event; without it a HeadObject asks. */
  readonly size?: number;
}

/**
 * An S3 object read by ranged GetObject calls. Each response body is read to its end or destroyed,
 * so that no connection of the pool stays held by a half-read stream.
 */
export class S3ObjectSource implements ByteRangeSource {
  bytesRead = 0;
  requests = 0;
  /** The ETag of the responses, while they all agree: a read of other bytes clears it for good. */
  etag: string | undefined;
  private etagSeen: 'none' | 'one' | 'mixed' = 'none';

  private constructor(
    private readonly client: S3Client,
    private readonly ref: S3ObjectRef,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(client: S3Client, ref: S3ObjectRef): Promise<S3ObjectSource> {
    const name = ref.key.split('/').pop() ?? ref.key;
    if (ref.size !== undefined) return new S3ObjectSource(client, ref, name, ref.size);
    try {
      const head = await client.send(
        new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      return new S3ObjectSource(client, ref, name, head.ContentLength ?? 0);
    } catch (error) {
      throw new SourceReadError(`s3://${ref.bucket}/${ref.key} : taille illisible`, { cause: error });
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length) - 1;
    if (end < offset) return new Uint8Array(0);
    this.requests++;
    let body: { transformToByteArray(): Promise<Uint8Array>; destroy?: () => void } | undefined;
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.ref.bucket,
          Key: this.ref.key,
          VersionId: this.ref.versionId,
          Range: `bytes=${offset}-${end}`,
        }),
      );
      body = response.Body as typeof body;
      if (!body) throw new Error('réponse sans corps');
      this.noteEtag(response.ETag?.replace(/"/g, ''));
      const bytes = await body.transformToByteArray();
      body = undefined;
      this.bytesRead += bytes.length;
      return bytes;
    } catch (error) {
      throw new SourceReadError(
        `s3://${this.ref.bucket}/${this.ref.key} : lecture de ${offset}-${end} impossible`,
        { cause: error },
      );
    } finally {
      body?.destroy?.();
    }
  }

  async close(): Promise<void> {}

  private noteEtag(etag: string | undefined): void {
    if (this.etagSeen === 'none' && etag) {
      this.etag = etag;
      this.etagSeen = 'one';
    } else if (this.etagSeen === 'none' || etag !== this.etag) {
      this.etag = undefined;
      this.etagSeen = 'mixed';
    }
  }
}
