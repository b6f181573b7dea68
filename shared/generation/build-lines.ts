import { closestName, comparable } from '../domain/closest-name';
import type { Profile } from '../domain/profiles';
import { type Cell, cellValue, type JsonValue, RawNumber } from './cell-values';
import { type ColumnSpec, columnsOf, generatedFields, patternOf } from './sheet-columns';

/**
 * Spreadsheet rows → the lines of a deposit (pure: the documents' formats are given by the caller,
 * which read their first bytes). Every problem names the sheet's row (1 = the header) and column.
 */
export interface SheetProblem {
  readonly row?: number;
  readonly column?: string;
  readonly message: string;
}

export interface SheetDocument {
  /** The `[i]` of `piecesJustificatives[i]`. */
  readonly index: number;
  readonly source: string;
  readonly typeFichier: string;
  readonly nomFichier: string;
}

export interface BuiltLine {
  /** The row of the sheet the line comes from (1 = the header). */
  readonly row: number;
  readonly line: { [key: string]: JsonValue };
  readonly documents: readonly SheetDocument[];
}

interface Column {
  readonly header: string;
  readonly path: string;
  readonly spec: ColumnSpec;
  readonly indexes: number[];
}

/** PDF, PNG or JPG from a document's own bytes, or why it has none. */
export type DocumentFormat = (source: string) => { format?: 'PDF' | 'PNG' | 'JPG'; problem?: string };

const EXTENSION = { PDF: 'pdf', PNG: 'png', JPG: 'jpg' } as const;
const FORMAT_PATTERN = 'piecesJustificatives[i].formatFichier';

/** The header matched to the profile's columns: case, accents and spaces ignored. */
export function matchHeader(
  profile: Profile,
  header: readonly string[],
): { columns: Column[]; problems: SheetProblem[] } {
  const specs = columnsOf(profile);
  const byKey = new Map(specs.map((spec) => [comparable(spec.pattern), spec]));
  const generated = new Set(generatedFields(profile).map(comparable));
  // Vendors' own exports carry formatFichier: taken, and checked against the document's bytes.
  const formatColumn = comparable(FORMAT_PATTERN);
  const problems: SheetProblem[] = [];
  const columns: Column[] = [];
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const title = raw.trim();
    if (title === '') return;
    const { pattern, indexes } = patternOf(title.replace(/\s+/g, ''));
    const key = comparable(pattern);
    const spec = byKey.get(key);
    const where = `colonne ${index + 1} « ${title} »`;
    if (key === formatColumn && !seen.has(`${key}${indexes.join(',')}`)) {
      seen.add(`${key}${indexes.join(',')}`);
      columns.push({
        header: title,
        path: title.replace(/\s+/g, ''),
        spec: { pattern: FORMAT_PATTERN, kind: 'text', mandatory: false },
        indexes,
      });
    } else if (generated.has(key)) {
      problems.push({
        row: 1,
        column: title,
        message: `${where} : ce champ est rempli par generer, retirez la colonne`,
      });
    } else if (!spec) {
      const nearest = closestName(
        pattern,
        specs.map((known) => known.pattern),
      );
      problems.push({
        row: 1,
        column: title,
        message: `${where} inconnue pour le profil ${profile.id}${nearest ? ` : vouliez-vous dire ${nearest.replace('[i]', '[0]')} ?` : ''}`,
      });
    } else if (seen.has(`${key}${indexes.join(',')}`)) {
      problems.push({ row: 1, column: title, message: `${where} : colonne en double` });
    } else {
      seen.add(`${key}${indexes.join(',')}`);
      columns.push({ header: title, path: title.replace(/\s+/g, ''), spec, indexes });
    }
  });
  const present = new Set(columns.map((column) => column.spec.pattern));
  const missing = specs.filter((spec) => spec.mandatory && !present.has(spec.pattern));
  for (const spec of missing)
    problems.push({ row: 1, column: spec.pattern, message: `colonne obligatoire absente : ${spec.pattern}` });
  return { columns, problems };
}

export function buildLines(
  profile: Profile,
  columns: readonly Column[],
  rows: ReadonlyArray<readonly Cell[]>,
  formatOf: DocumentFormat,
): { lines: BuiltLine[]; problems: SheetProblem[] } {
  const lines: BuiltLine[] = [];
  const problems: SheetProblem[] = [];
  const order = columnsOf(profile).map((spec) => spec.pattern);
  rows.forEach((cells, rowIndex) => {
    const row = rowIndex + 2;
    if (cells.every((cell) => cell === null || cell === undefined || String(cell).trim() === '')) return;
    const values = new Map<string, JsonValue>();
    for (const [index, column] of columns.entries()) {
      const outcome = cellValue(cells[index], column.spec.kind);
      if (!outcome.ok) problems.push({ row, column: column.header, message: outcome.reason });
      else values.set(column.path, outcome.value);
    }
    const built = lineOf(profile, columns, values, order, row, formatOf, problems);
    if (built) lines.push(built);
  });
  return { lines, problems };
}

