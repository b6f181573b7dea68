import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import hopExample from '../events/drop/88558855858745/avance/JSON-1234567890-20220315-001.json';
import mdvExample from '../events/drop/88558855858745/avance/JSON-3456789012-20221104-001.json';
import sglExample from '../events/drop/88558855858745/avance/JSON-4567890123-20211025-001.json';
import loincExample from '../events/drop/88558855858745/solde/JSON-2345678901-20230920-001.json';
import { LocalFileSource } from '../shared/adapters/byte-range-source';
import { detectFormat } from '../shared/domain/attachments/attachment-checker';
import { MAX_ZIP_BYTES } from '../shared/domain/attachments/zip-entries';
import { depositFacts } from '../shared/domain/deposit-facts';
import { DEFAULT_LIMITS, parseJsonDocument } from '../shared/domain/json/json-document';
import { parisDay } from '../shared/domain/paris-day';
import { printable } from '../shared/domain/printable';
import { PROFILES } from '../shared/domain/profiles';
import type { ProfileId } from '../shared/domain/rules/line-environment';
import {
  type BuiltLine,
  buildLines,
  type DocumentFormat,
  matchHeader,
  type SheetProblem,
} from '../shared/generation/build-lines';
import { RawNumber, toJsonText } from '../shared/generation/cell-values';
import { modelSheet } from '../shared/generation/model-row';
import { checkDeposit } from '../shared/pipeline/check-deposit';
import { inspectZips } from '../shared/pipeline/inspect-zips';
import { loadReferentiel } from './check-command';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';
import { pieceInside } from './pieces-folder';
import { readSpreadsheet } from './sheet-reading';

export const GENERATE_USAGE = `Usage : segur-pipeline generer --profile MDV-LGC|HOP-DPI|BIO-SGL|BIO-LOINC --csv <fichier.csv|fichier.xlsx>
                        --ans <numeroAns> --siret <SIRET> [--pieces <dossier>] [--date AAAAMMJJ]
                        [--out <dossier>] [--referentiel <fichier>]
        segur-pipeline generer --profile <profil> --modele <fichier.csv>

Prépare un dépôt depuis un tableur (une ligne par demande, les en-têtes sont les chemins des champs) :
les fichiers JSON-<ANS>-<AAAAMMJJ>-<NNN>.json de 200 demandes au plus et leurs .zip (200 Mo au plus
chacun), contrôlés comme par « controler » avant d'être écrits. --modele écrit l'en-tête du profil
avec une ligne d'exemple tirée de la documentation.
Code de sortie : 0 dépôt prêt, 1 une demande serait rejetée (rien n'est écrit), 2 erreur d'usage ou de lecture.`;

const LINES_PER_FILE = 200;
/** Central directory and end record of a zip, per entry and once: the split keeps room for them. */
const ZIP_OVERHEAD_PER_ENTRY = 30 + 46 + 2 * 64;
const ZIP_END_RECORD = 22;

const EXAMPLES: Readonly<Record<ProfileId, { lignesImport: Array<Record<string, unknown>> }>> = {
  'MDV-LGC-avance': mdvExample,
  'HOP-DPI-avance': hopExample,
  'BIO-SGL-avance': sglExample,
  'BIO-LOINC-solde': loincExample,
};

const PROFILE_OF_SOFTWARE: Readonly<Record<string, ProfileId>> = {
  'MDV-LGC': 'MDV-LGC-avance',
  'HOP-DPI': 'HOP-DPI-avance',
  'BIO-SGL': 'BIO-SGL-avance',
  'BIO-LOINC': 'BIO-LOINC-solde',
};

/** Settings the tests lower (a 200 Mo zip limit needs 200 Mo of documents to show a split). */
export interface GenerateLimits {
  readonly maxZipBytes: number;
}

