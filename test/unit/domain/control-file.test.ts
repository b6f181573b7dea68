import { judgeFile } from '../../../shared/domain/judge-file';
import {
  judgeText,
  mutate,
  remove,
  repeatFirstLine,
  sampleName,
  sampleReferentiel,
  sampleText,
  set,
} from '../../support/deposits';

/** Control 1: whatever is wrong with the file as a whole rejects it, with a clear French message. */
const MDV = 'MDV-LGC-avance' as const;
const fileName = sampleName(MDV);
const bytes = (text: string) => new TextEncoder().encode(text);

function fileErrors(input: string | Uint8Array, name = fileName, options = {}) {
  const { verdict } = judgeFile(typeof input === 'string' ? bytes(input) : input, {
    fileName: name,
    ...options,
  });
  expect(verdict.status).toBe('rejected');
  expect(verdict.lines).toEqual([]);
  for (const error of verdict.fileErrors) expect(error.message).not.toMatch(/\{\w+\}/);
  return verdict.fileErrors;
}

const codes = (input: string | Uint8Array, name?: string, options = {}) =>
  fileErrors(input, name, options).map((error) => error.code);

describe('control 1 on hostile input', () => {
  it('rejects an empty file and a file of blanks', () => {
    expect(codes('')).toEqual(['1001']);
    expect(codes(' \n\t ')).toEqual(['1001']);
  });

  it('accepts a UTF-8 BOM with a warning that says how to save the file', () => {
    const { verdict } = judgeText(`\uFEFF${sampleText(MDV)}`, { fileName });
    expect(verdict.status).toBe('processed');
    expect(verdict.fileWarnings[0]?.code).toBe('8006');
    expect(verdict.fileWarnings[0]?.hint).toContain('UTF-8 sans BOM');
  });

  it('rejects bytes that are not UTF-8 (Latin-1 accents) with the offset of the first bad byte', () => {
    const latin1 = Buffer.from('{"impId": null, "nom": "H\xd4PITAL"}', 'latin1');
    const [error] = fileErrors(latin1);
    expect(error?.code).toBe('1002');
    expect(error?.message).toContain('position 25');
  });

  it('rejects text that is not JSON, with the line and column of the fault', () => {
    const broken = sampleText(MDV).replace('"typeAction": "C",', '"typeAction": "C"');
    const [error] = fileErrors(broken);
    expect(error?.code).toBe('1005');
    expect(error?.message).toMatch(/« , » attendue \(ligne 9, colonne 7\)/);
    expect(error?.position).toEqual({ line: 9, column: 7 });
  });

  it('rejects comments and trailing commas, which JSON does not have', () => {
    expect(codes('{ "impId": null, // commentaire\n }')).toEqual(['1005']);
    expect(codes('{ "impId": null, }')).toEqual(['1005']);
  });

  it('rejects a 50 MB file before parsing it', () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x20);
    big[0] = 0x7b;
    expect(codes(big)).toEqual(['1004']);
  });

  it('rejects 10,000 levels of nesting without overflowing the stack', () => {
    expect(codes(`${'['.repeat(10000)}${']'.repeat(10000)}`)).toEqual(['1006']);
    expect(codes(`{"impId": ${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}`)).toEqual(['1006']);
  });

  it('does not count brackets inside strings as nesting', () => {
    const text = mutate(sampleText(MDV), [
      set(['lignesImport', 0, 'beneficiaires', 'nomMandataire'], `"${'['.repeat(40)}"`),
    ]);
    expect(judgeText(text, { fileName }).verdict.status).toBe('processed');
  });

  it('rejects a duplicate key anywhere, naming its path', () => {
    const duplicated = sampleText(MDV).replace(
      '"regimeTVA": "HT",',
      '"regimeTVA": "HT", "regimeTVA": "TTC",',
    );
    const [error] = fileErrors(duplicated);
    expect(error).toMatchObject({ code: '1007', field: 'lignesImport[0].commande.regimeTVA' });
  });

  it('rejects a top level that is not an object', () => {
    expect(codes('[]')).toEqual(['1008']);
    expect(codes('"JSON"')).toEqual(['1008']);
  });

  it('keeps __proto__ keys as plain data: a warning, no prototype pollution', () => {
    const text = mutate(sampleText(MDV), [
      set(['lignesImport', 0, '__proto__'], '{"polluted": true}'),
      set(['__proto__'], '{"polluted": true}'),
    ]);
    const { verdict } = judgeText(text, { fileName });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(verdict.status).toBe('processed');
    expect(verdict.fileWarnings.map((warning) => warning.field)).toEqual(['__proto__']);
    expect(verdict.lines[0]?.accepted).toBe(true);
    expect(verdict.lines[0]?.warnings.map((warning) => warning.field)).toEqual(['__proto__']);
  });
});

