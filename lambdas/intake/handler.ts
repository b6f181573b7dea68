import { SERVICES } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { ArrivalMemo } from '../../shared/pipeline/arrival-memo';
import { recordArrival, type S3ObjectEvent } from '../../shared/pipeline/intake';
import { readPipelineConfig } from '../common/config';
import { objectStore, s3Client, submissionStore, workQueues } from '../common/pipeline-deps';
import { sqsBatchHandler } from '../common/sqs-batch';

/** S3 events (through the intake queue) → arrivals recorded, ready submissions sent to the judge. */
const config = readPipelineConfig(process.env);
const logger = createLogger(SERVICES.intake);
const deps = {
  store: submissionStore(config),
  objects: objectStore(config, s3Client()),
  queues: workQueues(config),
  logger,
  // Per warm instance: an arrival does not read again what an earlier one read of the same bytes.
  memo: new ArrivalMemo(),
};

export const handler = sqsBatchHandler(logger, 'arrivée non enregistrée', async (message) => {
  const body = JSON.parse(message.body) as { Event?: string; Records?: S3ObjectEvent[] };
  // S3 sends one s3:TestEvent when the notification is set up: nothing to record.
  if (body.Event === 's3:TestEvent') return;
  if (!Array.isArray(body.Records)) throw new Error("message sans Records : ce n'est pas un événement S3");
  // Each record on its own: one that fails does not keep the others of the message from being recorded
  // (recording is idempotent, so the retry of the whole message is harmless).
  const failures: unknown[] = [];
  for (const record of body.Records) {
    await recordArrival(deps, record).catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw failures[0];
});
