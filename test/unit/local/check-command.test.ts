import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parisDay } from '../../../shared/domain/paris-day';
import { runCli } from '../../support/cli';
import { mutate, ROOT, SAMPLES, sampleText, set } from '../../support/deposits';

/** The `check` command as a vendor runs it: exit codes, both output formats, --out, --stats. */
const run = runCli;

const sample = (profile: keyof typeof SAMPLES) => join(ROOT, SAMPLES[profile]);
const referentiel = join(ROOT, 'events/referentiel.json');

async function tempFile(name: string, content: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'segur-check-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('segur-pipeline check', () => {
  it.each(Object.keys(SAMPLES) as Array<keyof typeof SAMPLES>)(
    'accepts the %s sample with the référentiel (exit 0)',
    async (profile) => {
      const result = await run(['check', sample(profile), '--referentiel', referentiel]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Demande acceptée');
    },
  );

  it('prints one JSON document in the contract’s shape, with --stats', async () => {
    const result = await run([
      'check',
      sample('HOP-DPI-avance'),
      '--format',
      'json',
      '--stats',
      '--referentiel',
      referentiel,
    ]);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      file: 'JSON-1234567890-20220315-001.json',
      profile: 'HOP-DPI-avance',
      status: 'processed',
      fileErrors: [],
      lines: [
        {
          numLigne: 1,
          numeroEditeur: '00001',
          accepted: true,
          codeTraitement: '0000',
          libelleTraitement: 'Demande acceptée',
          field: null,
          errors: [],
          warnings: [],
        },
      ],
      stats: { zipBytesRead: 0, zipBytesTotal: 0 },
    });
    expect(typeof document.stats.elapsedMs).toBe('number');
  });

  it('exits 1 with every error of a rejected line, and the first one as its verdict', async () => {
    const text = mutate(sampleText('MDV-LGC-avance'), [
      set(['lignesImport', 1, 'commande', 'dateCommande'], '"2022-11-04"'),
      set(['lignesImport', 1, 'beneficiaires', 'structure', 'nomResponsable'], '"Durand"'),
    ]);
    const path = await tempFile('JSON-3456789012-20221104-001.json', text);
    const result = await run(['check', path, '--format', 'json']);
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stdout).lines[1];
    expect(line).toMatchObject({ accepted: false, codeTraitement: '2009', field: 'commande.dateCommande' });
    expect(line.errors.map((error: { field: string }) => error.field)).toEqual([
      'commande.dateCommande',
      'beneficiaires.structure.nomResponsable',
    ]);
  });

  it('exits 1 on a file rejected by control 1, with no lines', async () => {
    const path = await tempFile('JSON-3456789012-20221104-001.json', '{"impId": null,');
    const result = await run(['check', path, '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'rejected',
      lines: [],
      fileErrors: [{ code: '1005' }],
    });
  });

  it('writes the annotated file and both reports with --out', async () => {
    const out = await mkdtemp(join(tmpdir(), 'segur-out-'));
    const result = await run(['check', sample('BIO-SGL-avance'), '--out', out]);
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'JSON-4567890123-20211025-001.json',
      'JSON-4567890123-20211025-001.rapport.html',
      'JSON-4567890123-20211025-001.rapport.json',
    ]);
    const annotated = JSON.parse(await readFile(join(out, 'JSON-4567890123-20211025-001.json'), 'utf8'));
    expect(annotated.lignesImport[0].codeTraitement).toBe('0000');
    const html = await readFile(join(out, 'JSON-4567890123-20211025-001.rapport.html'), 'utf8');
    expect(html).toContain('<html lang="fr">');
  });

  it.each([
    [['check'], 'indiquez un et un seul fichier JSON'],
    [['check', 'a.json', 'b.json'], 'indiquez un et un seul fichier JSON'],
    [['check', 'absent.json'], 'fichier « absent.json » : introuvable'],
    [['check', ROOT], "c'est un dossier"],
    [['check', 'x.json', '--format', 'xml'], '--format accepte text ou json'],
    [['check', 'x.json', '--type', 'acompte'], '--type accepte avance ou solde'],
    [['check', 'x.json', '--profile', 'RAD-RIS'], '--profile accepte MDV-LGC, HOP-DPI, BIO-SGL, BIO-LOINC'],
    [
      ['check', 'x.json', '--profile', 'BIO-LOINC', '--type', 'avance'],
      'le profil BIO-LOINC se dépose en demande de solde',
    ],
    [['check', 'x.json', '--bogus'], 'option inconnue --bogus pour controler'],
    [
      ['controler', 'x.json', '--otu', 'o'],
      'option inconnue --otu pour controler : vouliez-vous dire --out ?',
    ],
    [['controler', 'x.json', '--out'], "l'option --out attend une valeur"],
    [['controler', 'x.json', '--stats=oui'], "l'option --stats ne prend pas de valeur"],
    [['demarrer', 'dossier'], 'argument inattendu « dossier » : demarrer n’en prend pas'.replace('’', "'")],
    [['traiter', 'events/drop', '--timeout', 'abc'], '--timeout attend un nombre de secondes positif'],
    [['marquer-avance', 'FINBIO000006', 'VERSEE'], 'statut « VERSEE » inconnu'],
    [['verify'], 'commande inconnue « verify »'],
  ])('%j exits 2 with one clear line', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('refuses --out on the deposit’s own folder: the vendor’s file is never overwritten', async () => {
    const path = await tempFile('JSON-4567890123-20211025-001.json', sampleText('BIO-SGL-avance'));
    const before = await readFile(path, 'utf8');
    const folder = join(path, '..');
    for (const out of [folder, `${folder}/.`, join(folder, '..', folder.split('/').pop() as string)]) {
      const result = await run(['controler', path, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('est le dossier du dépôt : le fichier annoté y remplacerait');
      expect(await readFile(path, 'utf8')).toBe(before);
    }
    expect(await readdir(folder)).toEqual(['JSON-4567890123-20211025-001.json']);
  });

  it('says in words which findings are errors and which are warnings, each position once', async () => {
    // Line 1: a 15-digit RPPS (an error); the file name's date is not today (a warning).
    const text = mutate(sampleText('MDV-LGC-avance'), [
      set(['lignesImport', 0, 'beneficiaires', 'liberal', 0, 'RPPS'], '"888888888888888"'),
    ]);
    const result = await run(['controler', await tempFile('JSON-3456789012-20221104-001.json', text)]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      '2 demande(s) : 1 acceptée(s), 1 rejetée(s) ; 1 avertissement(s) (sans effet sur le verdict)',
    );
    expect(lines).toContain('✘ Ligne 1 (n° éditeur 00001) : rejetée, code 2006');
    const rpps = lines.find((line) => line.includes('erreur 2006 : '));
    // The request is « Ligne 1 » in the heading; inside, the place in the text says « texte du fichier ».
    expect(rpps).toMatch(
      /^ {4}erreur 2006 : beneficiaires\.liberal\[0\]\.RPPS doit compter exactement 11 caractères .* \(texte du fichier, l\. \d+, col\. \d+\)$/,
    );
    expect(rpps).not.toContain('Ligne 1 :');
    expect(lines.find((line) => line.includes('8009'))).toMatch(
      /^ {2}avertissement 8009 : La date du nom de fichier/,
    );
    // Attachments declared but no zip given: said plainly, with what to do.
    expect(result.stdout).toContain(
      'Pièces justificatives NON VÉRIFIÉES : 3 pièce(s) déclarée(s), aucun .zip fourni. Ajoutez --zip <fichier.zip>',
    );
  });

  it('prints a control-1 rejection in text with its position said once', async () => {
    const path = await tempFile('JSON-3456789012-20221104-001.json', '{"impId": null,\n "numeroAns": }');
    const result = await run(['controler', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'Fichier rejeté au contrôle 1 (structure du fichier) : aucune demande examinée.',
    );
    const error = result.stdout.split('\n').find((line) => line.includes('erreur 1005 : '));
    expect(error).toMatch(
      /^ {2}erreur 1005 : Le fichier n'est pas un JSON valide : .*\(ligne 2, colonne \d+\)$/,
    );
    expect(error?.match(/ligne 2/g)).toHaveLength(1);
    expect(result.stdout).not.toContain('NON VÉRIFIÉES');
  });

  it('exits 2 on an invalid référentiel, naming the problem', async () => {
    const path = await tempFile(
      'referentiel.json',
      JSON.stringify({ referencements: [{ numeroAns: '1', siret: 'x', couloir: 'MDV', logiciel: 'LGC' }] }),
    );
    const result = await run(['check', sample('MDV-LGC-avance'), '--referentiel', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /référentiel « .* » invalide, 2 erreur\(s\) :\n {2}- .*numeroAns.*\n {2}- .*siret/,
    );
  });

  it('runs as the package bin in a real process, without a stack trace on errors', async () => {
    const bin = join(ROOT, 'bin/segur-pipeline.js');
    const ok = await promisify(execFile)('node', [
      bin,
      'check',
      sample('MDV-LGC-avance'),
      '--format',
      'json',
    ]);
    expect(JSON.parse(ok.stdout).status).toBe('processed');
    const failure = await promisify(execFile)('node', [bin, 'check', 'absent.json']).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toBe('segur-pipeline : fichier « absent.json » : introuvable\n');
  });
});

describe('segur-pipeline controler --schema', () => {
  it('prints the profile’s JSON Schema, which validates the sample and refuses a line without typeAction', async () => {
    const { default: Ajv2020 } = await import('ajv/dist/2020');
    const printed = await run(['controler', '--schema', 'HOP-DPI']);
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.stdout);
    expect(schema.$id).toBe('urn:segur-numerique:depot:HOP-DPI-avance:1');
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(JSON.parse(sampleText('HOP-DPI-avance')))).toBe(true);
    const broken = JSON.parse(sampleText('HOP-DPI-avance'));
    delete broken.lignesImport[0].typeAction;
    expect(validate(broken)).toBe(false);
  });

  it.each([
    [['controler', '--schema', 'RAD-RIS'], '--schema accepte MDV-LGC, HOP-DPI, BIO-SGL, BIO-LOINC'],
    [['controler', 'x.json', '--schema', 'HOP-DPI'], '--schema s’emploie seul'],
  ])('refuses %j in French', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('controler’s text, read by a vendor', () => {
  it('says nothing of warnings when there are none, and places a file-name error nowhere in the text', async () => {
    // Named for today (Paris time), as a deposit is: no warning on its date either.
    const today = await tempFile(
      `JSON-1234567890-${parisDay(new Date())}-001.json`,
      sampleText('HOP-DPI-avance'),
    );
    const clean = await run(['controler', today]);
    expect(clean.stdout).toMatch(/demande\(s\) : \d+ acceptée\(s\), \d+ rejetée\(s\)\n/);
    expect(clean.stdout).not.toContain('0 avertissement(s)');
    const renamed = await tempFile('JSON-123-20221104-001.json', sampleText('HOP-DPI-avance'));
    const misnamed = await run(['controler', renamed]);
    expect(misnamed.code).toBe(1);
    expect(misnamed.stdout).toContain('erreur 1031');
    expect(misnamed.stdout).not.toContain('texte du fichier, l. 1, col. 1');
  });
});
