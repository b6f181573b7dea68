/**
 * The known name nearest to a mistyped one, for « option inconnue --otu : vouliez-vous dire --out ? »
 * and the spreadsheet columns: edit distance on names compared without case, accents or spaces.
 */
export function closestName(wanted: string, known: readonly string[]): string | undefined {
  const key = comparable(wanted);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key, comparable(name));
    if (!best || distance < best.distance) best = { name, distance };
  }
  // Past a third of the name it is another word, not a typo: no suggestion beats a wrong one.
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.name : undefined;
}

/** Lower case, accents and spaces (and `_`) removed: « Commande.Date commande » ≈ « commande.datecommande ». */
export function comparable(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s_]+/g, '')
    .toLowerCase();
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
