import { readFile, stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { BufferSource } from '../shared/adapters/byte-range-source';
import { ZipArchive } from '../shared/adapters/zip/zip-archive';
import type { Cell } from '../shared/generation/cell-values';
import { UsageError } from './cli-io';

/** A spreadsheet as rows of cells, whatever it was saved as; how it was read, for the summary. */
export interface Sheet {
  readonly header: string[];
  readonly rows: Cell[][];
  readonly description: string;
}

/**
 * What a spreadsheet may weigh, checked before it is parsed: far above any real sheet (200 requests
 * a file, a few hundred columns), far below what would take the machine (a 1.5 MB .xlsx whose sheet
 * inflates to 1.5 GB once took 4 s and 1.66 GB before an English error).
 */
const SHEET_LIMITS = {
  /** The file itself, CSV or .xlsx. */
  fileBytes: 32 * 1024 * 1024,
  /** An .xlsx's parts once inflated, as its zip directory announces them, all together. */
  inflatedBytes: 64 * 1024 * 1024,
  /** Inflated over compressed, per part: real sheets compress ten to fifty times. */
  ratio: 200,
  rows: 20_000,
  columns: 2_000,
} as const;

export async function readSpreadsheet(path: string): Promise<Sheet> {
  const size = await stat(path).then(
    (info) => (info.isDirectory() ? -1 : info.size),
    () => undefined,
  );
  if (size !== undefined && size > SHEET_LIMITS.fileBytes)
    throw new UsageError(
      `tableur « ${path} » : ${size} octets, au-delà des ${SHEET_LIMITS.fileBytes / 1024 / 1024} Mio permis ; découpez-le en plusieurs tableurs`,
    );
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `tableur « ${path} » : ${error.code === 'ENOENT' ? 'introuvable' : error.code === 'EISDIR' ? "c'est un dossier" : 'illisible'}`,
    );
  });
  // An .xlsx is a zip (PK): read by its content, whatever the name says.
  const sheet = bytes[0] === 0x50 && bytes[1] === 0x4b ? await readXlsx(path, bytes) : readCsv(path, bytes);
  return withinShape(path, sheet);
}

/** Rows and columns bounded once read (a CSV of a million separators is one row of a million cells). */
function withinShape(path: string, sheet: Sheet): Sheet {
  if (sheet.rows.length > SHEET_LIMITS.rows)
    throw new UsageError(
      `tableur « ${path} » : ${sheet.rows.length} lignes, au-delà des ${SHEET_LIMITS.rows} permises ; découpez-le`,
    );
  const widest = Math.max(sheet.header.length, ...sheet.rows.map((row) => row.length));
  if (widest > SHEET_LIMITS.columns)
    throw new UsageError(
      `tableur « ${path} » : ${widest} colonnes, au-delà des ${SHEET_LIMITS.columns} permises`,
    );
  return sheet;
}

/**
 * The .xlsx's zip directory read first (never inflated): parts announced too big together, or
 * compressed beyond any real sheet, refuse the file before the parser inflates anything.
 */
async function xlsxBoundsProblem(path: string, bytes: Buffer): Promise<string | undefined> {
  let entries: ReadonlyArray<{ path: string; compressedSize: number; uncompressedSize: number }>;
  try {
    entries = (await ZipArchive.open(new BufferSource(path, bytes))).listing.entries;
  } catch {
    return 'classeur .xlsx illisible (zip endommagé)';
  }
  const inflated = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (inflated > SHEET_LIMITS.inflatedBytes)
    return `classeur de ${Math.round(inflated / 1024 / 1024)} Mio une fois décompressé, au-delà des ${SHEET_LIMITS.inflatedBytes / 1024 / 1024} Mio permis`;
  const bomb = entries.find(
    (entry) => entry.uncompressedSize / Math.max(1, entry.compressedSize) > SHEET_LIMITS.ratio,
  );
  if (bomb)
    return `partie « ${bomb.path} » compressée ${Math.round(bomb.uncompressedSize / Math.max(1, bomb.compressedSize))} fois, ce qu'aucun tableur réel ne fait`;
  return undefined;
}

async function readXlsx(path: string, bytes: Buffer): Promise<Sheet> {
  const problem = await xlsxBoundsProblem(path, bytes);
  if (problem) throw new UsageError(`tableur « ${path} » : ${problem}`);
  let data: Cell[][];
  try {
    data = (await readSheet(bytes)) as Cell[][];
  } catch (error) {
    throw new UsageError(`tableur « ${path} » : classeur .xlsx illisible (${(error as Error).message})`);
  }
  const [header = [], ...rows] = data;
  return {
    header: header.map((cell) => String(cell ?? '')),
    rows,
    description: 'classeur .xlsx, première feuille',
  };
}

/**
 * French Excel saves CSV as Windows-1252 with `;`; others write UTF-8 (with or without BOM) and `,`.
 * The encoding is UTF-8 when the bytes are valid UTF-8, else Windows-1252; the separator is the one
 * of `;`, `,` or tab that the header line holds most of (outside quotes).
 */
function readCsv(path: string, bytes: Buffer): Sheet {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  let encoding: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    encoding = bom ? 'UTF-8 avec BOM' : 'UTF-8';
  } catch {
    text = new TextDecoder('windows-1252').decode(body);
    encoding = 'Windows-1252';
  }
  if (text.includes('\u0000'))
    throw new UsageError(`tableur « ${path} » : ni CSV ni .xlsx (octets binaires)`);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const separator = [';', ',', '\t'].sort(
    (a, b) => unquoted.split(b).length - unquoted.split(a).length,
  )[0] as string;
  let records: string[][];
  try {
    records = parse(text, { delimiter: separator, relax_column_count: true, relax_quotes: true });
  } catch (error) {
    throw new UsageError(`tableur « ${path} » : CSV illisible (${(error as Error).message})`);
  }
  const [header = [], ...rows] = records;
  const name = separator === '\t' ? 'tabulation' : `« ${separator} »`;
  return { header, rows, description: `CSV ${encoding}, séparateur ${name}` };
}
