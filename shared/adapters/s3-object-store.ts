import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SourceReadError } from '../errors';
import type { CappedBytes, ObjectStore, StoredObjectRef } from '../pipeline/ports';
import type { ByteRangeSource } from './byte-range-source';
import { S3ObjectSource } from './s3-object-source';

/** The deposits (input bucket, read at the exact version of the event) and the outputs (output bucket). */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly inputBucket: string,
    private readonly outputBucket: string,
  ) {}

  async readCapped(ref: StoredObjectRef, maxBytes: number): Promise<CappedBytes> {
    // Known too big from the event: nothing is read at all.
    if (ref.size > maxBytes) return { bytes: new Uint8Array(0), totalBytes: ref.size };
    try {
      const response = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.inputBucket,
          Key: ref.key,
          VersionId: ref.versionId,
          // One byte past the limit tells "too big" without reading more.
          Range: `bytes=0-${maxBytes}`,
        }),
      );
      if (!response.Body) throw new Error('réponse sans corps');
      const bytes = await response.Body.transformToByteArray();
      const total = /\/(\d+)$/.exec(response.ContentRange ?? '')?.[1];
      return { bytes, totalBytes: total === undefined ? bytes.length : Number(total) };
    } catch (error) {
      // A range on an empty object is "not satisfiable": the object is simply empty.
      if ((error as { name?: string }).name === 'InvalidRange')
        return { bytes: new Uint8Array(0), totalBytes: 0 };
      throw new SourceReadError(`s3://${this.inputBucket}/${ref.key} illisible`, { cause: error });
    }
  }

  openRange(ref: StoredObjectRef): Promise<ByteRangeSource> {
    return S3ObjectSource.open(this.s3, {
      bucket: this.inputBucket,
      key: ref.key,
      versionId: ref.versionId,
      size: ref.size,
    });
  }

  async putOutput(key: string, body: string, contentType: string): Promise<string> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.outputBucket, Key: key, Body: body, ContentType: contentType }),
    );
    return `s3://${this.outputBucket}/${key}`;
  }
}
