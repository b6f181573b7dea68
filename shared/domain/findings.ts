import type { Code, ParamsOf } from './catalog';

/**
 * Findings are data: a rule that fails pushes a record, never throws. The French text is rendered
 * later from the catalog (`catalog.ts`), so the rules stay free of wording.
 */
export type Params = Readonly<Record<string, string | number | undefined>>;

/** A finding of one code, with the parameters its message names. */
export interface DraftOf<C extends Code> {
  readonly code: C;
  /** Path relative to the line (formats.md decision 4), or to the file for control 1. */
  readonly field: string;
  readonly params?: ParamsOf<C>;
}

/** A finding of any code of the catalog. */
export type FindingDraft = { [C in Code]: DraftOf<C> }[Code];

/**
 * A finding of a code known only as a type parameter: the compiler checks its parameters against
 * the code's, but cannot see that a generic `DraftOf<C>` is one member of the union.
 */
export function draftOf<C extends Code>(code: C, field: string, params?: ParamsOf<C>): FindingDraft {
  return { code, field, ...(params ? { params } : {}) } as DraftOf<C> as FindingDraft;
}

export type Finding = FindingDraft & {
  readonly severity: Severity;
  /** Offset in the deposited text of the offending value (or of its parent when it is absent). */
  readonly offset?: number;
};

/**
 * error: rejects the line (or the file in control 1);
 * warning: reported, does not reject (unknown key, unlisted zip entry…);
 * notice: a check that could not be done (no référentiel, no zip given), reported as such.
 */
export type Severity = 'error' | 'warning' | 'notice';

export interface RenderedFinding {
  readonly code: Code;
  readonly field: string;
  readonly message: string;
  readonly hint: string;
  /** 1-based line:column of the value in the deposited JSON, when it has one. */
  readonly position: { readonly line: number; readonly column: number } | null;
}
