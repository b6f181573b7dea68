import { BufferSource } from '../../../shared/adapters/byte-range-source';
import { ZipArchive } from '../../../shared/adapters/zip/zip-archive';
import { annotate } from '../../../shared/domain/annotate';
import { CATALOG, type Code, type ParamsOf, renderTemplate } from '../../../shared/domain/catalog';
import { draftOf } from '../../../shared/domain/findings';
import { renderFinding } from '../../../shared/domain/render-finding';
import { inspectZips } from '../../../shared/pipeline/inspect-zips';
import { judgeSampleLine, judgeText, remove, sampleName, sampleText, set } from '../../support/deposits';
import { document, makeZip, renameEntry } from '../../support/zips';

/**
 * What the documents allow, or vendors' tools write, beyond a literal reading (docs/decisions.md): each reading
 * accepted (with its warning where there is one), next to a neighbour that stays refused.
 */
const line = (...path: Array<string | number>) => ['lignesImport', 0, ...path];
const codes = (findings: ReadonlyArray<{ code: string }>) => findings.map((finding) => finding.code);

describe('MDV operateurMessagerie « Facultatif »', () => {
  it('accepts the tag absent', () => {
    expect(
      judgeSampleLine('MDV-LGC-avance', [remove(line('scenarioInstallation', 'operateurMessagerie'))])
        .accepted,
    ).toBe(true);
  });
  it('still refuses a code that is not in the list', () => {
    const verdict = judgeSampleLine('MDV-LGC-avance', [
      set(line('scenarioInstallation', 'operateurMessagerie'), '"XYZ_99"'),
    ]);
    expect(verdict.codeTraitement).toBe('2040');
  });
});

