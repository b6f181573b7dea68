import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray through Powertools' Tracer, one per function (its service from POWERTOOLS_SERVICE_NAME).
 * On in Lambda when the stack's `tracing` context is on (the function's active tracing and
 * POWERTOOLS_TRACE_ENABLED); off elsewhere: the embedded stack and the tests run the same code
 * without sending a segment.
 *
 * Loaded only where tracing can be on. Loading the Tracer loads X-Ray's SDK, whose context
 * (cls-hooked) installs an async hook with destroy tracking on every promise of the process, used
 * or not: over a quarter of the CPU of a zip's 200 ranged reads, 8 % of the embedded pipeline's.
 * Outside Lambda (AWS_EXECUTION_ENV unset) or with POWERTOOLS_TRACE_ENABLED=false, Powertools would
 * turn tracing off anyway: there the module is not loaded at all.
 */
const tracer: Tracer | undefined = tracingCanBeOn()
  ? // require(), not import: loaded on demand, so that nothing of X-Ray loads elsewhere.
    new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer()
  : undefined;

/** In Lambda, unless the stack turned tracing off: where Powertools itself could turn it on. */
function tracingCanBeOn(): boolean {
  const inLambda = (process.env.AWS_EXECUTION_ENV ?? '') !== '';
  return inLambda && process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

/** An AWS SDK v3 client whose calls are subsegments (service, operation, latency, errors). */
export function traced<Client>(client: Client): Client {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * Runs one invocation in its own `## handler` subsegment, annotated with the cold start and the
 * service, its error recorded: what Powertools' captureLambdaHandler does, for a handler that is
 * a plain function.
 */
export async function inHandlerSegment<Result>(run: () => Promise<Result>): Promise<Result> {
  if (!tracer?.isTracingEnabled()) return run();
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
