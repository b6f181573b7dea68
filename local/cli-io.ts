/** What a command may touch of the outside world, so that tests run it in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Colour the text output (stdout is a terminal and NO_COLOR is unset). */
  readonly colour: boolean;
}

/** A wrong command line or an unreadable input: one line on stderr, exit status 2, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
