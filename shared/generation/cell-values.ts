import type { ColumnKind } from './sheet-columns';

/**
 * One spreadsheet cell as the JSON value of its field, from what real exports hold: French Excel's
 * CSV (`1 075,00`, `oui`, `04/11/2022`) or an .xlsx cell (a number, a boolean, a Date). An empty
 * cell is null. A value that cannot be read is a French reason, said with the row and column.
 */
export type Cell = string | number | boolean | Date | null | undefined;

/** An amount written as the agency wants it, with two decimals: kept as JSON source text. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = string | boolean | null | RawNumber | JsonValue[] | { [key: string]: JsonValue };

export type CellOutcome = { ok: true; value: JsonValue } | { ok: false; reason: string };

const TRUE_WORDS = new Set(['oui', 'vrai', 'true', '1', 'o', 'v']);
const FALSE_WORDS = new Set(['non', 'faux', 'false', '0', 'n', 'f']);

export function cellValue(cell: Cell, kind: ColumnKind): CellOutcome {
  if (cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === ''))
    return { ok: true, value: kind === 'list' ? [] : null };
  switch (kind) {
    case 'amount':
      return amountOf(cell);
    case 'bool':
      return boolOf(cell);
    case 'date':
      return dateOf(cell);
    case 'list':
      return {
        ok: true,
        value: String(textOf(cell))
          .split('|')
          .map((item) => item.trim())
          .filter(Boolean),
      };
    case 'any': {
      const bool = boolOf(cell);
      return bool.ok && typeof cell !== 'number' ? bool : { ok: true, value: textOf(cell) };
    }
    default:
      return { ok: true, value: textOf(cell) };
  }
}

function textOf(cell: Exclude<Cell, null | undefined>): string {
  if (cell instanceof Date) return frenchDate(cell);
  // An .xlsx number in a text column (an RPPS typed as a number): its digits, never « 8.8e+10 ».
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  return String(cell).trim();
}

/** `1 075,00`, `1075.00`, `1075`, `1.075,50`, `1,075.50`, `1075 €` → `1075.00`; a number as is. */
function amountOf(cell: Exclude<Cell, null | undefined>): CellOutcome {
  if (typeof cell === 'number')
    return Number.isFinite(cell)
      ? { ok: true, value: new RawNumber(cell.toFixed(2)) }
      : notAmount(String(cell));
  if (typeof cell !== 'string') return notAmount(String(cell));
  let text = cell.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '');
  const comma = text.lastIndexOf(',');
  const dot = text.lastIndexOf('.');
  // The last separator is the decimal one when two or fewer digits follow it, or when both appear.
  if (comma >= 0 && dot >= 0)
    text = comma > dot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  else if (comma >= 0) text = text.replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) return notAmount(cell);
  const [units, decimals = ''] = text.split('.');
  return { ok: true, value: new RawNumber(`${units}.${decimals.padEnd(2, '0')}`) };
}

function notAmount(text: string): CellOutcome {
  return { ok: false, reason: `« ${text} » n'est pas un montant (attendu par exemple 1075.00 ou 1 075,00)` };
}

function boolOf(cell: Exclude<Cell, null | undefined>): CellOutcome {
  if (typeof cell === 'boolean') return { ok: true, value: cell };
  const word = String(cell).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  return { ok: false, reason: `« ${cell} » n'est pas un booléen (oui/non, vrai/faux, true/false, 1/0)` };
}

/** Days from 1899-12-30 (Excel's day 0, its 1900 leap-year bug included) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25569;

/** `04/11/2022`, `4/11/2022`, `2022-11-04`, a Date, or an Excel serial day → `04/11/2022`. */
function dateOf(cell: Exclude<Cell, null | undefined>): CellOutcome {
  if (cell instanceof Date) return { ok: true, value: frenchDate(cell) };
  if (typeof cell === 'number' && cell > 0 && cell < 2958466)
    return { ok: true, value: frenchDate(new Date(Math.round((cell - EXCEL_EPOCH_DAYS) * 86400000))) };
  const text = String(cell).trim();
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const [day, month, year] = french ? [french[1], french[2], french[3]] : iso ? [iso[3], iso[2], iso[1]] : [];
  if (day && month && year) {
    const at = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (at.getUTCDate() === Number(day) && at.getUTCMonth() === Number(month) - 1)
      return { ok: true, value: frenchDate(at) };
  }
  return { ok: false, reason: `« ${text} » n'est pas une date (attendu JJ/MM/AAAA)` };
}

/** A calendar day as JJ/MM/AAAA, read in UTC: spreadsheet dates carry no time zone. */
function frenchDate(at: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${pad(at.getUTCMonth() + 1)}/${at.getUTCFullYear()}`;
}

/** JSON text of a line, amounts written as their raw two-decimal text (JSON.stringify would drop `.00`). */
export function toJsonText(value: JsonValue): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(', ')}]`;
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  if (value !== null && typeof value === 'object')
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${toJsonText(item)}`)
      .join(', ')} }`;
  return JSON.stringify(value);
}
