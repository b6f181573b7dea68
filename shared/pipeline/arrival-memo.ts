import type { StoredObjectRef } from './ports';

/**
 * What the intake learnt from a deposit's bytes (the attachment names its JSON declares, the
 * document names a zip holds), remembered by object key and ETag while the function stays warm.
 *
 * Why: every arrival asks again whether its submission is complete, and used to read and parse the
 * JSON and every zip's central directory again. A JSON then its zip: the JSON read and parsed twice
 * by the intake; a JSON and five zips arriving one by one: six times, and 15 central directories
 * read for 5 zips.
 *
 * Why it stays exact: an ETag names bytes (S3 gives other bytes another one). Names are remembered
 * only under the ETag of the bytes they were read from, as the store answered the read (not as an
 * event claimed), and found only by an arrival naming that ETag. Bounded by the names held, the
 * least recently used forgotten first.
 */
export class ArrivalMemo {
  private readonly entries = new Map<string, ReadonlySet<string>>();
  private namesHeld = 0;

  constructor(private readonly maxNames = 100_000) {}

  /** The names read from exactly the bytes `ref` names, if remembered. */
  namesOf(ref: StoredObjectRef): ReadonlySet<string> | undefined {
    const etag = unquoted(ref.etag);
    if (!etag) return undefined;
    const key = memoKey(ref.key, etag);
    const names = this.entries.get(key);
    if (names) {
      // Most recently used last: the first in the map is the next forgotten.
      this.entries.delete(key);
      this.entries.set(key, names);
    }
    return names;
  }

  /** Names read from the object `key` whose bytes, as read, had ETag `etag` (none: not kept). */
  remember(key: string, etag: string | undefined, names: ReadonlySet<string>): void {
    const bare = unquoted(etag);
    if (!bare || names.size > this.maxNames) return;
    const entryKey = memoKey(key, bare);
    this.forget(entryKey);
    this.entries.set(entryKey, names);
    this.namesHeld += names.size;
    for (const [oldest] of this.entries) {
      if (this.namesHeld <= this.maxNames) break;
      this.forget(oldest);
    }
  }

  private forget(entryKey: string): void {
    const names = this.entries.get(entryKey);
    if (!names) return;
    this.entries.delete(entryKey);
    this.namesHeld -= names.size;
  }
}

function memoKey(key: string, etag: string): string {
  return `${key}\u0000${etag}`;
}

function unquoted(etag: string | undefined): string | undefined {
  return etag?.replace(/"/g, '') || undefined;
}
