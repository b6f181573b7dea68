import { parisDay } from '../domain/paris-day';

/**
 * The operators' day index (`TABLE.dayIndex`): one partition per Paris day, `JOUR#AAAA-MM-JJ`,
 * sorted by `<SIRET>#<ISO time>#…`, so that « what came from this vendor today » is one query.
 */
export function dayIndexPartition(at: Date): string {
  return `JOUR#${isoParisDay(at)}`;
}

/** AAAA-MM-JJ of an instant in Europe/Paris. */
export function isoParisDay(at: Date): string {
  const day = parisDay(at);
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`;
}
