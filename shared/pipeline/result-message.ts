import type { FileVerdict } from '../domain/judge-file';

/** The message each finished judgement puts on the results queue (contracts §2). */
export interface ResultMessage {
  readonly submissionId: string;
  readonly siret: string;
  readonly type: 'avance' | 'solde';
  readonly fileName: string;
  readonly profile: string | null;
  readonly status: 'rejected' | 'processed';
  readonly accepted: number;
  readonly rejected: number;
  readonly fileErrors: ReadonlyArray<{ code: string; message: string }>;
  readonly lines: ReadonlyArray<{
    numLigne: number;
    numeroEditeur: string | null;
    codeTraitement: string;
    libelleTraitement: string;
    numeroASP: string | null;
  }>;
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
    accepted,
    rejected: verdict.lines.length - accepted,
    fileErrors: verdict.fileErrors.map((error) => ({ code: error.code, message: error.message })),
    lines: verdict.lines.map((line) => ({
      numLigne: line.numLigne,
      numeroEditeur: line.numeroEditeur,
      codeTraitement: line.codeTraitement,
      libelleTraitement: line.libelleTraitement,
      numeroASP: numeroAspByLine.get(line.numLigne) ?? null,
    })),
    outputs,
  };
}
