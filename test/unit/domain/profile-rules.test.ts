import type { ProfileId } from '../../../shared/domain/rules/line-environment';
import { judgeSampleLine } from '../../support/deposits';
import { PROFILE_RULE_CASES } from './profile-rule-cases';

/** Each case of every rule of the four tables: the line's verdict, its code, field and label. */

describe.each(Object.entries(PROFILE_RULE_CASES))('%s', (profile, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const line = judgeSampleLine(profile as ProfileId, c.mutations, c.options, c.line ?? 0);
    if (c.expect === 'accepted') {
      expect(line.errors.map((error) => error.message)).toEqual([]);
      expect(line).toMatchObject({
        accepted: true,
        codeTraitement: '0000',
        libelleTraitement: 'Demande acceptée',
        field: null,
      });
    } else {
      const [code, field] = c.expect;
      expect({ code: line.codeTraitement, field: line.field }).toEqual({ code, field });
      expect(line.accepted).toBe(false);
      expect(line.libelleTraitement).toMatch(new RegExp(`^Ligne ${(c.line ?? 0) + 1} : `));
      expect(line.libelleTraitement).not.toMatch(/\{\w+\}/);
      expect(line.libelleTraitement).toBe(line.errors[0]?.message);
      expect(line.libelleTraitement.match(/Ligne \d+ :/g)).toHaveLength(1);
    }
  });
});
