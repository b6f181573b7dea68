/**
 * The files the vendor gave the page, by role: one deposit, its zips, a référentiel. Every file
 * given is acknowledged: taken in its role, or listed with why the page does not take it; the same
 * file twice is kept once; each can be removed.
 */
export interface ChosenFiles {
  depot?: File;
  zips: File[];
  referentiel?: File;
  /** Files the page does not take, with the reason, shown until removed. */
  refused: Array<{ file: File; reason: string }>;
}

export type Role = 'depot' | 'zip' | 'referentiel';

const sameFile = (a: File, b: File) =>
  a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

/** Where a file goes, from its name and, for a JSON, its first bytes; or why it is not taken. */
export async function roleOf(file: File): Promise<Role | { reason: string }> {
  if (/\.zip$/i.test(file.name)) return 'zip';
  if (/\.json$/i.test(file.name)) {
    const head = await file.slice(0, 4096).text();
    return /referentiel/i.test(file.name) || /"referencements"\s*:/.test(head) ? 'referentiel' : 'depot';
  }
  const kind = /\.([a-z0-9]{1,6})$/i.exec(file.name)?.[1]?.toUpperCase();
  return {
    reason: `${kind ? `un fichier ${kind}` : 'ce fichier'} n'est pas pris : le simulateur contrôle un fichier JSON de demandes et ses .zip ; les pièces (PDF, PNG, JPG) se donnent dans les .zip`,
  };
}

/** Adds a file in its role: a second deposit or référentiel replaces the first, a zip already there is kept once. */
export function add(chosen: ChosenFiles, file: File, role: Role | { reason: string }): void {
  if (typeof role === 'object') {
    if (!chosen.refused.some((entry) => sameFile(entry.file, file)))
      chosen.refused.push({ file, reason: role.reason });
  } else if (role === 'zip') {
    if (!chosen.zips.some((zip) => sameFile(zip, file))) chosen.zips.push(file);
  } else chosen[role] = file;
}

export function remove(chosen: ChosenFiles, file: File): void {
  if (chosen.depot === file) chosen.depot = undefined;
  if (chosen.referentiel === file) chosen.referentiel = undefined;
  chosen.zips = chosen.zips.filter((zip) => zip !== file);
  chosen.refused = chosen.refused.filter((entry) => entry.file !== file);
}

const FRENCH = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** « 2,8 Ko », « 200 Mo »: sizes as French readers write them. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${FRENCH.format(bytes / 1024 / 1024)} Mo`;
  if (bytes >= 1024) return `${FRENCH.format(bytes / 1024)} Ko`;
  return `${FRENCH.format(bytes)} o`;
}
