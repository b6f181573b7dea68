import { open } from 'node:fs/promises';
import type { CappedBytes } from '../pipeline/ports';

/**
 * A local deposit read within its limit: a regular file over the limit is not read at all (its size
 * comes from stat), and a pipe or device (`/dev/zero`) is read up to the limit + 1 byte, then left.
 */
export async function readCappedFile(path: string, maxBytes: number): Promise<CappedBytes> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error(`${path} est un dossier`), { code: 'EISDIR' });
    if (stats.isFile() && stats.size > maxBytes) return { bytes: new Uint8Array(0), totalBytes: stats.size };
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const bytes = buffer.subarray(0, filled);
    return { bytes, totalBytes: stats.isFile() ? Math.max(stats.size, filled) : filled };
  } finally {
    await handle.close();
  }
}
