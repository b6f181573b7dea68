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

/**
 * The référentiel is absent, unreadable or invalid: nothing is judged without it. Not retried as a
 * fault of one submission: the submissions wait (with this reason) and are judged once it is
 * published; the operators are alarmed at once.
 */
export class ReferentielUnavailable extends PipelineError {
  constructor(
    readonly reason: 'absent' | 'illisible' | 'invalide',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
