import { SERVICES } from '../config/resources';
import { emitMetrics } from '../observability/logger';
import { type JudgeDeps, judgeSubmission } from './judge-submission';
import type { JudgeRequest } from './ports';
import { rejectTechnically } from './technical-rejection';

export interface Attempt {
  /** This delivery's number, from 1 (SQS's ApproximateReceiveCount). */
  readonly number: number;
  /** Deliveries before the dead-letter queue (the queue's maxReceiveCount). */
  readonly limit: number;
}

/**
 * A judgement with its retry policy. A failure is counted at once (and alarmed), not only when the
 * message reaches the dead-letter queue, and thrown so that the queue delivers it again. On the
 * last attempt the vendor gets a technical rejection (1060) rather than silence; only when even
 * that fails does the error reach the dead-letter queue.
 */
export async function judgeOrRejectTechnically(
  deps: JudgeDeps,
  request: JudgeRequest,
  attempt: Attempt,
): Promise<void> {
  try {
    await judgeSubmission(deps, request);
  } catch (error) {
    emitMetrics(SERVICES.judge, {}, { JudgementFailures: { value: 1, unit: 'Count' } });
    if (attempt.number < attempt.limit) throw error;
    deps.logger.error('jugement interrompu à la dernière tentative', { attempts: attempt.number, error });
    const answered = await rejectTechnically(deps, request, attempt.number).then(
      (result) => result !== undefined,
      (lastError: unknown) => {
        deps.logger.error('rejet technique impossible', { error: lastError });
        return false;
      },
    );
    if (!answered) throw error;
  }
}
