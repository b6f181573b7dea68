/**
 * Faults, as opposed to findings: something outside the vendor's deposit failed (a read denied, a
 * service down). Findings are data and end as verdicts; faults are thrown, retried by the
 * pipeline, and past a limit land in a dead-letter queue.
 */
export class PipelineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A ranged read of a stored object failed (denied, throttled, connection reset…). */
export class SourceReadError extends PipelineError {}
