import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLogger } from '../../shared/observability/logger';
import { recordArrival, type S3ObjectEvent } from '../../shared/pipeline/intake';
import { readPipelineConfig } from '../common/config';
import { pipelineDeps } from '../common/pipeline-deps';

/** S3 events (through the intake queue) → arrivals recorded, ready submissions sent to the judge. */
const config = readPipelineConfig(process.env);
const deps = { ...pipelineDeps(config), logger: createLogger('intake') };

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of event.Records) {
    try {
      const body = JSON.parse(message.body) as { Event?: string; Records?: S3ObjectEvent[] };
      // S3 sends one s3:TestEvent when the notification is set up: nothing to record.
      if (body.Event === 's3:TestEvent') continue;
      if (!Array.isArray(body.Records))
        throw new Error("message sans Records : ce n'est pas un événement S3");
      // Each record on its own: one that fails does not keep the others of the message from being recorded
      // (recording is idempotent, so the retry of the whole message is harmless).
      const failures: unknown[] = [];
      for (const record of body.Records) {
        await recordArrival(deps, record).catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) throw failures[0];
    } catch (error) {
      deps.logger.error('arrivée non enregistrée', { messageId: message.messageId, error });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
