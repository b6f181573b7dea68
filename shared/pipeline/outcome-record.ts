import { createHash } from 'node:crypto';
import { PREFIXES } from '../config/resources';
import type { Outcome, ResultMessage } from './result-message';
import { parseDepositKey } from './submission-key';

/**
 * What the operators' view keeps of one published result (`lister-soumissions`,
 * `montrer-soumission`): its kind, counts, the codes of the file's own errors, the numeroASP given
 * and where the returns are, and when its email went out. The returns in retour/ stay the record;
 * this is their index.
 */
export interface OutcomeRecord {
  readonly submissionId: string;
  readonly siret: string;
  readonly type: 'avance' | 'solde' | null;
  readonly fileName: string;
  readonly outcome: Outcome;
  readonly status: 'rejected' | 'processed';
  readonly profile: string | null;
  readonly accepted: number;
  readonly rejected: number;
  /** The file's own errors' codes (control 1, a refusal, a technical rejection), each once. */
  readonly fileCodes: readonly string[];
  /** The accepted lines' numbers, by line. */
  readonly numbered: ReadonlyArray<{ numLigne: number; numeroEditeur: string | null; numeroASP: string }>;
  readonly outputs: ResultMessage['outputs'];
  /** When its email was published (ISO). */
  readonly publishedAt: string;
  /** The same result published again (a retried message) is the same record. */
  readonly digest: string;
}

export function outcomeRecordOf(result: ResultMessage, publishedAt: string): OutcomeRecord {
  return {
    submissionId: owningSubmission(result.submissionId),
    siret: result.siret,
    type: result.type,
    fileName: result.fileName,
    outcome: result.outcome,
    status: result.status,
    profile: result.profile,
    accepted: result.accepted,
    rejected: result.rejected,
    fileCodes: [...new Set(result.fileErrors.map((error) => error.code))],
    numbered: result.lines.flatMap((line) =>
      line.numeroASP
        ? [{ numLigne: line.numLigne, numeroEditeur: line.numeroEditeur, numeroASP: line.numeroASP }]
        : [],
    ),
    outputs: result.outputs,
    publishedAt,
    digest: createHash('sha256').update(JSON.stringify(result)).digest('hex').slice(0, 24),
  };
}

/**
 * The submission a result belongs to: a refusal names the refused object (`…/JSON-….json`, a
 * zip), which belongs to the submission its name gives; a key outside the scheme is its own.
 */
function owningSubmission(id: string): string {
  const parsed = parseDepositKey(`${PREFIXES.deposit}${id}`);
  return parsed.ok ? parsed.key.submissionId : id;
}
