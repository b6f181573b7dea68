/**
 * Text from a deposit or a key, made safe to print in a terminal, a text email or a log line: every
 * control character (C0 including ESC, CR and LF; DEL; C1), the line and paragraph separators and
 * the bidirectional marks and overrides are shown as `\u001b`, visibly, so that a value can neither
 * move the cursor, forge a line nor reverse what follows it. Everything else is left as written.
 * The one place that does it: the console, the text reports, the emails' text parts and the result
 * messages call it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters neutralised.
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

export function printable(text: string, maxLength?: number): string {
  const safe = text.replace(
    UNPRINTABLE,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
  if (maxLength === undefined || [...safe].length <= maxLength) return safe;
  return `${[...safe].slice(0, maxLength).join('')}…`;
}

const ANY_UNPRINTABLE = new RegExp(UNPRINTABLE.source);

/** Whether a text holds anything `printable` would change. */
export function hasUnprintable(text: string): boolean {
  return ANY_UNPRINTABLE.test(text);
}
