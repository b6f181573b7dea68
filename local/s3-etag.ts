import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * A local file's ETag as S3 gives it once sent by this project's commands (deposer, traiter: parts
 * of PART_BYTES): whether a deposit is already there, byte for byte, without sending it again.
 */
/** The MD5 S3 gives a file sent in one part as its ETag, read as a stream. */
export async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const PART_BYTES = 8 * 1024 * 1024;

/**
 * The ETag S3 gives the file as deposer sends it: the MD5 of its bytes in one part, else the MD5 of
 * its parts' MD5s followed by -<parts> (parts of PART_BYTES).
 */
export async function s3EtagOf(path: string): Promise<string> {
  const { size } = await stat(path);
  if (size <= PART_BYTES) return md5Of(path);
  const parts: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: PART_BYTES }))
    parts.push(
      createHash('md5')
        .update(chunk as Buffer)
        .digest(),
    );
  return `${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-${parts.length}`;
}
