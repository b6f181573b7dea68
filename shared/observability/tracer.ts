import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray through Powertools' Tracer, one per function (its service from POWERTOOLS_SERVICE_NAME).
 * On in Lambda when the stack's `tracing` context is on (the function's active tracing and
 * POWERTOOLS_TRACE_ENABLED); off elsewhere, by Powertools' own detection: the embedded stack and
 * the tests run the same code without sending a segment.
 */
const tracer = new Tracer();

/** An AWS SDK v3 client whose calls are subsegments (service, operation, latency, errors). */
export function traced<Client>(client: Client): Client {
  return tracer.captureAWSv3Client(client);
}

/**
 * Runs one invocation in its own `## handler` subsegment, annotated with the cold start and the
 * service, its error recorded: what Powertools' captureLambdaHandler does, for a handler that is
 * a plain function.
 */
export async function inHandlerSegment<Result>(run: () => Promise<Result>): Promise<Result> {
  if (!tracer.isTracingEnabled()) return run();
  const parent = tracer.getSegment();
  const segment = parent?.addNewSubsegment('## handler');
  if (segment) tracer.setSegment(segment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await run();
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    segment?.close();
    if (parent) tracer.setSegment(parent);
  }
}
