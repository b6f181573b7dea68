import type { Profile } from '../domain/profiles';
import { columnsOf, generatedFields, patternOf } from './sheet-columns';

/**
 * The `--modele` sheet of a profile: every column, in the profile's order, and one row from the
 * seed's worked example (its first request), so that a vendor starts from something that passes.
 * The documents' column holds the example's own file name: the file to put under --pieces.
 */
export function modelSheet(
  profile: Profile,
  example: Record<string, unknown>,
): { header: string[]; row: string[] } {
  const generated = new Set(generatedFields(profile));
  const leaves = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.every((item) => item === null || typeof item !== 'object')) {
        leaves.set(path, value.join('|'));
        return;
      }
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`);
      return;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (/^piecesJustificatives\[\d+\]$/.test(path)) {
        leaves.set(`${path}.typeFichier`, String(record.typeFichier ?? ''));
        leaves.set(`${path}.fichier`, String(record.nomFichier ?? ''));
        return;
      }
      for (const [key, item] of Object.entries(record)) walk(item, path === '' ? key : `${path}.${key}`);
      return;
    }
    if (generated.has(patternOf(path).pattern)) return;
    leaves.set(
      path,
      value === null ? '' : typeof value === 'boolean' ? (value ? 'oui' : 'non') : amountText(value),
    );
  };
  walk(example, '');
  const order = columnsOf(profile).map((spec) => spec.pattern);
  const known = [...leaves.keys()].filter((path) => order.includes(patternOf(path).pattern));
  // The columns the example leaves out (the other beneficiary kind…), with one item each.
  const present = new Set(known.map((path) => patternOf(path).pattern));
  const others = order
    .filter((pattern) => !present.has(pattern) && !generated.has(pattern))
    // Of two spellings of one field (isDirecToDMP / isDirectToDMP), the example's is enough.
    .filter(
      (pattern) =>
        !(pattern.endsWith('isDirectToDMP') && present.has(pattern.replace('isDirectToDMP', 'isDirecToDMP'))),
    )
    .filter(
      (pattern) =>
        !(pattern.endsWith('isDirecToDMP') && present.has(pattern.replace('isDirecToDMP', 'isDirectToDMP'))),
    )
    .map((pattern) => pattern.replace(/\[i\]/g, '[0]'));
  const header = [...known, ...others].sort(
    (a, b) => order.indexOf(patternOf(a).pattern) - order.indexOf(patternOf(b).pattern),
  );
  return { header, row: header.map((path) => leaves.get(path) ?? '') };
}

/** Amounts of the example as the French Excel writes them back: `1075.00`. */
function amountText(value: unknown): string {
  return typeof value === 'number' ? value.toFixed(2) : String(value);
}
