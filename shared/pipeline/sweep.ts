import type { Logger } from '../observability/logger';
import type { StateStore, WorkQueues } from './ports';

/** Submissions whose grace period is over are judged with what is there: missing documents reject their lines. */
export async function sweep(
  deps: { store: StateStore; queues: WorkQueues; logger: Logger },
  now: Date,
  graceMinutes: number,
): Promise<string[]> {
  const before = new Date(now.getTime() - graceMinutes * 60_000).toISOString();
  const ids = await deps.store.listWaiting(before);
  for (const submissionId of ids) {
    await deps.queues.sendJudgeRequest({ submissionId, reason: 'grace-period' });
    deps.logger.info('délai de grâce écoulé, jugement demandé', { submissionId });
  }
  return ids;
}
