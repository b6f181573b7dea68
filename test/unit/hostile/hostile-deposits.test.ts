import { DEFAULT_LIMITS, parseJsonDocument } from '../../../shared/domain/json/json-document';
import { judgeFile } from '../../../shared/domain/judge-file';
import { validateReferentiel } from '../../../shared/domain/referentiel-validation';
import { buildHtmlReport, buildJsonReport } from '../../../shared/domain/reports';
import { judgeSampleLine, set } from '../../support/deposits';
import {
  lineWithManyKeys,
  longLiberalList,
  MDV_FILE,
  manyZeroLines,
  paddedDeposit,
} from '../../support/hostile-inputs';

const encode = (text: string) => new TextEncoder().encode(text);
const judge = (text: string) => judgeFile(encode(text), { fileName: MDV_FILE }).verdict;

describe('hostile deposits end in a verdict of bounded size', () => {
  it('judges a line of 150,000 unknown keys, listing 50 warnings and counting the rest', () => {
    const verdict = judge(lineWithManyKeys(150_000));
    expect(verdict.status).toBe('processed');
    const line = verdict.lines[0];
    expect(line?.accepted).toBe(true);
    expect(line?.warnings).toHaveLength(50);
    expect(line?.warnings[0]?.code).toBe('8001');
    expect(line?.omitted).toBe(150_000 - 50);
    const html = buildHtmlReport(verdict, { generatedAt: '2026-12-01T10:00:00Z' });
    expect(html).toContain('149950 autre(s) constat(s)');
    expect(html.length).toBeLessThan(200_000);
  });

  it('finds a duplicate key after 100,000 keys (1007)', () => {
    const verdict = judge(lineWithManyKeys(100_000, true));
    expect(verdict.status).toBe('rejected');
    expect(verdict.fileErrors[0]?.code).toBe('1007');
    expect(verdict.fileErrors[0]?.field).toBe('lignesImport[0].k0');
  });

  it('refuses five million lines as one error (1022), before any work per line', () => {
    const verdict = judge(manyZeroLines(5_000_000));
    expect(verdict.status).toBe('rejected');
    expect(verdict.fileErrors.map((error) => error.code)).toEqual(['1022']);
    expect(verdict.fileErrors[0]?.message).toContain('5000000 demandes');
  });

  it('keeps at most 1,000 items of an array in the tree, and counts them all', () => {
    const parsed = parseJsonDocument(encode(manyZeroLines(20_000)));
    if (!parsed.ok) throw new Error('non analysé');
    const lignes = parsed.doc.root.children?.[3]?.children?.[1];
    expect(lignes?.children).toHaveLength(DEFAULT_LIMITS.maxStoredItems);
    expect(lignes?.count).toBe(20_000);
  });

  it('rejects a line ordering for 20,000 doctors on the list itself (2025)', () => {
    const line = judge(longLiberalList(20_000)).lines[0];
    expect(line?.accepted).toBe(false);
    expect(line?.codeTraitement).toBe('2025');
    expect(line?.field).toBe('beneficiaires.liberal');
    expect(line?.libelleTraitement).toContain('20000 éléments ; 1000 au plus');
  });

  it('still finds a doctor listed twice in a long list (2024), by index and not by pairs', () => {
    const text = longLiberalList(900).replace('"RPPS":"10000000899"', '"RPPS":"10000000001"');
    const line = judge(text).lines[0];
    expect(line?.errors.map((error) => error.code)).toContain('2024');
    expect(line?.errors.find((error) => error.code === '2024')?.field).toBe(
      'beneficiaires.liberal[899].RPPS',
    );
  });

  it('refuses a 12 MB deposit from its size alone (1004), even when only its first bytes were read', () => {
    const size = 12 * 1024 * 1024;
    const firstBytes = encode(paddedDeposit(size)).subarray(0, DEFAULT_LIMITS.maxBytes + 1);
    const verdict = judgeFile(firstBytes, { fileName: MDV_FILE, totalBytes: size }).verdict;
    expect(verdict.fileErrors.map((error) => error.code)).toEqual(['1004']);
    expect(verdict.fileErrors[0]?.message).toContain(String(size));
  });

  it('rejects a numeroEditeur of 2,000 characters on that field, with a bounded label', () => {
    const line = judgeSampleLine('MDV-LGC-avance', [
      set(['lignesImport', 0, 'numeroEditeur'], `"${'A'.repeat(2000)}"`),
    ]);
    expect(line.accepted).toBe(false);
    expect(line.field).toBe('numeroEditeur');
    expect(line.libelleTraitement.length).toBeLessThan(400);
  });

  it('rejects an amount of 500,000 digits, and 1 followed by 5,000 zeros (2019), never as Infinity', () => {
    for (const raw of [`${'9'.repeat(500_000)}.00`, `1${'0'.repeat(5000)}.00`]) {
      const line = judgeSampleLine('MDV-LGC-avance', [
        set(['lignesImport', 0, 'commande', 'montantSegurHT'], raw),
      ]);
      expect(line.codeTraitement).toBe('2019');
      expect(line.field).toBe('commande.montantSegurHT');
      expect(line.libelleTraitement.length).toBeLessThan(400);
    }
    const largest = judgeSampleLine('MDV-LGC-avance', [
      set(['lignesImport', 0, 'commande', 'montantSegurHT'], '999999999.99'),
    ]);
    expect(largest.accepted).toBe(true);
  });

  it('makes every label well-formed Unicode, whatever lone surrogate the deposit holds', () => {
    const line = judgeSampleLine('MDV-LGC-avance', [
      set(['lignesImport', 0, 'numeroEditeur'], '"0000\\udc00"'),
    ]);
    expect(line.accepted).toBe(false);
    expect(() => encodeURIComponent(line.libelleTraitement)).not.toThrow();
    expect(line.libelleTraitement).toContain('\ufffd');
  });

  it('writes a JSON report that reads back for each hostile input', () => {
    for (const text of [lineWithManyKeys(20_000), longLiberalList(5000), manyZeroLines(10_000)]) {
      const report = buildJsonReport(judge(text), { generatedAt: '2026-12-01T10:00:00Z' });
      expect(() => JSON.parse(report)).not.toThrow();
      expect(report.length).toBeLessThan(200_000);
    }
  });
});

describe('a référentiel with prototype keys', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'refuses « %s » with a clear message',
    (key) => {
      const outcome = validateReferentiel(
        JSON.parse(
          `{"referencements":[{"numeroAns":"1234567890","siret":"88558855858745","couloir":"HOP","logiciel":"DPI","${key}":1}]}`,
        ),
      );
      expect(outcome.ok).toBe(false);
      if (!outcome.ok)
        expect(outcome.errors[0]).toBe(
          `référentiel.referencements[0].${key} : la balise « ${key} » est un nom réservé, refusé`,
        );
      const top = validateReferentiel(JSON.parse(`{"referencements":[],"${key}":{}}`));
      expect(top.ok).toBe(false);
    },
  );
});
