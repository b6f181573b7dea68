import type { JudgeOptions } from '../../../shared/domain/judge-file';
import type { Referentiel } from '../../../shared/domain/referentiel';
import { type Mutation, sampleReferentiel } from '../../support/deposits';

/**
 * One case of a rule: mutations of a sample line and the expected verdict of that line, either
 * accepted or the first error's code and field path.
 */
export interface RuleCase {
  readonly name: string;
  readonly mutations: readonly Mutation[];
  readonly expect: 'accepted' | readonly [code: string, field: string];
  readonly line?: number;
  readonly options?: Partial<JudgeOptions>;
}

export const L1 = ['lignesImport', 0] as const;
export const L2 = ['lignesImport', 1] as const;

export function accepted(
  name: string,
  mutations: readonly Mutation[],
  extra: Partial<RuleCase> = {},
): RuleCase {
  return { name, mutations, expect: 'accepted', ...extra };
}

export function rejected(
  name: string,
  mutations: readonly Mutation[],
  code: string,
  field: string,
  extra: Partial<RuleCase> = {},
): RuleCase {
  return { name, mutations, expect: [code, field], ...extra };
}

/** The sample référentiel with one référencement's profiles replaced. */
export function referentielWithProfiles(
  numeroAns: string,
  profils: Referentiel['referencements'][number]['profils'],
): Referentiel {
  const base = sampleReferentiel();
  return {
    ...base,
    referencements: base.referencements.map((entry) =>
      entry.numeroAns === numeroAns ? { ...entry, profils } : entry,
    ),
  };
}
