import type { Referentiel } from '../../../shared/domain/referentiel';
import { validateReferentiel } from '../../../shared/domain/referentiel-validation';
import {
  judgeSampleLine,
  judgeText,
  mutate,
  repeatFirstLine,
  sampleName,
  sampleReferentiel,
  set,
} from '../../support/deposits';

/** The référentiel's plafonds as operators write them, and one FINESS paid once within a file too. */
const withPlafonds = (plafonds: Record<string, unknown>): Referentiel => {
  const outcome = validateReferentiel({ ...sampleReferentiel(), plafonds });
  if (!outcome.ok) throw new Error(outcome.errors.join('; '));
  return outcome.referentiel;
};

describe('plafonds of the référentiel', () => {
  it('keeps them when the référentiel is validated', () => {
    expect(withPlafonds({ 'BIO-LOINC-solde': '6000.00' }).plafonds).toEqual({ 'BIO-LOINC-solde': '6000.00' });
  });

  it('applies a higher LOINC plafond (a solde of 5,834.00 accepted at 6,000.00, refused at the default)', () => {
    const referentiel = withPlafonds({ 'BIO-LOINC-solde': '6000.00' });
    // The avance's own amount bounds a solde too: the avance is raised with the plafond.
    const avances = (referentiel.avances ?? []).map((avance) => ({ ...avance, montantSegurHT: '6000.00' }));
    const high = [set(['lignesImport', 0, 'facture', 'montantSegurHTFacture'], '5834.00')];
    expect(
      judgeSampleLine('BIO-LOINC-solde', high, { referentiel: { ...referentiel, avances } }).codeTraitement,
    ).toBe('0000');
    const atDefault = { ...sampleReferentiel(), avances };
    expect(judgeSampleLine('BIO-LOINC-solde', high, { referentiel: atDefault })).toMatchObject({
      codeTraitement: '2070',
      libelleTraitement: expect.stringContaining('2917.00 € HT'),
    });
  });

  it('applies a plafond of another profile (HOP-DPI avance at 100.00 refuses 13,750.00)', () => {
    const line = judgeSampleLine('HOP-DPI-avance', [], {
      referentiel: withPlafonds({ 'HOP-DPI-avance': '100.00' }),
    });
    expect(line).toMatchObject({
      codeTraitement: '2070',
      libelleTraitement: expect.stringContaining('100.00'),
    });
  });

  it('reports each invalid plafond with its path, every error at once', () => {
    const outcome = validateReferentiel({
      ...sampleReferentiel(),
      plafonds: { 'HOP-DPI-avance': '100', 'RAD-XYZ-avance': '1.00', 'MDV-LGC-avance': 12 },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toEqual([
      expect.stringContaining('plafonds["HOP-DPI-avance"] doit être un montant texte à deux décimales'),
      expect.stringContaining('plafonds["RAD-XYZ-avance"] : profil inconnu'),
      expect.stringContaining('plafonds["MDV-LGC-avance"] doit être un montant texte'),
    ]);
  });
});

describe('one FINESS géographique paid once per software', () => {
  const twoSoldes = () =>
    mutate(repeatFirstLine('BIO-LOINC-solde', 2), [set(['lignesImport', 1, 'numeroASP'], '"FINBIO000007"')]);
  const referentiel = (): Referentiel => {
    const base = sampleReferentiel();
    const [avance] = base.avances ?? [];
    if (!avance) throw new Error('référentiel sans avance');
    return { ...base, avances: [avance, { ...avance, numeroASP: 'FINBIO000007', numeroEditeur: '00002' }] };
  };

  it('refuses the second line of one file that pays the same FINESS (2069, naming the first line)', () => {
    const { verdict } = judgeText(twoSoldes(), {
      fileName: sampleName('BIO-LOINC-solde'),
      referentiel: referentiel(),
    });
    expect(verdict.lines.map((line) => line.codeTraitement)).toEqual(['0000', '2069']);
    expect(verdict.lines[1]?.libelleTraitement).toContain('(ligne 1 de ce fichier)');
  });

  it('lets a rejected first line leave its FINESS to a later line', () => {
    const text = mutate(twoSoldes(), [set(['lignesImport', 0, 'facture', 'dateFacture'], '"2023-09-20"')]);
    const { verdict } = judgeText(text, {
      fileName: sampleName('BIO-LOINC-solde'),
      referentiel: referentiel(),
    });
    expect(verdict.lines[0]?.accepted).toBe(false);
    expect(verdict.lines[1]?.codeTraitement).toBe('0000');
  });
});
