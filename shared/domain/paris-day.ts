/** Built once: a DateTimeFormat costs far more to make than to use (it was 1.5 ms a judgement). */
const PARIS_DATE = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** AAAAMMJJ of an instant in Europe/Paris, the agency's time. */
export function parisDay(at: Date): string {
  const parts = PARIS_DATE.formatToParts(at);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}`;
}
