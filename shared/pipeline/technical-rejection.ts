import { SERVICES } from '../config/resources';
import { renderFinding } from '../domain/render-finding';
import { emitMetrics } from '../observability/logger';
import type { JudgeDeps } from './judge-submission';
import { fingerprintOf } from './judge-submission';
import type { JudgeRequest } from './ports';
import type { ResultMessage } from './result-message';
import { outputFolder, writeReports } from './write-reports';

/**
 * The last resort, on a judgement's last attempt: when it still fails (a bug, a fault that outlasts
 * the retries), the vendor is not left with nothing. The reports in retour/ say "rejet technique"
 * (1060) and that there is nothing to correct, the result message and the email go out, and the
 * submission leaves the waiting list, so that the sweeper does not loop on it: the operators, alarmed
 * by the TechnicalRejections metric, replay it (`segur-pipeline rejouer`) once the cause is fixed.
 * If even this fails (S3 or SQS down), the message goes to the dead-letter queue and its alarm.
 */
export async function rejectTechnically(
  deps: JudgeDeps,
  request: JudgeRequest,
  attempts: number,
): Promise<ResultMessage | undefined> {
  const submission = await deps.store.getSubmission(request.submissionId);
  if (!submission) return undefined;
  const fileName = `${submission.base}.json`;
  const error = renderFinding({
    code: '1060',
    field: '',
    params: { raison: `contrôle interrompu ${attempts} fois` },
    severity: 'error',
  });
  const verdict = {
    file: fileName,
    profile: null,
    type: submission.type,
    numeroAns: null,
    siret: submission.siret,
    status: 'rejected' as const,
    fileErrors: [error],
    fileWarnings: [],
    omittedFileWarnings: 0,
    lines: [],
  };
  const generatedAt = deps.now().toISOString();
  const facts = { soumission: submission.id, incident: 'rejet technique' };
  const { reportJson, reportHtml } = await writeReports(
    deps.objects,
    outputFolder(submission),
    fileName,
    verdict,
    { generatedAt, facts },
  );
  const result: ResultMessage = {
    submissionId: submission.id,
    siret: submission.siret,
    type: submission.type,
    fileName,
    profile: null,
    status: 'rejected',
    outcome: 'rejet-technique',
    accepted: 0,
    rejected: 0,
    fileErrors: [{ code: error.code, message: error.message }],
    lines: [],
    outputs: { annotated: null, reportJson, reportHtml },
  };
  await deps.queues.sendResult(result);
  // Off the waiting list, without a judged JSON: a corrected file under the same name is still taken.
  await deps.store.completeJudgement(submission.id, fingerprintOf(submission), {
    version: submission.version,
    at: deps.now().toISOString(),
  });
  emitMetrics(SERVICES.judge, {}, { TechnicalRejections: { value: 1, unit: 'Count' } });
  deps.logger.error('rejet technique envoyé au fournisseur', { submissionId: submission.id, attempts });
  return result;
}