function lineOf(
  profile: Profile,
  columns: readonly Column[],
  values: ReadonlyMap<string, JsonValue>,
  order: readonly string[],
  row: number,
  formatOf: DocumentFormat,
  problems: SheetProblem[],
): BuiltLine | undefined {
  const tree: { [key: string]: JsonValue } = { numLigne: null, typeAction: 'C' };
  if (profile.type === 'avance') tree.numeroASP = null;
  const sorted = [...columns].sort(
    (a, b) => order.indexOf(a.spec.pattern) - order.indexOf(b.spec.pattern) || a.path.localeCompare(b.path),
  );
  const documents: SheetDocument[] = [];
  const pieces = new Map<number, { typeFichier?: string; source?: string; formatFichier?: string }>();
  for (const column of sorted) {
    const value = values.get(column.path) ?? null;
    if (column.spec.pattern.startsWith('piecesJustificatives[i].')) {
      const index = column.indexes[0] ?? 0;
      const piece = pieces.get(index) ?? {};
      if (typeof value === 'string') {
        const part = column.spec.pattern.split('.').pop();
        piece[part === 'fichier' ? 'source' : part === 'formatFichier' ? 'formatFichier' : 'typeFichier'] =
          value;
      }
      pieces.set(index, piece);
      if (!('piecesJustificatives' in tree)) tree.piecesJustificatives = [];
      continue;
    }
    setPath(tree, column.path, value);
  }
  compact(tree);
  const numeroEditeur = typeof tree.numeroEditeur === 'string' ? tree.numeroEditeur : '';
  const declared: JsonValue[] = [];
  for (const [index, piece] of [...pieces].sort((a, b) => a[0] - b[0])) {
    if (piece.source === undefined && piece.typeFichier === undefined) continue;
    const column = `piecesJustificatives[${index}].fichier`;
    if (piece.source === undefined) {
      problems.push({ row, column, message: `aucun document pour la pièce de type ${piece.typeFichier}` });
      continue;
    }
    const typeFichier = piece.typeFichier ?? '';
    const code = profile.attachmentCodeOf(typeFichier);
    if (!code) {
      problems.push({
        row,
        column: `piecesJustificatives[${index}].typeFichier`,
        message: `typeFichier « ${typeFichier} » inconnu pour ${profile.id} : le nom du document ne peut pas être formé`,
      });
      continue;
    }
    const { format, problem } = formatOf(piece.source);
    if (!format) {
      problems.push({ row, column, message: problem ?? `« ${piece.source} » : format illisible` });
      continue;
    }
    if (piece.formatFichier !== undefined && piece.formatFichier.trim().toUpperCase() !== format) {
      problems.push({
        row,
        column: `piecesJustificatives[${index}].formatFichier`,
        message: `formatFichier « ${piece.formatFichier} » ne correspond pas au document « ${piece.source} », dont le contenu est ${format} : corrigez la cellule ou retirez la colonne (generer lit le format dans le document)`,
      });
      continue;
    }
    const nomFichier = `${profile.couloir}-${profile.logiciel}-Va1-${code}-${numeroEditeur}.${EXTENSION[format]}`;
    documents.push({ index, source: piece.source, typeFichier, nomFichier });
    declared.push({ nomFichier, formatFichier: format, typeFichier });
  }
  if ('piecesJustificatives' in tree) tree.piecesJustificatives = declared;
  tree.codeTraitement = null;
  tree.libelleTraitement = null;
  return { row, line: tree, documents };
}

/** Puts a value at `a.b[2].c`, creating the objects and list items on the way. */
function setPath(tree: { [key: string]: JsonValue }, path: string, value: JsonValue): void {
  const steps = path.split('.').flatMap((step) => {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(step);
    if (!match) return [step];
    const indexes = [...(match[2] ?? '').matchAll(/\[(\d+)\]/g)].map((found) => Number(found[1]));
    return [match[1] as string, ...indexes];
  });
  let node: JsonValue = tree;
  steps.forEach((step, position) => {
    const last = position === steps.length - 1;
    const container = node as { [key: string]: JsonValue } & JsonValue[];
    const next = steps[position + 1];
    if (last) container[step as never] = value as never;
    else {
      if (container[step as never] === undefined || container[step as never] === null)
        container[step as never] = (typeof next === 'number' ? [] : {}) as never;
      node = container[step as never] as JsonValue;
    }
  });
}

/**
 * Empty parts left out as the documents show them: a list item whose cells are all empty is not
 * an item (a doctor's columns unused on this row), an object whose cells are all empty is `{}`.
 */
function compact(value: JsonValue): boolean {
  if (Array.isArray(value)) {
    const kept = value.filter((item) => item !== undefined && compact(item));
    value.splice(0, value.length, ...kept);
    return value.length > 0;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof RawNumber)) {
    const record = value as { [key: string]: JsonValue };
    let filled = false;
    for (const key of Object.keys(record)) if (compact(record[key] as JsonValue)) filled = true;
    const empty = (item: JsonValue) =>
      item === null ||
      (Array.isArray(item)
        ? item.length === 0
        : typeof item === 'object' && !(item instanceof RawNumber) && Object.keys(item).length === 0);
    if (!filled && Object.values(record).every(empty))
      for (const key of Object.keys(record)) delete record[key];
    return filled;
  }
  return value !== null;
}
