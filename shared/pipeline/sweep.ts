import { SERVICES } from '../config/resources';
import { emitMetrics, type Logger } from '../observability/logger';
import type { WaitingList, WorkQueues } from './ports';

/**
 * Submissions whose grace period is over are judged with what is there: missing documents reject
 * their lines. Each submission is sent on its own: one that cannot be sent (a key SQS refuses, a
 * throttled call) is logged and counted, and never keeps the others from being judged.
 */
export async function sweep(
  deps: { store: WaitingList; queues: WorkQueues; logger: Logger },
  now: Date,
  graceMinutes: number,
): Promise<string[]> {
  const before = new Date(now.getTime() - graceMinutes * 60_000).toISOString();
  const ids = await deps.store.listWaiting(before);
  const sent: string[] = [];
  let failures = 0;
  for (const submissionId of ids) {
    try {
      await deps.queues.sendJudgeRequest({ submissionId, reason: 'grace-period' });
      sent.push(submissionId);
      deps.logger.info('délai de grâce écoulé, jugement demandé', { submissionId });
    } catch (error) {
      failures++;
      deps.logger.error('demande de jugement impossible, reprise au prochain passage', {
        submissionId,
        error,
      });
    }
  }
  if (failures > 0) emitMetrics(SERVICES.sweeper, {}, { SweepFailures: { value: failures, unit: 'Count' } });
  return sent;
}
