import { S3ReferentielSource } from '../../shared/adapters/s3-referentiel-source';
import { QUEUES, SERVICES } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { judgeOrRejectTechnically } from '../../shared/pipeline/judge-or-reject';
import type { JudgeRequest } from '../../shared/pipeline/ports';
import { readPipelineConfig } from '../common/config';
import { objectStore, s3Client, stateStore, workQueues } from '../common/pipeline-deps';
import { sqsBatchHandler } from '../common/sqs-batch';

/** Judge requests → controls, outputs in retour/, one result message per judgement. */
const config = readPipelineConfig(process.env);
const logger = createLogger(SERVICES.judge);
const s3 = s3Client();
const deps = {
  store: stateStore(config),
  objects: objectStore(config, s3),
  queues: workQueues(config),
  referentiel: new S3ReferentielSource(s3, config.inputBucket),
  logger,
  now: () => new Date(),
  leaseSeconds: config.judgeLeaseSeconds,
};

export const handler = sqsBatchHandler(logger, 'jugement interrompu', async (message) => {
  const attempt = {
    number: Number(message.attributes?.ApproximateReceiveCount ?? '1'),
    limit: QUEUES.judge.maxReceiveCount,
  };
  await judgeOrRejectTechnically(deps, JSON.parse(message.body) as JudgeRequest, attempt);
});
