import { type JsonNode, rawText } from '../json/json-document';
import { type FieldRule, type JsonType, type Presence, type ValueCheck, withSchema } from './engine';

/**
 * The value checks of the seeds' "Format" column, and builders for the field rules that use them.
 * Each check looks at one value and returns a draft, or nothing when the value is fine.
 */

const REQUIRED: Presence = { mode: 'required' };

/** a-z and the lower-case letters of French (with ß, whose capital is SS). */
const FRENCH_LOWER_CASE = 'a-zàâäæçéèêëîïôöœùûüÿß';

function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function str(node: JsonNode): string {
  return typeof node.value === 'string' ? node.value : '';
}

/** Values quoted in messages are cut so that a label stays readable. */
export function truncate(value: string, max = 60): string {
  return codePointLength(value) <= max ? value : `${[...value].slice(0, max - 1).join('')}…`;
}

// `\S`: the same white space as String.prototype.trim (ECMAScript's WhiteSpace and LineTerminator).
export const notBlank: ValueCheck = withSchema(
  (node) => (str(node).trim() === '' ? { code: '2013' } : undefined),
  {
    keywords: { pattern: '\\S' },
    format: 'non vide',
  },
);

/** VARCHAR (=n) */
export function lengthEquals(n: number): ValueCheck {
  return withSchema(
    (node) => {
      const length = codePointLength(str(node));
      return length === n
        ? undefined
        : { code: '2006', params: { n, longueur: length, recu: truncate(str(node)) } };
    },
    // JSON Schema counts characters as code points, as this check does.
    { keywords: { minLength: n, maxLength: n }, format: `VARCHAR (=${n})` },
  );
}

/** VARCHAR (<n): strictly fewer than n characters, as the tables write it. */
export function lengthBelow(n: number): ValueCheck {
  return withSchema(
    (node) => {
      const length = codePointLength(str(node));
      return length < n ? undefined : { code: '2007', params: { n, longueur: length } };
    },
    { keywords: { maxLength: n - 1 }, format: `VARCHAR (<${n})` },
  );
}

/** "en MAJUSCULES": nothing that upper-casing would change (accented capitals, digits, spaces pass). */
const upperCase: ValueCheck = withSchema(
  (node) => {
    const value = str(node);
    return value === value.toLocaleUpperCase('fr-FR')
      ? undefined
      : { code: '2008', params: { recu: truncate(value) } };
  },
  {
    // The lower-case letters of French, in a class every regular-expression dialect reads (Python's
    // `re` has no \p{Ll}): weaker than the check, which also refuses other scripts' lower case.
    keywords: { pattern: `^[^${FRENCH_LOWER_CASE}]*$` },
    format: 'en MAJUSCULES',
    unexpressed:
      'les minuscules hors de l’alphabet français (seules a-z et les lettres accentuées du français sont refusées par le schéma)',
  },
);

export const digitsOnly: ValueCheck = withSchema(
  (node) => (/^\d*$/.test(str(node)) ? undefined : { code: '2014', params: { recu: truncate(str(node)) } }),
  { keywords: { pattern: '^[0-9]*$' }, format: 'chiffres seulement' },
);

/** FINESS numbers are 9 characters, digits except Corsica's 2A/2B département prefixes. */
/** 9 digits, or Corsica's 2A/2B followed by 7 digits. */
export const FINESS_PATTERN = /^(\d{9}|2[AB]\d{7})$/;

const finessCharacters: ValueCheck = withSchema(
  (node) =>
    FINESS_PATTERN.test(str(node)) ? undefined : { code: '2014', params: { recu: truncate(str(node)) } },
  {
    keywords: { pattern: '^([0-9]{9}|2[AB][0-9]{7})$' },
    format: 'n° FINESS : 9 chiffres (2A ou 2B puis 7 chiffres en Corse)',
  },
);

export const alphanumeric: ValueCheck = withSchema(
  (node) =>
    /^[A-Za-z0-9]*$/.test(str(node)) ? undefined : { code: '2018', params: { recu: truncate(str(node)) } },
  { keywords: { pattern: '^[A-Za-z0-9]*$' }, format: 'lettres et chiffres sans accent' },
);

export function oneOf(values: readonly string[]): ValueCheck {
  const allowed = new Set(values);
  const byUpperCase = new Map(values.map((value) => [value.toUpperCase(), value]));
  const check: ValueCheck = (node) => {
    const value = str(node);
    if (allowed.has(value)) return undefined;
    // « pdf » for « PDF »: say it is the spelling, not that the value is unknown.
    const spelled = byUpperCase.get(value.toUpperCase());
    if (spelled !== undefined) return { code: '2027', params: { attendu: spelled, recu: truncate(value) } };
    return { code: '2005', params: { attendu: listLabel(values), recu: truncate(value) } };
  };
  return withSchema(check, { keywords: { enum: [...values] }, format: `valeurs : ${listLabel(values)}` });
}

