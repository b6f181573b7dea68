import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeExcelFile from 'write-excel-file/node';
import { main } from '../../../local/cli';
import { runGenerate } from '../../../local/generate-command';
import { document, makeZip } from '../../support/zips';

/** `segur-pipeline generer`: a spreadsheet to deposits that `controler` accepts, and every bad input told. */
const PROFILES = [
  ['MDV-LGC', '3456789012', 'avance'],
  ['HOP-DPI', '1234567890', 'avance'],
  ['BIO-SGL', '4567890123', 'avance'],
  ['BIO-LOINC', '2345678901', 'solde'],
] as const;
const SIRET = '88558855858745';
const REFERENTIEL = join(__dirname, '../../../events/referentiel.json');
const DAY = '20261202';

async function run(args: string[], limits?: { maxZipBytes: number }) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    colour: false,
  };
  const code = limits ? await runGenerate(args, io, limits) : await main(args, io);
  return { code, stdout, stderr };
}

/** The `--modele` sheet of a profile, its documents written under `pieces/` (real PDF bytes). */
async function model(profile: string) {
  const dir = await mkdtemp(join(tmpdir(), 'segur-generer-'));
  const csv = join(dir, 'modele.csv');
  const made = await run(['generer', '--profile', profile, '--modele', csv]);
  expect(made.code).toBe(0);
  const [header = [], row = []] = (await readFile(csv, 'utf8'))
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(';'));
  await mkdir(join(dir, 'pieces'));
  header.forEach((name, index) => {
    if (name.endsWith('.fichier')) row[index] = `doc-${index}.pdf`;
  });
  for (const [index, name] of header.entries())
    if (name.endsWith('.fichier'))
      await writeFile(join(dir, 'pieces', row[index] as string), document('PDF', 2000));
  await writeFile(csv, `\uFEFF${header.join(';')}\r\n${row.join(';')}\r\n`);
  return { dir, csv, header, row };
}

const args = (dir: string, sheet: string, ans: string, profile: string) => [
  'generer',
  '--profile',
  profile,
  '--csv',
  sheet,
  '--ans',
  ans,
  '--siret',
  SIRET,
  '--pieces',
  join(dir, 'pieces'),
  '--date',
  DAY,
  '--out',
  join(dir, 'out'),
  '--referentiel',
  REFERENTIEL,
];

/** What `controler` says of a generated deposit with its zips: the proof that it passes. */
async function controler(dir: string, base: string) {
  const files = await readdir(join(dir, 'out'));
  const zips = files.filter((name) => name.startsWith(base) && name.endsWith('.zip'));
  return run([
    'controler',
    join(dir, 'out', `${base}.json`),
    ...zips.flatMap((zip) => ['--zip', join(dir, 'out', zip)]),
    '--referentiel',
    REFERENTIEL,
    '--format',
    'json',
  ]);
}

const csvText = (rows: string[][]) => rows.map((row) => row.join(';')).join('\r\n');