export async function runGenerate(
  args: readonly string[],
  io: CliIo,
  limits: GenerateLimits = { maxZipBytes: MAX_ZIP_BYTES },
): Promise<number> {
  const { values } = parseOptions(
    'generer',
    args,
    {
      profile: { type: 'string' },
      csv: { type: 'string' },
      ans: { type: 'string' },
      siret: { type: 'string' },
      pieces: { type: 'string', default: '.' },
      date: { type: 'string' },
      out: { type: 'string', default: 'depot-genere' },
      referentiel: { type: 'string' },
      modele: { type: 'string' },
    },
    false,
  );
  const profileId = PROFILE_OF_SOFTWARE[values.profile ?? ''];
  if (!profileId)
    throw new UsageError(
      `--profile accepte ${Object.keys(PROFILE_OF_SOFTWARE).join(', ')} (reçu « ${values.profile ?? ''} »)`,
    );
  const profile = PROFILES[profileId];
  if (values.modele) return writeModel(values.modele, profileId, io);

  if (!values.csv) throw new UsageError('indiquez le tableur avec --csv <fichier.csv|fichier.xlsx>');
  if (!/^\d{10}$/.test(values.ans ?? ''))
    throw new UsageError(
      `--ans attend le numéro ANS du logiciel, 10 chiffres (reçu « ${values.ans ?? ''} »)`,
    );
  if (!/^\d{14}$/.test(values.siret ?? ''))
    throw new UsageError(`--siret attend 14 chiffres (reçu « ${values.siret ?? ''} »)`);
  const day = values.date ?? parisDay(new Date());
  if (!/^\d{8}$/.test(day)) throw new UsageError(`--date attend AAAAMMJJ (reçu « ${day} »)`);
  const ans = values.ans as string;
  const siret = values.siret as string;
  const referentiel = values.referentiel ? await loadReferentiel(values.referentiel) : undefined;

  const sheet = await readSpreadsheet(values.csv);
  io.stdout.write(
    `Tableur ${values.csv} : ${sheet.description}, ${sheet.rows.length} ligne(s) après l'en-tête.\n`,
  );
  const { columns, problems: headerProblems } = matchHeader(profile, sheet.header);
  if (headerProblems.length > 0) return reportProblems(io, headerProblems);

  const formats = await readDocumentFormats(values.pieces, columns, sheet.rows);
  const { lines, problems } = buildLines(profile, columns, sheet.rows, formats);
  if (problems.length > 0) return reportProblems(io, problems);
  if (lines.length === 0)
    return reportProblems(io, [{ message: 'aucune demande : le tableur n’a que son en-tête' }]);

  await mkdir(values.out, { recursive: true });
  const first = await nextFileNumber(values.out, ans, day);
  const staging = await mkdtemp(join(values.out, '.generer-'));
  try {
    const files: Array<{ base: string; lines: BuiltLine[]; written: string[] }> = [];
    for (let start = 0, number = first; start < lines.length; start += LINES_PER_FILE, number++) {
      const chunk = lines.slice(start, start + LINES_PER_FILE);
      const base = `JSON-${ans}-${day}-${String(number).padStart(3, '0')}`;
      if (number > 999)
        throw new UsageError(`plus de 999 fichiers pour le ${day} : numéro ${number} impossible`);
      const json = depositJson(ans, siret, chunk);
      await writeFile(join(staging, `${base}.json`), json);
      const zips = await writeZips(staging, base, chunk, values.pieces, limits.maxZipBytes);
      files.push({ base, lines: chunk, written: [`${base}.json`, ...zips] });
    }
    let rejected = 0;
    for (const file of files) rejected += await checkGenerated(io, staging, file, referentiel, day);
    if (rejected > 0) {
      io.stderr.write(
        `segur-pipeline : ${rejected} demande(s) seraient rejetées : rien n'est écrit dans ${values.out}.\n`,
      );
      return 1;
    }
    for (const file of files)
      for (const name of file.written) await rename(join(staging, name), join(values.out, name));
    for (const warning of phoneWarnings(lines)) io.stdout.write(`attention : ${warning}\n`);
    io.stdout.write(
      `${lines.length} demande(s) en ${files.length} fichier(s), écrits dans ${values.out} : ${files.flatMap((file) => file.written).join(', ')} ; à déposer tels quels (segur-pipeline deposer) dans depot/${siret}/${profile.type}/.\n`,
    );
    return 0;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function reportProblems(io: CliIo, problems: readonly SheetProblem[]): number {
  const shown = problems.slice(0, 50);
  for (const problem of shown) {
    const where =
      problem.row === 1 ? 'en-tête du tableur' : problem.row ? `ligne ${problem.row} du tableur` : 'tableur';
    const column = problem.column && problem.row !== 1 ? `, colonne ${problem.column}` : '';
    // Cells and headers are the vendor's text: shown, never able to drive the terminal.
    io.stderr.write(`${where}${printable(`${column} : ${problem.message}`)}\n`);
  }
  if (problems.length > shown.length)
    io.stderr.write(`… et ${problems.length - shown.length} autre(s) problème(s).\n`);
  io.stderr.write('segur-pipeline : tableur à corriger, rien n’est écrit.\n');
  return problems.some((problem) => problem.row === 1) ? 2 : 1;
}

/** Each document's format from its own first bytes, read once per path under --pieces. */
async function readDocumentFormats(
  pieces: string,
  columns: ReturnType<typeof matchHeader>['columns'],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
): Promise<DocumentFormat> {
  const known = new Map<string, ReturnType<DocumentFormat>>();
  const documentColumns = columns.flatMap((column, index) =>
    column.spec.kind === 'document' ? [index] : [],
  );
  for (const row of rows)
    for (const index of documentColumns) {
      const source = String(row[index] ?? '').trim();
      if (source === '' || known.has(source)) continue;
      known.set(source, await formatOfFile(pieces, source));
    }
  return (source) => known.get(source) ?? { problem: `« ${source} » : document non lu` };
}

async function formatOfFile(pieces: string, source: string): Promise<ReturnType<DocumentFormat>> {
  const inside = await pieceInside(pieces, source);
  if (!inside.ok) return { problem: inside.reason };
  const path = inside.path;
  const info = await stat(path);
  if (info.size > 3 * 1024 * 1024)
    return { problem: `document « ${source} » : ${info.size} octets, au-delà des 3 Mo permis par pièce` };
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(1100);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = detectFormat(head.subarray(0, bytesRead)) as 'PDF' | 'PNG' | 'JPG' | undefined;
    return format
      ? { format }
      : { problem: `document « ${source} » : ni PDF, ni PNG, ni JPG d'après son contenu` };
  } finally {
    await handle.close();
  }
}

/** The files already generated or deposited for that day and ANS: the numbering continues after them. */
async function nextFileNumber(out: string, ans: string, day: string): Promise<number> {
  const pattern = new RegExp(`^JSON-${ans}-${day}-(\\d{3})\\.json$`);
  const numbers = (await readdir(out)).map((name) => Number(pattern.exec(name)?.[1] ?? 0));
  return Math.max(0, ...numbers) + 1;
}

function depositJson(ans: string, siret: string, lines: readonly BuiltLine[]): string {
  const body = lines.map((built, index) =>
    toJsonText({ ...built.line, numLigne: new RawNumber(String(index + 1)) }),
  );
  return `{\n  "impId": null,\n  "numeroAns": ${JSON.stringify(ans)},\n  "SIRET": ${JSON.stringify(siret)},\n  "lignesImport": [\n    ${body.join(',\n    ')}\n  ]\n}\n`;
}

/** The documents of a file under their nomenclature names, in `<base>.zip`, then `<base>-2.zip`… past the limit. */
async function writeZips(
  dir: string,
  base: string,
  lines: readonly BuiltLine[],
  pieces: string,
  maxZipBytes: number,
): Promise<string[]> {
  const names: string[] = [];
  let zip: ZipFile | undefined;
  let done: Promise<void> | undefined;
  let size = 0;
  const added = new Set<string>();
  const close = async () => {
    if (!zip) return;
    zip.end();
    await done;
    zip = undefined;
  };
  for (const document of lines.flatMap((line) => line.documents)) {
    if (added.has(document.nomFichier)) continue;
    added.add(document.nomFichier);
    // Checked when the formats were read; checked again, a link may have changed since.
    const inside = await pieceInside(pieces, document.source);
    if (!inside.ok) throw new UsageError(inside.reason);
    const source = inside.path;
    const bytes = (await stat(source)).size + ZIP_OVERHEAD_PER_ENTRY;
    if (zip && size + bytes + ZIP_END_RECORD > maxZipBytes) await close();
    if (!zip) {
      const name = names.length === 0 ? `${base}.zip` : `${base}-${names.length + 1}.zip`;
      names.push(name);
      zip = new ZipFile();
      done = pipeline(zip.outputStream, createWriteStream(join(dir, name)));
      size = 0;
    }
    // Stored, not deflated: PDFs and images are compressed already, and the size stays predictable.
    zip.addFile(source, document.nomFichier, { compress: false });
    size += bytes;
  }
  await close();
  return names;
}

/** `controler` on one generated file with its zips; its rejections told in the sheet's terms. */
async function checkGenerated(
  io: CliIo,
  dir: string,
  file: { base: string; lines: BuiltLine[]; written: string[] },
  referentiel: Awaited<ReturnType<typeof loadReferentiel>> | undefined,
  day: string,
): Promise<number> {
  const bytes = await readFile(join(dir, `${file.base}.json`));
  const parsed = parseJsonDocument(bytes, DEFAULT_LIMITS, bytes.length);
  const zips = await Promise.all(
    file.written.filter((name) => name.endsWith('.zip')).map((name) => LocalFileSource.open(join(dir, name))),
  );
  try {
    const zipCheck = await inspectZips(zips, depositFacts(parsed).declaredNames);
    const { verdict } = checkDeposit({
      parsed,
      options: { fileName: `${file.base}.json`, referentiel, attachments: zipCheck.checker, depositDay: day },
      report: { generatedAt: new Date().toISOString() },
    });
    const accepted = verdict.lines.filter((line) => line.accepted).length;
    const zipCount = zips.length;
    io.stdout.write(
      `${accepted === verdict.lines.length && verdict.status === 'processed' ? '✔' : '✘'} ${file.base}.json : ${verdict.lines.length} demande(s), ${accepted} acceptée(s), ${verdict.lines.length - accepted} rejetée(s) ; ${zipCount} .zip\n`,
    );
    for (const error of verdict.fileErrors)
      io.stderr.write(`${file.base}.json : [${error.code}] ${error.message}\n  → ${error.hint}\n`);
    for (const line of verdict.lines) {
      const built = file.lines[line.numLigne - 1];
      for (const error of line.errors) {
        const value = built ? valueAt(built.line, error.field) : undefined;
        io.stderr.write(
          `ligne ${built?.row} du tableur, colonne ${sheetColumn(error.field)} : [${error.code}] ${error.message.replace(/^Ligne \d+ : /, '')}\n` +
            `  → ${excelDamage(error.code, value) ?? error.hint}\n`,
        );
      }
    }
    return verdict.status === 'rejected'
      ? Math.max(1, verdict.lines.length)
      : verdict.lines.length - accepted;
  } finally {
    await Promise.all(zips.map((zip) => zip.close()));
  }
}

/**
 * Excel turns an identifier typed in a General cell into a number: « 00003 » becomes 3, an RPPS or
 * a FINESS loses its leading zeros. A value of digits shorter than required is named as such.
 */
function excelDamage(code: string, value: unknown): string | undefined {
  if ((code !== '2006' && code !== '2014') || typeof value !== 'string' || !/^\d+$/.test(value))
    return undefined;
  return `le tableur a sans doute lu « ${value} » comme un nombre et retiré ses zéros en tête : formatez la colonne en Texte, puis saisissez à nouveau les numéros avec leurs zéros.`;
}

/** A phone Excel read as a number: 9 digits, its leading 0 gone (612345678). Accepted, but said. */
function phoneWarnings(lines: readonly BuiltLine[]): string[] {
  const warnings: string[] = [];
  for (const built of lines)
    walkValues(built.line, '', (path, value) => {
      if (
        /(^|\.)telephone\w*$/.test(path.replace(/\[\d+\]/g, '')) &&
        typeof value === 'string' &&
        /^[1-9]\d{8}$/.test(value)
      )
        warnings.push(
          `ligne ${built.row} du tableur, colonne ${path} : « ${value} » a 9 chiffres, le 0 du début a sans doute été retiré par le tableur (formatez la colonne en Texte) ; accepté tel quel.`,
        );
    });
  return warnings;
}

function walkValues(value: unknown, path: string, visit: (path: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walkValues(item, `${path}[${index}]`, visit);
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawNumber))
    for (const [key, item] of Object.entries(value)) walkValues(item, path ? `${path}.${key}` : key, visit);
  else visit(path, value);
}

