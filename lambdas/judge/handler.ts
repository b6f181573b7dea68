import { S3ReferentielSource } from '../../shared/adapters/s3-referentiel-source';
import { QUEUES, SERVICES } from '../../shared/config/resources';
import { createLogger, emitMetrics } from '../../shared/observability/logger';
import { judgeSubmission } from '../../shared/pipeline/judge-submission';
import type { JudgeRequest } from '../../shared/pipeline/ports';
import { rejectTechnically } from '../../shared/pipeline/technical-rejection';
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
  const attempts = Number(message.attributes?.ApproximateReceiveCount ?? '1');
  const request = JSON.parse(message.body) as JudgeRequest;
  try {
    await judgeSubmission(deps, request);
  } catch (error) {
    // Counted at once (and alarmed), not only when the message reaches the dead-letter queue.
    emitMetrics(SERVICES.judge, {}, { JudgementFailures: { value: 1, unit: 'Count' } });
    if (attempts < QUEUES.judge.maxReceiveCount) throw error;
    // The last attempt: the vendor gets a technical rejection rather than silence.
    logger.error('jugement interrompu à la dernière tentative', { attempts, error });
    const answered = await rejectTechnically(deps, request, attempts).then(
      (result) => result !== undefined,
      (lastError: unknown) => {
        logger.error('rejet technique impossible', { error: lastError });
        return false;
      },
    );
    if (!answered) throw error;
  }
});