describe('segur-pipeline generer', () => {
  it.each(PROFILES)(
    'turns the %s model sheet (CSV) into a deposit controler accepts',
    async (profile, ans, type) => {
      const { dir, csv } = await model(profile);
      const result = await run(args(dir, csv, ans, profile));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `à déposer tels quels (segur-pipeline deposer) dans depot/${SIRET}/${type}/.`,
      );
      expect(result.stdout).toContain(`écrits dans ${join(dir, 'out')} : JSON-`);
      const base = `JSON-${ans}-${DAY}-001`;
      const check = await controler(dir, base);
      expect(check.code).toBe(0);
      const verdict = JSON.parse(check.stdout);
      expect(verdict.lines.map((line: { codeTraitement: string }) => line.codeTraitement)).toEqual(['0000']);
      // Every declared document is in the zip under its nomenclature name.
      expect(verdict.lines[0].notices).toEqual([]);
      const json = await readFile(join(dir, 'out', `${base}.json`), 'utf8');
      expect(json).toMatch(/"(montantSegurHT|montantSegurHTFacture)": \d+\.\d\d[ ,}]/);
      expect(json).toContain(`"nomFichier": "${profile}-Va1-`);
    },
  );

  it.each(PROFILES)(
    'reads the %s sheet from an .xlsx with typed cells (numbers, booleans, dates)',
    async (profile, ans) => {
      const { dir, header, row } = await model(profile);
      const typed = row.map((cell, index) => {
        const name = header[index] ?? '';
        if (/montant/i.test(name)) return Number(cell);
        if (cell === 'oui' || cell === 'non') return cell === 'oui';
        if (/^\d\d\/\d\d\/\d{4}$/.test(cell)) {
          const [day, month, year] = cell.split('/').map(Number);
          return {
            value: new Date(Date.UTC(year as number, (month as number) - 1, day)),
            format: 'dd/mm/yyyy',
          };
        }
        return cell === '' ? null : cell;
      });
      const xlsx = join(dir, 'demandes.xlsx');
      await writeExcelFile([header, typed] as never).toFile(xlsx);
      const result = await run(args(dir, xlsx, ans, profile));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('classeur .xlsx');
      expect((await controler(dir, `JSON-${ans}-${DAY}-001`)).code).toBe(0);
    },
  );

  it('reads a Windows-1252 CSV with « ; », no BOM and French amounts and booleans', async () => {
    const { dir, header, row } = await model('MDV-LGC');
    const french = row.map((cell, index) => {
      const name = header[index] ?? '';
      if (name === 'commande.montantSegurHT') return '1 075,00';
      if (name === 'beneficiaires.liberal[1].nomMedecin') return 'LEFÈVRE';
      if (cell === 'oui') return 'VRAI';
      if (cell === 'non') return 'faux';
      return cell;
    });
    const sheet = join(dir, 'export-excel.csv');
    await writeFile(sheet, Buffer.from(csvText([header, french]), 'latin1'));
    const result = await run(args(dir, sheet, '3456789012', 'MDV-LGC'));
    expect(result.stdout).toContain('CSV Windows-1252, séparateur « ; »');
    expect(result.code).toBe(0);
    const json = await readFile(join(dir, 'out', `JSON-3456789012-${DAY}-001.json`), 'utf8');
    expect(json).toContain('"montantSegurHT": 1075.00');
    expect(json).toContain('"nomMedecin": "LEFÈVRE"');
    expect(json).toContain('"isMandataire": true');
  });

  it('splits 450 rows into files of 200, 200 and 50 lines, numbered after the day’s existing files', async () => {
    const { dir, header, row } = await model('HOP-DPI');
    const editeur = header.indexOf('numeroEditeur');
    const rows = Array.from({ length: 450 }, (_, index) => {
      const copy = [...row];
      copy[editeur] = String(index + 1).padStart(5, '0');
      return copy;
    });
    const sheet = join(dir, 'demandes.csv');
    // A comma-separated UTF-8 export this time.
    await writeFile(sheet, [header, ...rows].map((cells) => cells.join(',')).join('\n'));
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out', `JSON-1234567890-${DAY}-001.json`), '{}');
    const result = await run(args(dir, sheet, '1234567890', 'HOP-DPI'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const counts = [];
    for (const number of ['002', '003', '004']) {
      const json = JSON.parse(
        await readFile(join(dir, 'out', `JSON-1234567890-${DAY}-${number}.json`), 'utf8'),
      );
      counts.push(json.lignesImport.length);
      expect(json.lignesImport.map((line: { numLigne: number }) => line.numLigne)).toEqual(
        Array.from({ length: json.lignesImport.length }, (_, index) => index + 1),
      );
    }
    expect(counts).toEqual([200, 200, 50]);
    expect(result.stdout).toContain('450 demande(s) en 3 fichier(s)');
  });

  it('starts a second zip before one would pass the limit', async () => {
    const { dir, csv, header, row } = await model('HOP-DPI');
    const editeur = header.indexOf('numeroEditeur');
    const rows = ['00001', '00002', '00003'].map((number) => {
      const copy = [...row];
      copy[editeur] = number;
      return copy;
    });
    await writeFile(csv, csvText([header, ...rows]));
    // Each document is 2,000 bytes: a limit of 9,000 holds 4 of them, the 6 need two zips.
    const result = await run(args(dir, csv, '1234567890', 'HOP-DPI').slice(1), { maxZipBytes: 9000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = (await readdir(join(dir, 'out'))).sort();
    expect(files).toEqual([
      `JSON-1234567890-${DAY}-001-2.zip`,
      `JSON-1234567890-${DAY}-001.json`,
      `JSON-1234567890-${DAY}-001.zip`,
    ]);
    for (const zip of files.filter((name) => name.endsWith('.zip')))
      expect((await readFile(join(dir, 'out', zip))).length).toBeLessThanOrEqual(9000);
    expect((await controler(dir, `JSON-1234567890-${DAY}-001`)).code).toBe(0);
  });

  it('names the sheet’s row and column of a line that would be rejected, and writes nothing', async () => {
    const { dir, csv, header, row } = await model('MDV-LGC');
    const second = [...row];
    second[header.indexOf('numeroEditeur')] = '00002';
    second[header.indexOf('beneficiaires.liberal[0].RPPS')] = '888888888888888';
    await writeFile(csv, csvText([header, row, second]));
    const result = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'ligne 3 du tableur, colonne beneficiaires.liberal[0].RPPS : [2006] beneficiaires.liberal[0].RPPS doit compter exactement 11 caractères',
    );
    expect(result.stderr).toContain("rien n'est écrit");
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('names what Excel damaged: identifiers without their leading zeros, a phone without its 0; prints the hints', async () => {
    const { dir, header, row } = await model('MDV-LGC');
    // An .xlsx whose General cells hold numbers: « 00007 » typed became 7, « 0612345678 » 612345678.
    const typed = row.map((cell, index) => {
      const name = header[index] ?? '';
      if (name === 'numeroEditeur') return 7;
      if (/telephone/i.test(name) && cell !== '') return 612345678;
      if (/montant/i.test(name)) return Number(cell);
      if (cell === 'oui' || cell === 'non') return cell === 'oui';
      return cell === '' ? null : cell;
    });
    const xlsx = join(dir, 'excel.xlsx');
    await writeExcelFile([header, typed] as never).toFile(xlsx);
    const result = await run(args(dir, xlsx, '3456789012', 'MDV-LGC'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'colonne numeroEditeur : [2006] numeroEditeur doit compter exactement 5 caractères (reçu « 7 »',
    );
    expect(result.stderr).toContain(
      '→ le tableur a sans doute lu « 7 » comme un nombre et retiré ses zéros en tête : formatez la colonne en Texte',
    );

    // The same with the identifier as text: accepted, and the phone said to have lost its 0.
    const fixed = typed.map((value, index) => (header[index] === 'numeroEditeur' ? '00007' : value));
    await writeExcelFile([header, fixed] as never).toFile(xlsx);
    const accepted = await run(args(dir, xlsx, '3456789012', 'MDV-LGC'));
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(
      /attention : ligne 2 du tableur, colonne \S*telephone\w* : « 612345678 » a 9 chiffres, le 0 du début a sans doute été retiré/,
    );
  });

  it('takes a formatFichier column that matches the documents, and names the cell of one that does not', async () => {
    const { dir, csv, header, row } = await model('MDV-LGC');
    const documents = header.flatMap((name, index) => (name.endsWith('.fichier') ? [index] : []));
    const withFormat = [
      ...header,
      ...documents.map((index) => (header[index] as string).replace('.fichier', '.formatFichier')),
    ];
    await writeFile(csv, csvText([withFormat, [...row, ...documents.map(() => 'PDF')]]));
    const taken = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(taken.stderr).toBe('');
    expect(taken.code).toBe(0);
    await writeFile(csv, csvText([withFormat, [...row, ...documents.map(() => 'PNG')]]));
    const wrong = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      'ligne 2 du tableur, colonne piecesJustificatives[0].formatFichier : formatFichier « PNG » ne correspond pas au document « doc-',
    );
    // A cell's control characters are shown, never sent to the terminal.
    await writeFile(csv, csvText([withFormat, [...row, ...documents.map(() => 'P\u001b[31mNG')]]));
    const hostile = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toContain('formatFichier « P\\u001b[31mNG »');
    expect(hostile.stderr).not.toContain('\u001b');
  });

  it.each([
    [
      'an unknown column, with the closest known name',
      (header: string[]) =>
        header.map((name) => (name === 'commande.montantSegurHT' ? 'commande.montantSegurTH' : name)),
      'colonne 4 « commande.montantSegurTH » inconnue pour le profil MDV-LGC-avance : vouliez-vous dire commande.montantSegurHT ?',
    ],
    [
      'a missing mandatory column',
      (header: string[]) => header.map((name) => (name === 'commande.dateCommande' ? '' : name)),
      'colonne obligatoire absente : commande.dateCommande',
    ],
    [
      'a column the generator fills',
      (header: string[]) =>
        header.map((name) => (name === 'beneficiaires.nomMandataire' ? 'numLigne' : name)),
      'ce champ est rempli par generer',
    ],
  ])('refuses %s (exit 2)', async (_what, change, message) => {
    const { dir, csv, header, row } = await model('MDV-LGC');
    await writeFile(csv, csvText([change(header), row]));
    const result = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the cell of an unreadable amount and a document not found under --pieces', async () => {
    const { dir, csv, header, row } = await model('MDV-LGC');
    const bad = [...row];
    bad[header.indexOf('commande.montantSegurHT')] = 'mille';
    bad[header.indexOf('piecesJustificatives[0].fichier')] = 'absent.pdf';
    await writeFile(csv, csvText([header, bad]));
    const result = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "ligne 2 du tableur, colonne commande.montantSegurHT : « mille » n'est pas un montant",
    );
    expect(result.stderr).toContain(
      'ligne 2 du tableur, colonne piecesJustificatives[0].fichier : document « absent.pdf » introuvable sous --pieces',
    );
  });

  it.each([
    ['absent.csv', 'tableur « absent.csv » : introuvable'],
    ['binary', 'ni CSV ni .xlsx'],
  ])('refuses an unreadable sheet (%s) in one French line', async (kind, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'segur-generer-'));
    const path = kind === 'binary' ? join(dir, 'x.csv') : 'absent.csv';
    if (kind === 'binary') await writeFile(path, Buffer.from([0, 1, 2, 3, 0, 0xff]));
    const result = await run([
      'generer',
      '--profile',
      'MDV-LGC',
      '--csv',
      path,
      '--ans',
      '3456789012',
      '--siret',
      SIRET,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['../dehors/secret.pdf', 'remonte hors du dossier --pieces (..)'],
    ['/etc/hostname', 'est un chemin absolu'],
    ['lien.pdf', 'est un lien qui mène hors du dossier --pieces'],
  ])('takes documents only inside --pieces: « %s » is refused, nothing written', async (source, reason) => {
    const { dir, csv, header, row } = await model('MDV-LGC');
    await mkdir(join(dir, 'dehors'));
    await writeFile(join(dir, 'dehors', 'secret.pdf'), document('PDF', 2000));
    await symlink(join(dir, 'dehors', 'secret.pdf'), join(dir, 'pieces', 'lien.pdf'));
    const bad = [...row];
    bad[header.indexOf('piecesJustificatives[0].fichier')] = source;
    await writeFile(csv, csvText([header, bad]));
    const result = await run(args(dir, csv, '3456789012', 'MDV-LGC'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `ligne 2 du tableur, colonne piecesJustificatives[0].fichier : « ${source} » ${reason}`,
    );
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);
  });

  it('refuses an .xlsx whose sheet would inflate far beyond any real one, before parsing it, in French', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'segur-generer-'));
    const bomb = join(dir, 'bombe.xlsx');
    // A real .xlsx's parts, one of them 200 MB of one repeated byte (a few hundred KB compressed).
    await writeFile(
      bomb,
      await makeZip([
        { name: '[Content_Types].xml', content: Buffer.from('<Types/>') },
        { name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(200 * 1024 * 1024, 0x20) },
      ]),
    );
    const before = process.memoryUsage().rss;
    const result = await run([
      'generer',
      '--profile',
      'MDV-LGC',
      '--csv',
      bomb,
      '--ans',
      '3456789012',
      '--siret',
      SIRET,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tableur « .*bombe\.xlsx » : classeur de 200 Mio une fois décompressé/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    // Nothing was inflated: the process did not grow by the sheet's size.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });
});