describe('control 1 on the header', () => {
  const header = (mutations: Parameters<typeof mutate>[1]) => codes(mutate(sampleText(MDV), mutations));

  it.each([
    ['impId absent', [remove(['impId'])], ['1010']],
    ['impId filled', [set(['impId'], '"123"')], ['1011']],
    ['numeroAns of 9 characters', [set(['numeroAns'], '"345678901"')], ['1012']],
    ['numeroAns as a number', [set(['numeroAns'], '3456789012')], ['1012']],
    ['numeroAns absent', [remove(['numeroAns'])], ['1010']],
    ['SIRET of 9 digits (a SIREN)', [set(['SIRET'], '"885588558"')], ['1013']],
    ['SIRET as a number', [set(['SIRET'], '88558855858745')], ['1013']],
    ['both SIRET and siret', [set(['siret'], '"88558855858745"')], ['1014']],
    ['no SIRET', [remove(['SIRET'])], ['1010']],
    ['lignesImport absent', [remove(['lignesImport'])], ['1010']],
    ['lignesImport an object', [set(['lignesImport'], '{}')], ['1020']],
    ['lignesImport empty', [set(['lignesImport'], '[]')], ['1021']],
    ['a line that is not an object', [set(['lignesImport', 1], '"ligne 2"')], ['1023']],
    ['numLigne not starting at 1', [set(['lignesImport', 0, 'numLigne'], '2')], ['1024']],
    ['numLigne as a string', [set(['lignesImport', 1, 'numLigne'], '"2"')], ['1024']],
    ['numLigne written 2.0', [set(['lignesImport', 1, 'numLigne'], '2.0')], ['1024']],
    ['numLigne absent', [remove(['lignesImport', 1, 'numLigne'])], ['1024']],
  ] as const)('%s', (_name, mutations, expected) => {
    expect(header(mutations)).toEqual(expected);
  });

  it('accepts the lower-case siret spelling', () => {
    const text = sampleText(MDV).replace('"SIRET"', '"siret"');
    expect(judgeText(text, { fileName }).verdict.status).toBe('processed');
  });

  it('accepts 200 lines and rejects 201', () => {
    expect(judgeText(repeatFirstLine(MDV, 200), { fileName }).verdict.status).toBe('processed');
    expect(codes(repeatFirstLine(MDV, 201))).toEqual(['1022']);
  });
});

describe('control 1 on the file name (section 3.3)', () => {
  const text = sampleText(MDV);
  it.each([
    ['a free name', 'depot.json', '1030'],
    ['another numeroAns', 'JSON-1234567890-20221104-001.json', '1031'],
    ['a date that does not exist', 'JSON-3456789012-20221332-001.json', '1032'],
    ['file number 000', 'JSON-3456789012-20221104-000.json', '1033'],
    ['a two-digit file number', 'JSON-3456789012-20221104-01.json', '1030'],
  ])('rejects %s', (_name, name, code) => {
    expect(codes(text, name)).toEqual([code]);
  });
});

describe('control 1 on the profile and the depositor', () => {
  const text = sampleText(MDV);
  it('infers the profile from the lines when nothing says it', () => {
    expect(judgeText(text, { fileName }).verdict.profile).toBe('MDV-LGC-avance');
  });

  it('takes the profile from the référentiel entry of the numeroAns', () => {
    const hopAsMdv = {
      referencements: [
        { numeroAns: '3456789012', siret: '88558855858745', couloir: 'HOP', logiciel: 'DPI', profils: [] },
      ],
    };
    const { verdict } = judgeText(text, { fileName, referentiel: hopAsMdv });
    expect(verdict.profile).toBe('HOP-DPI-avance');
    expect(verdict.lines[0]?.codeTraitement).toBe('2001');
  });

  it('lets --profile win over the shape', () => {
    expect(judgeText(text, { fileName, profile: 'BIO-SGL' }).verdict.profile).toBe('BIO-SGL-avance');
  });

  it('rejects an avance file deposited as a solde', () => {
    expect(codes(text, fileName, { type: 'solde' })).toEqual(['1043']);
  });

  it('rejects a file whose lines show no known format', () => {
    const shapeless =
      '{"impId": null, "numeroAns": "3456789012", "SIRET": "88558855858745", "lignesImport": [{"numLigne": 1}]}';
    const [error] = fileErrors(shapeless);
    expect(error?.code).toBe('1040');
    expect(error?.hint).toContain('--profile');
  });

  it('rejects a header SIRET that is not the drop folder’s', () => {
    expect(codes(text, fileName, { depositorSiret: '11111111111111' })).toEqual(['1041']);
  });

  it('checks no référencement when the référentiel lists none (only avances)', () => {
    const { verdict } = judgeText(text, { fileName, referentiel: { referencements: [], avances: [] } });
    expect(verdict.status).toBe('processed');
    expect(verdict.lines[1]?.notices.map((notice) => notice.code)).toContain('8002');
  });

  it('rejects a numeroAns the référentiel does not give to this vendor', () => {
    const other = {
      ...sampleReferentiel(),
      referencements: sampleReferentiel().referencements.map((r) => ({ ...r, siret: '11111111111111' })),
    };
    expect(codes(text, fileName, { referentiel: other })).toEqual(['1042']);
  });
});
