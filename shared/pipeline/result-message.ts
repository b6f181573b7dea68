import { toWellFormedText } from '../domain/catalog';
import type { FileVerdict } from '../domain/judge-file';
import { printable } from '../domain/printable';

/**
 * The message each finished submission puts on the results queue (contracts §2). `outcome` says
 * which kind of end it is: a judgement (controls 1 and 2), a refusal before any judgement (a file
 * outside the naming scheme, zips whose JSON never came, a JSON replaced after its judgement), or a
 * technical rejection (the judgement kept failing: the vendor is told, the operators alarmed).
 */
export type Outcome = 'jugement' | 'refus' | 'rejet-technique';

/** One error of a rejected line, in the report's wording (the email lists them, not only the first). */
export interface ResultError {
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

export interface ResultLine {
  readonly numLigne: number;
  readonly numeroEditeur: string | null;
  readonly codeTraitement: string;
  readonly libelleTraitement: string;
  readonly numeroASP: string | null;
  /** Every error of a rejected line, the first ERRORS_PER_LINE of them when there are more. */
  readonly errors?: readonly ResultError[];
  /** Errors of the line not carried here (the JSON report has them all). */
  readonly errorsOmitted?: number;
}

/** The errors a result message carries per line; more are counted (the report lists 50). */
const ERRORS_PER_LINE = 10;

export interface ResultMessage {
  readonly submissionId: string;
  readonly siret: string;
  /** null only for a refusal of a file outside an avance/solde folder. */
  readonly type: 'avance' | 'solde' | null;
  readonly fileName: string;
  readonly profile: string | null;
  readonly status: 'rejected' | 'processed';
  readonly outcome: Outcome;
  readonly accepted: number;
  readonly rejected: number;
  readonly fileErrors: ReadonlyArray<{ code: string; message: string }>;
  readonly lines: readonly ResultLine[];
  /** Lines left out so that the message fits in an SQS message: every line is in the JSON report. */
  readonly linesOmitted?: number;
  readonly outputs: {
    readonly annotated: string | null;
    readonly reportJson: string;
    readonly reportHtml: string;
  };
}

export function resultMessage(
  ids: { submissionId: string; siret: string; type: 'avance' | 'solde' },
  verdict: FileVerdict,
  numeroAspByLine: ReadonlyMap<number, string>,
  outputs: ResultMessage['outputs'],
): ResultMessage {
  const accepted = verdict.lines.filter((line) => line.accepted).length;
  return {
    ...ids,
    fileName: verdict.file,
    profile: verdict.profile,
    status: verdict.status,
    outcome: 'jugement',
    accepted,
    rejected: verdict.lines.length - accepted,
    fileErrors: verdict.fileErrors.map((error) => ({ code: error.code, message: error.message })),
    lines: verdict.lines.map((line) => {
      const total = line.errors.length;
      return {
        numLigne: line.numLigne,
        numeroEditeur: line.numeroEditeur,
        codeTraitement: line.codeTraitement,
        libelleTraitement: line.libelleTraitement,
        numeroASP: numeroAspByLine.get(line.numLigne) ?? null,
        ...(total > 0
          ? {
              errors: line.errors
                .slice(0, ERRORS_PER_LINE)
                .map((error) => ({ code: error.code, field: error.field, message: error.message })),
              ...(total > ERRORS_PER_LINE ? { errorsOmitted: total - ERRORS_PER_LINE } : {}),
            }
          : {}),
      };
    }),
    outputs,
  };
}

/** Room kept for the SQS envelope and message attributes. */
const ENVELOPE_MARGIN = 8 * 1024;

/**
 * The message cut to fit `maxBytes` (SQS: 256 KiB): every string well-formed, and when the lines do
 * not fit, the first ones kept and the count of the others given (the JSON report has them all).
 * 3,000 non-object lines once made a 338 KB message that SQS refused.
 */
export function fitResultMessage(message: ResultMessage, maxBytes: number): ResultMessage {
  const budget = maxBytes - ENVELOPE_MARGIN;
  const clean = wellFormedMessage(message);
  const size = (candidate: ResultMessage) => Buffer.byteLength(JSON.stringify(candidate));
  if (size(clean) <= budget) return clean;
  // First fewer errors per line (each line keeps its first, which is its verdict), then fewer lines.
  for (const kept of [3, 1]) {
    const fewer = { ...clean, lines: clean.lines.map((line) => keepErrors(line, kept)) };
    if (size(fewer) <= budget) return fewer;
  }
  return fitLines({ ...clean, lines: clean.lines.map((line) => keepErrors(line, 1)) }, budget, size);
}

function keepErrors(line: ResultLine, kept: number): ResultLine {
  if (!line.errors || line.errors.length <= kept) return line;
  return {
    ...line,
    errors: line.errors.slice(0, kept),
    errorsOmitted: (line.errorsOmitted ?? 0) + line.errors.length - kept,
  };
}

function fitLines(
  clean: ResultMessage,
  budget: number,
  size: (candidate: ResultMessage) => number,
): ResultMessage {
  const fileErrors = clean.fileErrors.slice(0, 20);
  let low = 0;
  let high = clean.lines.length;
  // The most lines that fit, by bisection on the count.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = { ...clean, fileErrors, lines: clean.lines.slice(0, middle), linesOmitted: 1 };
    if (size(candidate) <= budget) low = middle;
    else high = middle - 1;
  }
  return { ...clean, fileErrors, lines: clean.lines.slice(0, low), linesOmitted: clean.lines.length - low };
}

/**
 * What SQS can carry and a person can read: well-formed text everywhere, and the values shown to
 * people (file name, numeroEditeur, field) printable (control characters shown as `\u001b`); the
 * submission's id stays the key it is, well-formed only.
 */
function wellFormedMessage(message: ResultMessage): ResultMessage {
  const text = (value: string) => toWellFormedText(printable(value));
  return {
    ...message,
    submissionId: toWellFormedText(message.submissionId),
    fileName: text(message.fileName),
    fileErrors: message.fileErrors.map((error) => ({ code: error.code, message: text(error.message) })),
    lines: message.lines.map((line) => ({
      ...line,
      numeroEditeur: line.numeroEditeur === null ? null : text(line.numeroEditeur),
      libelleTraitement: text(line.libelleTraitement),
      ...(line.errors
        ? {
            errors: line.errors.map((error) => ({
              code: error.code,
              field: text(error.field),
              message: text(error.message),
            })),
          }
        : {}),
    })),
  };
}
