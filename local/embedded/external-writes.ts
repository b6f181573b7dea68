import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { NOTIFIED_PREFIX } from '../../shared/config/resources';
import { objectCreatedEvent } from './s3-events';

/**
 * S3's event notifications for objects written by other clients than the stack itself (a vendor's
 * `deposer --endpoint`, the AWS CLI): the embedded S3 has none, so the bucket is listed every
 * `everyMs` and each new or changed object under depot/ gets its ObjectCreated event, as on AWS.
 * Objects the stack uploads itself are announced by it (it marks them here, and they are skipped).
 */
export class ExternalWriteNotifier {
  private readonly known = new Map<string, string>();
  private readonly ownWrites = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly deliver: (event: ReturnType<typeof objectCreatedEvent>) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly everyMs = 500,
  ) {}

  /** What is already in the bucket (a restored state) was announced before: not again. */
  async start(): Promise<void> {
    await this.scan(false);
    this.timer = setInterval(() => {
      this.scanning ??= this.scan(true)
        .catch(this.onError)
        .finally(() => {
          this.scanning = undefined;
        });
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
  }

  /** The stack is about to write `key` and will announce it itself. */
  beginOwnWrite(key: string): void {
    this.ownWrites.add(key);
  }

  endOwnWrite(key: string, eTag: string | undefined): void {
    if (eTag) this.known.set(key, eTag.replace(/"/g, ''));
    this.ownWrites.delete(key);
  }

  private async scan(announce: boolean): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: NOTIFIED_PREFIX, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key;
        if (!key || this.ownWrites.has(key)) continue;
        const eTag = (object.ETag ?? '').replace(/"/g, '');
        if (this.known.get(key) === eTag) continue;
        this.known.set(key, eTag);
        if (announce)
          await this.deliver(objectCreatedEvent(this.bucket, { key, size: object.Size ?? 0, eTag }));
      }
      token = page.NextContinuationToken;
    } while (token);
  }
}
