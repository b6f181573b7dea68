import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import type { Cell } from '../shared/generation/cell-values';
import { UsageError } from './cli-io';

/** A spreadsheet as rows of cells, whatever it was saved as; how it was read, for the summary. */
export interface Sheet {
  readonly header: string[];
  readonly rows: Cell[][];
  readonly description: string;
}

export async function readSpreadsheet(path: string): Promise<Sheet> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `tableur « ${path} » : ${error.code === 'ENOENT' ? 'introuvable' : error.code === 'EISDIR' ? "c'est un dossier" : 'illisible'}`,
    );
  });
  // An .xlsx is a zip (PK): read by its content, whatever the name says.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readXlsx(path, bytes);
  return readCsv(path, bytes);
}

async function readXlsx(path: string, bytes: Buffer): Promise<Sheet> {
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
