import { createLogger } from '../../shared/observability/logger';
import { sweep } from '../../shared/pipeline/sweep';
import { readPipelineConfig } from '../common/config';
import { pipelineDeps } from '../common/pipeline-deps';

/** Every few minutes: submissions whose grace period is over are sent to the judge. */
const config = readPipelineConfig(process.env);
const deps = { ...pipelineDeps(config), logger: createLogger('sweeper') };

export async function handler(): Promise<{ judged: number }> {
  const ids = await sweep(deps, new Date(), config.gracePeriodMinutes);
  return { judged: ids.length };
}
