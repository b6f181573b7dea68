import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { QUEUES } from '../../shared/config/resources';
import { createLogger, emitMetrics, METRICS_NAMESPACE } from '../../shared/observability/logger';
import { judgeSubmission } from '../../shared/pipeline/judge-submission';
import type { JudgeRequest } from '../../shared/pipeline/ports';
import { rejectTechnically } from '../../shared/pipeline/technical-rejection';
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
    const attempts = Number(message.attributes?.ApproximateReceiveCount ?? '1');
    let request: JudgeRequest | undefined;
    try {
      request = JSON.parse(message.body) as JudgeRequest;
      await judgeSubmission(deps, request);
    } catch (error) {
      // Counted at once (and alarmed), not only when the message reaches the dead-letter queue.
      emitMetrics(METRICS_NAMESPACE, {}, { JudgementFailures: { value: 1, unit: 'Count' } });
      deps.logger.error('jugement interrompu', { messageId: message.messageId, attempts, error });
      if (request && attempts >= QUEUES.judge.maxReceiveCount) {
        const answered = await rejectTechnically(deps, request, attempts).then(
          (result) => result !== undefined,
          (lastError: unknown) => {
            deps.logger.error('rejet technique impossible', {
              messageId: message.messageId,
              error: lastError,
            });
            return false;
          },
        );
        if (answered) continue;
      }
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