export function listLabel(values: readonly string[]): string {
  const quoted = values.map((value) => `« ${value} »`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ou ${quoted[quoted.length - 1]}`;
}

const DATE_PATTERN = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** VARCHAR (format « JJ/MM/AAAA »), and a day that exists on the calendar. */
export const dateJJMMAAAA: ValueCheck = withSchema(
  (node) => {
    const value = str(node);
    const match = DATE_PATTERN.exec(value);
    if (!match) return { code: '2009', params: { recu: truncate(value) } };
    const [, day, month, year] = match.map(Number) as [number, number, number, number];
    return isCalendarDate(year, month, day) ? undefined : { code: '2010', params: { recu: value } };
  },
  {
    // Days 01 to 31 and months 01 to 12: a day the month lacks (31/04, 29/02 of 2023) is controler's.
    keywords: { pattern: '^(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/[0-9]{4}$' },
    format: 'date au format JJ/MM/AAAA',
    unexpressed: 'un jour qui n’existe pas dans le mois (31/04, 29/02 d’une année non bissextile)',
  },
);

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const AMOUNT_PATTERN = /^-?\d+\.\d{2}$/;
/**
 * Digits before the point: 999,999,999.99 € is far above any Ségur amount. Bounded so that a
 * 500,000-digit amount is refused (it made a DynamoDB item over 400 KB) and `1` followed by 5,000
 * zeros is not read as Infinity, which passed "> 0".
 */
const MAX_AMOUNT_DIGITS = 9;

/**
 * FLOAT (2 chiffres après le point), read from the source text (formats.md decision 5): JSON.parse
 * would turn 1075.00 into 1075 and lose what the rule is about.
 */
const amountTwoDecimals: ValueCheck = withSchema(
  (node, ctx) => {
    const raw = rawText(ctx.doc, node);
    if (!AMOUNT_PATTERN.test(raw)) return { code: '2011', params: { recu: raw } };
    const digits = raw.replace(/^-/, '').indexOf('.');
    if (digits > MAX_AMOUNT_DIGITS)
      return { code: '2019', params: { recu: raw, chiffres: digits, max: MAX_AMOUNT_DIGITS } };
    return Number(raw) > 0 ? undefined : { code: '2012', params: { recu: raw } };
  },
  {
    // A validator sees the parsed number: 1075.00 and 1075 are one value to it. `multipleOf: 0.01`
    // is left out, since binary floats make 2917.33 fail it in Python's jsonschema and Ajv.
    keywords: { exclusiveMinimum: 0, maximum: 999_999_999.99 },
    format: 'FLOAT (2 chiffres après le point), supérieur à 0',
    unexpressed: 'les deux chiffres après le point tels qu’écrits (1075.00, pas 1075 ni 1075.5)',
  },
);

/** A courtesy warning: the tables only bound the length, so a doubtful address never rejects. */
const emailLooksValid: ValueCheck = withSchema(
  (node) =>
    /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(str(node))
      ? undefined
      : { code: '8004', params: { recu: truncate(str(node)) } },
  { format: 'adresse électronique', warningOnly: true },
);

// ── Field rule builders ─────────────────────────────────────────────────────────────────────

type PresenceSpec = FieldRule['presence'];

export function field(
  key: string,
  type: JsonType,
  checks: readonly ValueCheck[] = [],
  presence: PresenceSpec = REQUIRED,
): FieldRule {
  return { kind: 'field', key, type, checks, presence };
}

export function text(
  key: string,
  checks: readonly ValueCheck[],
  presence: PresenceSpec = REQUIRED,
): FieldRule {
  return field(key, 'string', checks, presence);
}

export function bool(
  key: string,
  presence: PresenceSpec = REQUIRED,
  checks: readonly ValueCheck[] = [],
): FieldRule {
  return field(key, 'boolean', checks, presence);
}

export function nullOnly(key: string, reason?: string): FieldRule {
  return { kind: 'field', key, presence: { mode: 'null', reason } };
}

export function falseOnly(key: string, reason?: string, aliases?: readonly string[]): FieldRule {
  return { kind: 'field', key, aliases, presence: { mode: 'false', reason } };
}

/** A value that may be false or null (HOP-DPI's PFI block), the tag present. */
export function falseOrNull(key: string, reason?: string): FieldRule {
  return { kind: 'field', key, presence: { mode: 'falseOrNull', reason } };
}

export function date(key: string): FieldRule {
  return text(key, [dateJJMMAAAA]);
}

export function amount(key: string, extra: readonly ValueCheck[] = []): FieldRule {
  return field(key, 'number', [amountTwoDecimals, ...extra]);
}

export function choice(key: string, values: readonly string[], presence: PresenceSpec = REQUIRED): FieldRule {
  return text(key, [oneOf(values)], presence);
}

/** VARCHAR (<50) en MAJUSCULES */
export function upperName(key: string, presence: PresenceSpec = REQUIRED): FieldRule {
  return text(key, [notBlank, lengthBelow(50), upperCase], presence);
}

/** VARCHAR (<150), a courriel */
export function email(key: string, presence: PresenceSpec = REQUIRED): FieldRule {
  return text(key, [notBlank, lengthBelow(150), emailLooksValid], presence);
}

/** VARCHAR (<50), a téléphone */
export function phone(key: string, presence: PresenceSpec = REQUIRED): FieldRule {
  return text(key, [notBlank, lengthBelow(50)], presence);
}

/** VARCHAR (=9), a FINESS number */
export function finess(key: string, extra: readonly ValueCheck[] = []): FieldRule {
  return text(key, [lengthEquals(9), finessCharacters, ...extra]);
}

export const finessItemChecks: readonly ValueCheck[] = [lengthEquals(9), finessCharacters];
