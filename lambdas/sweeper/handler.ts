import type { Context } from 'aws-lambda';
import { SERVICES } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { inHandlerSegment } from '../../shared/observability/tracer';
import { sweep } from '../../shared/pipeline/sweep';
import { readPipelineConfig } from '../common/config';
import { waitingList, workQueues } from '../common/pipeline-deps';

/** Every few minutes: submissions whose grace period is over are sent to the judge. */
const config = readPipelineConfig(process.env);
const logger = createLogger(SERVICES.sweeper);
const deps = { store: waitingList(config), queues: workQueues(config), logger };

export async function handler(_event?: unknown, context?: Context): Promise<{ judged: number }> {
  if (context) logger.addContext(context);
  const ids = await inHandlerSegment(() => sweep(deps, new Date(), config.gracePeriodMinutes));
  return { judged: ids.length };
}
