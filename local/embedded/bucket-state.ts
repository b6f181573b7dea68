import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The embedded S3 kept on disk (`--state`): fauxqs holds its objects in memory only, so the stack
 * copies each bucket to `<dir>/<bucket>/` (one file per object, its key URL-encoded: any key, one
 * flat folder) and puts them back when it starts again, without S3 events: they were handled.
 */
export async function saveBuckets(s3: S3Client, buckets: readonly string[], dir: string): Promise<number> {
  let saved = 0;
  for (const bucket of buckets) {
    const folder = join(dir, bucket);
    const next = `${folder}.next`;
    await rm(next, { recursive: true, force: true });
    await mkdir(next, { recursive: true });
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key as string;
        const response = await s3
          .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
          .catch(() => undefined);
        if (!response?.Body) continue;
        const body = await (
          response.Body as { transformToByteArray(): Promise<Uint8Array> }
        ).transformToByteArray();
        await writeFile(join(next, encodeURIComponent(key)), body);
        saved++;
      }
      token = page.NextContinuationToken;
    } while (token);
    // Swapped whole: a stop in the middle of a save keeps the previous copy.
    await rm(folder, { recursive: true, force: true });
    await rename(next, folder);
  }
  return saved;
}

export async function restoreBuckets(s3: S3Client, buckets: readonly string[], dir: string): Promise<number> {
  let restored = 0;
  for (const bucket of buckets) {
    const folder = join(dir, bucket);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: decodeURIComponent(name),
          Body: await readFile(join(folder, name)),
        }),
      );
      restored++;
    }
  }
  return restored;
}
