import { annotate } from '../domain/annotate';
import type { ParseOutcome } from '../domain/json/json-document';
import { type FileVerdict, type JudgeOptions, judgeParsed } from '../domain/judge-file';
import { buildHtmlReport, buildJsonReport, type ReportContext } from '../domain/reports';

/**
 * Judge one deposit and produce everything a vendor gets back: the verdict, the annotated file and
 * the two reports. The CLI and the Lambdas both call this; neither formats anything themselves.
 */
export interface DepositOutputs {
  readonly verdict: FileVerdict;
  /** Absent when control 1 rejected the file: the ASP returns no annotated file then. */
  readonly annotated?: string;
  readonly reportJson: string;
  readonly reportHtml: string;
}

export interface CheckDepositInput {
  /** The deposit, already parsed within its limits (parseJsonDocument). */
  readonly parsed: ParseOutcome;
  readonly options: JudgeOptions;
  readonly report: ReportContext;
  readonly fills?: Parameters<typeof annotate>[2];
}

export function checkDeposit(input: CheckDepositInput): DepositOutputs {
  const { verdict, doc } = judgeParsed(input.parsed, input.options);
  const annotated = doc && verdict.status === 'processed' ? annotate(doc, verdict, input.fills) : undefined;
  return {
    verdict,
    annotated,
    reportJson: buildJsonReport(verdict, input.report),
    reportHtml: buildHtmlReport(verdict, { ...input.report, source: input.report.source ?? doc?.text }),
  };
}

/** `rapport` file names beside the deposit: `<JSON base name>.rapport.json` / `.rapport.html`. */
export function reportNames(fileName: string): { json: string; html: string } {
  const base = fileName.replace(/\.json$/i, '');
  return { json: `${base}.rapport.json`, html: `${base}.rapport.html` };
}