describe('a UTF-8 byte order mark', () => {
  const text = `\uFEFF${sampleText('MDV-LGC-avance')}`;
  it('is accepted with a warning, and kept by the annotated file', () => {
    const { verdict, doc } = judgeText(text, { fileName: sampleName('MDV-LGC-avance') });
    expect(verdict.status).toBe('processed');
    expect(codes(verdict.fileWarnings)).toContain('8006');
    expect(verdict.lines.every((verdictLine) => verdictLine.accepted)).toBe(true);
    const annotated = annotate(doc as NonNullable<typeof doc>, verdict);
    expect(annotated.startsWith('\uFEFF{')).toBe(true);
    expect(Buffer.from(annotated).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
  it('still refuses a mark in the middle of the file', () => {
    const middle = sampleText('MDV-LGC-avance').replace('"impId"', '\uFEFF"impId"');
    expect(judgeText(middle, { fileName: sampleName('MDV-LGC-avance') }).verdict.fileErrors[0]?.code).toBe(
      '1005',
    );
  });
});

describe('HOP-DPI PFI block « false ou null »', () => {
  it.each(['isCRBIOAssociated', 'isEnvoiDMP', 'operateurMessagerie'])('accepts %s null', (key) => {
    expect(
      judgeSampleLine('HOP-DPI-avance', [set(line('scenarioInstallation', 'PFI', key), 'null')]).accepted,
    ).toBe(true);
  });
  it('accepts operateurMessagerie false', () => {
    expect(
      judgeSampleLine('HOP-DPI-avance', [
        set(line('scenarioInstallation', 'PFI', 'operateurMessagerie'), 'false'),
      ]).accepted,
    ).toBe(true);
  });
  it('still refuses a PFI value true (2026)', () => {
    const verdict = judgeSampleLine('HOP-DPI-avance', [
      set(line('scenarioInstallation', 'PFI', 'isEnvoiMSSPro'), 'true'),
    ]);
    expect([verdict.codeTraitement, verdict.field]).toEqual([
      '2026',
      'scenarioInstallation.PFI.isEnvoiMSSPro',
    ]);
  });
});

describe('MDV LIBERAL order: the structure block', () => {
  const structure = line('beneficiaires', 'structure');
  it('accepts {} without a warning', () => {
    const verdict = judgeSampleLine('MDV-LGC-avance', []);
    expect(verdict.accepted).toBe(true);
    expect(codes(verdict.warnings)).not.toContain('8007');
  });
  it.each([
    ['absent', [remove(structure)]],
    ['null', [set(structure, 'null')]],
    [
      'the STRUCTURE template left empty',
      [
        set(
          structure,
          '{ "FINESSJuridique": null, "nomResponsable": null, "emailResponsable": null, "telephoneResponsable": null, "FINESSGeo": [] }',
        ),
      ],
    ],
  ])('accepts it %s, with a warning (8007)', (_form, mutations) => {
    const verdict = judgeSampleLine('MDV-LGC-avance', mutations);
    expect(verdict.accepted).toBe(true);
    expect(codes(verdict.warnings)).toContain('8007');
  });
  it('still refuses a filled FINESSJuridique (2022)', () => {
    const verdict = judgeSampleLine('MDV-LGC-avance', [
      set(structure, '{ "FINESSJuridique": "999999999", "FINESSGeo": [] }'),
    ]);
    expect(verdict.codeTraitement).toBe('2022');
  });
});

describe('HOP EtablissementsClients « rattachés à un même FINESS PMSI »', () => {
  const clients = line('beneficiaires', 'EtablissementsClients');
  const row = (name: string, pmsi = '999999999') =>
    `{ "nomClient": "${name}", "emailClient": "a@b.fr", "telephoneClient": "0102030405", "FINESSPMSI": "${pmsi}" }`;
  it('accepts two establishments sharing one FINESS PMSI (beside a third: isClientUnique false)', () => {
    const rows = `[${row('HOPITAL NORD')}, ${row('HOPITAL SUD')}, ${row('CLINIQUE EST', '777777777')}]`;
    expect(judgeSampleLine('HOP-DPI-avance', [set(clients, rows)]).accepted).toBe(true);
  });
  it('still refuses a row repeated identically (2024)', () => {
    const rows = `[${row('HOPITAL NORD')}, ${row('HOPITAL NORD')}, ${row('CLINIQUE EST', '777777777')}]`;
    const verdict = judgeSampleLine('HOP-DPI-avance', [set(clients, rows)]);
    expect([verdict.codeTraitement, verdict.field]).toEqual([
      '2024',
      'beneficiaires.EtablissementsClients[1].FINESSPMSI',
    ]);
  });
});

describe('BIO-LOINC transcoded catalogues', () => {
  const third = line('piecesJustificatives', 2);
  const piece = (name: string, type: string) =>
    `{ "nomFichier": "${name}", "formatFichier": "PDF", "typeFichier": "${type}" }`;
  it.each([
    ['CT', 'BIO-LOINC-Va1-CTX-00001.pdf'],
    ['CT', 'BIO-LOINC-Va1-CT1-00001.pdf'],
    ['CTX', 'BIO-LOINC-Va1-CTX-00001.pdf'],
    ['CTX', 'BIO-LOINC-Va1-CT2-00001.pdf'],
    ['CT2', 'BIO-LOINC-Va1-CT2-00001.pdf'],
  ])('accepts type %s named %s', (type, name) => {
    expect(judgeSampleLine('BIO-LOINC-solde', [set(third, piece(name, type))]).accepted).toBe(true);
  });
  it('still refuses the type CTY (2005)', () => {
    const verdict = judgeSampleLine('BIO-LOINC-solde', [
      set(third, piece('BIO-LOINC-Va1-CTY-00001.pdf', 'CTY')),
    ]);
    expect([verdict.codeTraitement, verdict.field]).toEqual(['2005', 'piecesJustificatives[2].typeFichier']);
  });
  it('still refuses a name whose code disagrees with its numbered type (2055)', () => {
    const verdict = judgeSampleLine('BIO-LOINC-solde', [
      set(third, piece('BIO-LOINC-Va1-CT1-00001.pdf', 'CT2')),
    ]);
    expect(verdict.codeTraitement).toBe('2055');
  });
});

describe('zips written by Windows tools', () => {
  const NAME = 'MDV-LGC-Va1-BDC-00001.pdf';
  async function entryNamed(raw: string) {
    const zip = renameEntry(
      await makeZip([{ name: `xx/${NAME}`, content: document('PDF') }]),
      `xx/${NAME}`,
      Buffer.from(raw),
    );
    const archive = await ZipArchive.open(new BufferSource('pieces.zip', zip));
    return archive.listing.entries[0];
  }
  it('reads « \\ » as a separator: the document is found', async () => {
    const entry = await entryNamed(`xx\\${NAME}`);
    expect(entry).toMatchObject({ path: `xx/${NAME}`, baseName: NAME, unsafePath: undefined });
  });
  it.each([`..\\${NAME}`.padStart(3 + NAME.length, '.'), `C:\\${NAME}`])(
    'still refuses %s (3008)',
    async (raw) => {
      const zip = renameEntry(
        await makeZip([{ name: 'x'.repeat(raw.length - NAME.length) + NAME, content: document('PDF') }]),
        'x'.repeat(raw.length - NAME.length) + NAME,
        Buffer.from(raw),
      );
      const source = new BufferSource('pieces.zip', zip);
      const { checker } = await inspectZips([source], new Set([NAME]));
      expect(codes(checker.checkDeclared(NAME, 'PDF'))).toEqual(['3008']);
    },
  );
});

describe('a PDF whose %PDF comes after a few bytes', () => {
  const NAME = 'MDV-LGC-Va1-BDC-00001.pdf';
  async function check(prefix: number) {
    const content = Buffer.concat([Buffer.alloc(prefix, 0x20), document('PDF', 4000)]);
    const source = new BufferSource('pieces.zip', await makeZip([{ name: NAME, content }]));
    const { checker } = await inspectZips([source], new Set([NAME]));
    return codes(checker.checkDeclared(NAME, 'PDF'));
  }
  it('accepts up to 1,024 bytes before the header', async () => {
    expect(await check(1024)).toEqual([]);
  });
  it('still refuses 1,100 bytes before it (3004)', async () => {
    expect(await check(1100)).toEqual(['3004']);
  });
});

describe('labels the vendor reads', () => {
  const sample: Record<string, string | number> = new Proxy(
    {},
    { get: (_target, name) => `valeur-${String(name)}` },
  );
  it.each(Object.keys(CATALOG) as Code[])(
    'code %s renders without double spaces or doubled quotes',
    (code) => {
      const entry = CATALOG[code];
      const message = renderTemplate(entry?.message ?? '', 'champ', { ...sample, raison: ' car x vaut y' });
      expect(message).not.toMatch(/ {2}/);
      expect(message).not.toMatch(/« "|" »/);
      const rendered = renderFinding({
        ...draftOf(code, 'champ', { raison: ' car x vaut y' } as ParamsOf<typeof code>),
        severity: 'error',
      });
      if (code.startsWith('1')) expect(rendered.message.charAt(0)).toMatch(/[A-ZÀ-Ý]/);
    },
  );
  it('quotes a received string one way: « 0000 », not « "0000" »', () => {
    const verdict = judgeSampleLine('MDV-LGC-avance', [set(line('numeroASP'), '"FINMDV000001"')]);
    expect(verdict.libelleTraitement).toContain('« FINMDV000001 »');
    expect(verdict.libelleTraitement).not.toMatch(/ {2}/);
  });
  it('says a format written in lower case is a matter of spelling (2027), not of content', () => {
    const verdict = judgeSampleLine('MDV-LGC-avance', [
      set(line('piecesJustificatives', 0, 'formatFichier'), '"pdf"'),
    ]);
    expect(verdict.codeTraitement).toBe('2027');
    expect(verdict.libelleTraitement).toContain('s’écrit « PDF »');
  });
});
