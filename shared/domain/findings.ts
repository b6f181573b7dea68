/**
 * Findings are data: a rule that fails pushes a record, never throws. The French text is rendered
 * later from the catalog (`catalog.ts`), so the rules stay free of wording.
 */
export type Params = Readonly<Record<string, string | number | undefined>>;

export interface FindingDraft {
  readonly code: string;
  /** Path relative to the line (formats.md decision 4), or to the file for control 1. */
  readonly field: string;
  readonly params?: Params;
}

export interface Finding extends FindingDraft {
  readonly severity: Severity;
  /** Offset in the deposited text of the offending value (or of its parent when it is absent). */
  readonly offset?: number;
}

/**
 * error: rejects the line (or the file in control 1);
 * warning: reported, does not reject (unknown key, unlisted zip entry…);
 * notice: a check that could not be done (no référentiel, no zip given), reported as such.
 */
export type Severity = 'error' | 'warning' | 'notice';

export interface RenderedFinding {
  readonly code: string;
  readonly field: string;
  readonly message: string;
  readonly hint: string;
  /** 1-based line:column of the value in the deposited JSON, when it has one. */
  readonly position: { readonly line: number; readonly column: number } | null;
}
