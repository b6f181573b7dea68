import { hasUnprintable } from './printable';

/**
 * Whether an object key (below its folder: `<SIRET>/<type>/<name>`) can become a local path or a
 * return's key as it is: no empty, `.` or `..` segment (nothing may climb out of its folder), no
 * leading slash, no backslash (a separator elsewhere), no control character, and each name short
 * enough for any file system once a suffix (`.refus.json`, `.v2`) is added. Undefined when safe,
 * else the reason, in French.
 */
const MAX_NAME_BYTES = 200;

export function unsafeKeyReason(relativeKey: string): string | undefined {
  if (relativeKey.startsWith('/')) return 'chemin absolu';
  if (relativeKey.includes('\\')) return 'barre oblique inverse (\\) dans le chemin';
  if (hasUnprintable(relativeKey)) return 'caractère de contrôle dans le nom';
  for (const segment of relativeKey.split('/')) {
    if (segment === '') return 'dossier vide (//) dans le chemin';
    if (segment === '.' || segment === '..') return `« ${segment} » dans le chemin`;
    if (new TextEncoder().encode(segment).length > MAX_NAME_BYTES)
      return `nom de plus de ${MAX_NAME_BYTES} octets`;
  }
  return undefined;
}
