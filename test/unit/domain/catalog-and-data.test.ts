import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../../../shared/domain/catalog';
import { renderCodesMarkdown } from '../../../shared/domain/catalog-doc';
import operateurs from '../../../shared/domain/data/operateurs-messagerie.json';
import { ROOT } from '../../support/deposits';

/**
 * The seeds' lists of operateurMessagerie codes, copied into the repository (test/data/seeds, each
 * file naming its source) so that a clone alone passes its tests.
 */
const SEEDS = join(ROOT, 'test', 'data', 'seeds');

describe('code catalog', () => {
  it('has stable four-digit codes, each with a message and a hint', () => {
    for (const [code, entry] of Object.entries(CATALOG)) {
      expect(code).toMatch(/^[1-9]\d{3}$/);
      expect(entry.message.length).toBeGreaterThan(5);
      expect(entry.hint.length).toBeGreaterThan(5);
      expect(entry.severity === 'error').toBe(/^[123]/.test(code));
    }
  });

  it('is documented in docs/codes.md exactly as the code says (npm run docs:codes)', () => {
    expect(readFileSync(join(ROOT, 'docs/codes.md'), 'utf8')).toBe(renderCodesMarkdown());
  });
});

describe('operateurMessagerie codes (section 4)', () => {
  /** The list as printed in a seed: "CODE LIBELLE" lines after the section title. */
  function codesOfSeed(file: string): string[] {
    const text = readFileSync(join(SEEDS, file.replace(/\.txt$/, '.operateurs.txt')), 'utf8');
    const section = text.slice(text.indexOf('LISTE DES VALEURS PERMISES'));
    return [...section.matchAll(/^\s*(\S{1,3}\s?_\d+)(?=\s)/gm)].map((match) => match[1] as string);
  }

  it('holds the 355 codes of the MDV and SGL documents, in order', () => {
    const codes = operateurs.map((entry) => entry.code);
    expect(codes).toHaveLength(355);
    expect(codes).toEqual(codesOfSeed('000_32f4e7682ded2454.txt'));
    expect(codes).toEqual(codesOfSeed('003_6827d25916f443e4.txt'));
    expect(new Set(codes).size).toBe(355);
  });

  it('keeps each label, the apostrophes undoubled', () => {
    expect(operateurs.find((entry) => entry.code === 'MAI_15')?.libelle).toBe('MAILIZ');
    expect(operateurs.find((entry) => entry.code === 'CH _20')?.libelle).toBe("CH REGIONAL D'ORLEANS");
    expect(operateurs.find((entry) => entry.code === 'DED_271')?.libelle).toBe(
      'DEDALUS HEALTHCARE FRANCE (ex AGFA HEALTHCARE FRANCE)',
    );
  });
});
