import { parisDay } from '../domain/paris-day';

/**
 * The operators' day index (`TABLE.dayIndex`): one partition per Paris day, `JOUR#AAAA-MM-JJ`,
 * sorted by `<SIRET>#<ISO time>#<submission>`, so that « what came from this vendor today » is one
 * query. Submissions enter it at their first arrival, published results when they are published.
 */
export function dayIndexKey(
  at: string,
  siret: string,
  submissionId: string,
): { partition: string; sort: string } {
  return { partition: dayPartition(isoParisDay(new Date(at))), sort: `${siret}#${at}#${submissionId}` };
}

/** The partition of one day, AAAA-MM-JJ (Paris). */
export function dayPartition(isoDay: string): string {
  return `JOUR#${isoDay}`;
}

/** The start of the sort keys of one vendor's entries in a day. */
export function vendorPrefix(siret: string): string {
  return `${siret}#`;
}

/** AAAA-MM-JJ of an instant in Europe/Paris. */
export function isoParisDay(at: Date): string {
  const day = parisDay(at);
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`;
}
