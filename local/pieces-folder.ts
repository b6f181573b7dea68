import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep, win32 } from 'node:path';

/**
 * A document named in a spreadsheet, found only inside the `--pieces` folder: no absolute path, no
 * `..`, and no symbolic link leading out (the real path is compared, not the written one). What a
 * vendor packs in its zips is what it meant to send, never a file from elsewhere on its disk.
 */
export type PiecePath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: string };

export async function pieceInside(pieces: string, source: string): Promise<PiecePath> {
  // Windows users write `sous-dossier\doc.pdf`: a separator, as the zip reader reads it too.
  const written = source.replace(/\\/g, '/');
  if (isAbsolute(written) || win32.isAbsolute(source))
    return {
      ok: false,
      reason: `« ${source} » est un chemin absolu : indiquez un chemin relatif au dossier --pieces`,
    };
  if (written.split('/').includes('..'))
    return { ok: false, reason: `« ${source} » remonte hors du dossier --pieces (..)` };
  const root = await realpath(pieces).catch(() => undefined);
  if (!root) return { ok: false, reason: `dossier --pieces « ${pieces} » introuvable` };
  const real = await realpath(resolve(root, written)).catch(() => undefined);
  if (!real) return { ok: false, reason: `document « ${source} » introuvable sous --pieces ${pieces}` };
  if (!real.startsWith(`${root}${sep}`))
    return { ok: false, reason: `« ${source} » est un lien qui mène hors du dossier --pieces : refusé` };
  const info = await stat(real);
  if (!info.isFile()) return { ok: false, reason: `« ${source} » n'est pas un fichier` };
  return { ok: true, path: real };
}