/** The value at a finding's field (`beneficiaires.liberal[0].RPPS`) in a built line. */
function valueAt(line: unknown, field: string): unknown {
  let node: unknown = line;
  for (const step of field.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}

/** The column a finding comes from: a document's name and format come from its `fichier` column. */
function sheetColumn(field: string): string {
  return (
    field.replace(/^(piecesJustificatives\[\d+\])\.(nomFichier|formatFichier)$/, '$1.fichier') ||
    '(ligne entière)'
  );
}

async function writeModel(path: string, profileId: ProfileId, io: CliIo): Promise<number> {
  const example = EXAMPLES[profileId].lignesImport[0] as Record<string, unknown>;
  const { header, row } = modelSheet(PROFILES[profileId], example);
  const cell = (value: string) => (/[;"\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  // `;` and a BOM: what French Excel opens as columns, accents intact.
  await writeFile(path, `\uFEFF${header.map(cell).join(';')}\r\n${row.map(cell).join(';')}\r\n`);
  const documents = header.flatMap((name, index) => (name.endsWith('.fichier') ? [row[index]] : []));
  io.stdout.write(
    `Modèle ${profileId} écrit dans ${basename(path)} : ${header.length} colonnes, une ligne d'exemple (la première demande de l'exemple de la documentation).\nDocuments attendus sous --pieces : ${documents.join(', ')}\n`,
  );
  return 0;
}
