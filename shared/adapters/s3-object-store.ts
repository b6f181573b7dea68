import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PREFIXES } from '../config/resources';
import { SourceReadError } from '../errors';
import type { CappedBytes, ObjectState, ObjectStore, StoredObjectRef } from '../pipeline/ports';
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
          Key: ref.frozenKey ?? ref.key,
          VersionId: ref.frozenKey ? undefined : ref.versionId,
          // One byte past the limit tells "too big" without reading more.
          Range: `bytes=0-${maxBytes}`,
        }),
      );
      if (!response.Body) throw new Error('réponse sans corps');
      const bytes = await response.Body.transformToByteArray();
      const total = /\/(\d+)$/.exec(response.ContentRange ?? '')?.[1];
      return {
        bytes,
        totalBytes: total === undefined ? bytes.length : Number(total),
        etag: response.ETag?.replace(/"/g, ''),
      };
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
      key: ref.frozenKey ?? ref.key,
      versionId: ref.frozenKey ? undefined : ref.versionId,
      size: ref.size,
    });
  }

  async describe(ref: StoredObjectRef): Promise<ObjectState | undefined> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.inputBucket, Key: ref.key, VersionId: ref.versionId }),
      );
      return {
        etag: head.ETag?.replace(/"/g, ''),
        versionId: head.VersionId,
        size: head.ContentLength ?? 0,
      };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchVersion') return undefined;
      throw new SourceReadError(`s3://${this.inputBucket}/${ref.key} illisible`, { cause: error });
    }
  }

  async freeze(ref: StoredObjectRef): Promise<StoredObjectRef | undefined> {
    // A version is immutable (and under Object Lock on AWS): it is its own frozen copy.
    if (ref.versionId || ref.frozenKey) return ref;
    const etag = ref.etag?.replace(/"/g, '');
    const now = await this.describe(ref);
    // Gone is a fault (retried, then a technical rejection), not a newer content.
    if (!now) throw new SourceReadError(`s3://${this.inputBucket}/${ref.key} introuvable`);
    // The key holds newer bytes than the ref: that newer upload has its own arrival to judge.
    if (etag !== undefined && now.etag !== etag) return undefined;
    const frozenKey = `${PREFIXES.frozen}${now.etag ?? 'sans-etag'}/${ref.key}`;
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.inputBucket,
          Key: frozenKey,
          CopySource: encodeURIComponent(`${this.inputBucket}/${ref.key}`),
          // Where the store honours it, the copy is refused if the bytes changed since the look.
          ...(now.etag ? { CopySourceIfMatch: `"${now.etag}"` } : {}),
        }),
      );
      return { ...ref, etag: ref.etag ?? now.etag, frozenKey };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'PreconditionFailed') return undefined;
      throw new SourceReadError(`s3://${this.inputBucket}/${ref.key} : copie impossible`, { cause: error });
    }
  }

  async putOutput(key: string, body: string, contentType: string): Promise<string> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.outputBucket, Key: key, Body: body, ContentType: contentType }),
    );
    return `s3://${this.outputBucket}/${key}`;
  }
}
