import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLogger } from '../../shared/observability/logger';
import { judgeSubmission } from '../../shared/pipeline/judge-submission';
import type { JudgeRequest } from '../../shared/pipeline/ports';
import { readPipelineConfig } from '../common/config';
import { pipelineDeps } from '../common/pipeline-deps';

/** Judge requests → controls, outputs in retour/, one result message per judgement. */
const config = readPipelineConfig(process.env);
const deps = {
  ...pipelineDeps(config),
  logger: createLogger('judge'),
  now: () => new Date(),
  leaseSeconds: config.judgeLeaseSeconds,
};

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of event.Records) {
    try {
      await judgeSubmission(deps, JSON.parse(message.body) as JudgeRequest);
    } catch (error) {
      deps.logger.error('jugement interrompu, il sera repris', { messageId: message.messageId, error });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
