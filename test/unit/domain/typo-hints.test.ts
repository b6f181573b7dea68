import { judgeSampleLine, mutate, remove, sampleText, set } from '../../support/deposits';

/**
 * A tag written with a typo is unknown (8001) and its rightful tag missing (2001, 2015): both say
 * what was probably meant, so that the vendor fixes the name rather than add a second tag.
 */
const p = (...path: Array<string | number>) => ['lignesImport', 0, ...path];

/** The sample with a tag renamed (same value, same place). */
function renamed(path: Array<string | number>, to: string) {
  const value = JSON.stringify(
    path.reduce<unknown>(
      (node, key) => (node as Record<string | number, unknown>)[key],
      JSON.parse(sampleText('HOP-DPI-avance')),
    ),
  );
  return [remove(path), set([...path.slice(0, -1), to], value)];
}

describe('a tag with a typo', () => {
  it('is reported once, in the missing tag’s error, which names the tag written in its place', () => {
    const line = judgeSampleLine(
      'HOP-DPI-avance',
      renamed(p('beneficiaires', 'emailMandataire'), 'emailMandatair'),
    );
    expect(line.accepted).toBe(false);
    expect(line.errors[0]).toMatchObject({ code: '2015', field: 'beneficiaires.emailMandataire' });
    expect(line.errors[0]?.message).toContain(
      '(la balise emailMandatair écrite à sa place est-elle une faute de frappe ?)',
    );
    // Reported once: no separate warning for the misspelt tag.
    expect(line.warnings.filter((warning) => warning.code === '8001')).toEqual([]);
  });

  it('does the same for a mandatory tag (2001), and suggests nothing for a tag far from any', () => {
    const typo = judgeSampleLine('HOP-DPI-avance', renamed(p('typeAction'), 'typeActoin'));
    expect(typo.errors[0]).toMatchObject({ code: '2001', field: 'typeAction' });
    expect(typo.errors[0]?.message).toContain('typeActoin écrite à sa place');
    // An optional tag misspelt is no error: its warning says what was probably meant.
    const optional = judgeSampleLine('MDV-LGC-avance', [
      set(p('scenarioInstallation', 'operateurMessageri'), '"MAI_15"'),
      remove(p('scenarioInstallation', 'operateurMessagerie')),
    ]);
    expect(optional.warnings.find((warning) => warning.code === '8001')?.message).toContain(
      '(vouliez-vous dire operateurMessagerie ?)',
    );
    const far = judgeSampleLine('HOP-DPI-avance', [set(p('commentaireLibre'), '"x"')]);
    expect(far.accepted).toBe(true);
    const warning = far.warnings.find((entry) => entry.code === '8001');
    expect(warning?.message).toContain('commentaireLibre');
    expect(warning?.message).not.toContain('vouliez-vous dire');
    expect(mutate(sampleText('HOP-DPI-avance'), [])).toBe(sampleText('HOP-DPI-avance'));
  });
});
