import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { printable } from '../shared/domain/printable';
import { unsafeKeyReason } from '../shared/domain/safe-key';

/**
 * Every copy of an object onto the local disk goes through here (`recuperer`, `deposer --attendre`,
 * the embedded stack's mirror of retour/): a key becomes a path only inside its target folder, and
 * a file already there with other bytes is never overwritten (the record a vendor or an operator
 * keeps stays as it was received).
 */
export type LocalPath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: string };

/** The path of `relativeKey` (a key below its prefix) inside `root`, or why it has none. */
export function localPathFor(root: string, relativeKey: string): LocalPath {
  const unsafe = unsafeKeyReason(relativeKey);
  if (unsafe) return { ok: false, reason: `« ${printable(relativeKey, 120)} » non copié : ${unsafe}` };
  const base = resolve(root);
  const path = resolve(base, ...relativeKey.split('/'));
  // Belt and braces: whatever the checks above missed, nothing lands outside the folder.
  if (!path.startsWith(`${base}${sep}`))
    return { ok: false, reason: `« ${printable(relativeKey, 120)} » non copié : hors du dossier ${root}` };
  return { ok: true, path };
}

export type CopyOutcome =
  | { readonly status: 'written' | 'unchanged'; readonly path: string }
  /** A file with other bytes was there: it is kept, the new bytes are written beside it. */
  | { readonly status: 'kept-beside'; readonly path: string; readonly existing: string }
  | { readonly status: 'skipped'; readonly reason: string };

/** How many versions of one name are kept beside each other before the copy gives up. */
const MAX_VERSIONS = 1000;

/**
 * Writes `bytes` as `relativeKey` inside `root`, atomically (a temporary file, flushed, renamed):
 * the same bytes already there change nothing; other bytes are kept and the new ones go beside,
 * as `<name>.v2<ext>`, `<name>.v3<ext>`… A key that cannot be a path is skipped with the reason.
 */
export async function writeLocalCopy(
  root: string,
  relativeKey: string,
  bytes: Uint8Array,
): Promise<CopyOutcome> {
  const target = localPathFor(root, relativeKey);
  if (!target.ok) return { status: 'skipped', reason: target.reason };
  try {
    await mkdir(dirname(target.path), { recursive: true });
    for (let version = 1; version <= MAX_VERSIONS; version++) {
      const path = version === 1 ? target.path : versionedPath(target.path, version);
      const existing = await lstat(path).catch(() => undefined);
      if (!existing) {
        await writeAtomically(path, bytes);
        return version === 1
          ? { status: 'written', path }
          : { status: 'kept-beside', path, existing: target.path };
      }
      if (!existing.isFile())
        return { status: 'skipped', reason: `${printable(path)} existe et n'est pas un fichier ordinaire` };
      if (existing.size === bytes.length && Buffer.from(await readFile(path)).equals(bytes))
        return { status: 'unchanged', path };
    }
    return {
      status: 'skipped',
      reason: `${MAX_VERSIONS} versions de ${printable(target.path)} déjà présentes`,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      status: 'skipped',
      reason: `« ${printable(relativeKey, 120)} » non copié : ${code === 'ENAMETOOLONG' ? 'nom trop long pour le système de fichiers' : error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** `a/JSON-1.rapport.json`, 2 → `a/JSON-1.rapport.v2.json`. */
function versionedPath(path: string, version: number): string {
  const extension = extname(path);
  const stem = basename(path, extension);
  return `${dirname(path)}${sep}${stem}.v${version}${extension}`;
}

/** A temporary file beside the target, flushed, then renamed: a crash leaves the old file or the new one. */
async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${dirname(path)}${sep}.${basename(path).slice(0, 40)}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
