import { Inflate } from 'pako';

/**
 * The part of node:zlib the zip reader uses, in the browser, by pako: a raw inflate of an entry's
 * first bytes, flushed without requiring the stream's end, its output capped as Node's
 * `maxOutputLength` caps it. Streams are never used (entries are never inflated whole).
 */
export const constants = { Z_SYNC_FLUSH: 2 } as const;

export function inflateRawSync(
  input: Uint8Array,
  options: { finishFlush?: number; maxOutputLength?: number } = {},
): Uint8Array {
  const inflator = new Inflate({ raw: true, chunkSize: 16 * 1024 });
  const chunks: Uint8Array[] = [];
  let total = 0;
  const limit = options.maxOutputLength ?? Number.POSITIVE_INFINITY;
  inflator.onData = (chunk) => {
    const bytes = chunk as Uint8Array;
    total += bytes.length;
    if (total > limit) throw new RangeError('sortie de décompression au-delà de la limite');
    chunks.push(bytes);
  };
  inflator.push(input, options.finishFlush ?? constants.Z_SYNC_FLUSH);
  // Z_BUF_ERROR (-5) only says the input stopped early, which a partial read always does.
  if (inflator.err && inflator.err !== -5) throw new Error(`inflate : ${inflator.msg}`);
  const output = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    output.set(chunk, at);
    at += chunk.length;
  }
  return output;
}

export function createInflateRaw(): never {
  throw new Error('décompression en flux indisponible dans le navigateur');
}
