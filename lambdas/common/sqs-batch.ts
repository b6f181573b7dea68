import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { FunctionLogger } from '../../shared/observability/logger';
import { inHandlerSegment } from '../../shared/observability/tracer';

/**
 * An SQS handler with partial batch failures, by Powertools' batch processing: each record is
 * handled on its own; one that throws is logged (with its stack) and reported in
 * `batchItemFailures`, so that only it comes back and, past maxReceiveCount, reaches the
 * dead-letter queue. Records are handled one after the other (a judgement's memory stays one
 * judgement's), and a batch that failed whole is answered as failures, not thrown: the pipeline's
 * own metrics raise the alarms, and a function error stays the sign of a crash.
 */
export function sqsBatchHandler(
  logger: FunctionLogger,
  failureMessage: string,
  handleRecord: (record: SQSRecord) => Promise<void>,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    // One processor per invocation: it keeps the batch's state, and the embedded stack runs several
    // invocations of one function at once in one process.
    const processor = new BatchProcessor(EventType.SQS);
    return inHandlerSegment(() =>
      processPartialResponse(
        event,
        async (record: SQSRecord) => {
          try {
            await handleRecord(record);
          } catch (error) {
            logger.error(failureMessage, { messageId: record.messageId, error });
            throw error;
          }
        },
        processor,
        { context, processInParallel: false, throwOnFullBatchFailure: false },
      ),
    );
  };
}
