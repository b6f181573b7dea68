import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedOptions, EmbeddedStack } from '../../local/embedded/embedded-stack';
import { waitFor } from './embedded-deposits';
import { sampleReferentielBytes } from './sample-referentiel';

export interface EmbeddedStackFixture {
  /** The running stack (from the suite's beforeAll on). */
  readonly stack: EmbeddedStack;
  /** The suite's own temporary folder: the stack's mail/ and the log are there. */
  readonly dir: string;
  /** Resolves once every event is delivered and every message handled. */
  idle(): Promise<void>;
  /**
   * Ends a submission's grace period once its JSON (and the zips named) are recorded: the sweeper
   * judges what is there, as its schedule would after the grace period.
   */
  endGracePeriod(submissionId: string, zips?: readonly string[]): Promise<void>;
}

export type FixtureOptions = Partial<Omit<EmbeddedOptions, 'outDir'>> & {
  /** The référentiel put before the first test; the sample's by default. */
  readonly referentiel?: () => Uint8Array | Promise<Uint8Array>;
};

/**
 * One embedded stack for a test file, started in beforeAll and stopped in afterAll. Its defaults
 * take the clock out of the verdicts: no grace period runs out and no sweep starts unless the test
 * says so (`stack.sweepNow()`), failed messages come back at once, and nobody is mailed.
 */
export function useEmbeddedStack(prefix: string, options: FixtureOptions = {}): EmbeddedStackFixture {
  let stack: EmbeddedStack | undefined;
  let dir: string | undefined;
  const { referentiel = sampleReferentielBytes, ...stackOptions } = options;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `segur-${prefix}-`));
    process.env.SEGUR_LOG_FILE = join(dir, 'pipeline.log');
    stack = await EmbeddedStack.start({
      graceSeconds: 0,
      sweepEverySeconds: 0,
      retryDelaySeconds: 0,
      recipients: [],
      ...stackOptions,
      outDir: dir,
    });
    await stack.putReferentiel(await referentiel());
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('la pile embarquée n’est pas démarrée (beforeAll)');
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get dir() {
      return started(dir);
    },
    async idle() {
      await waitFor('pile au repos', async () =>
        (await started(stack).pendingWork()) === 0 ? true : undefined,
      );
    },
    async endGracePeriod(submissionId, zips = []) {
      await waitFor(`arrivée de ${submissionId} enregistrée`, async () => {
        const submission = await started(stack).store.getSubmission(submissionId);
        return submission?.json !== undefined && zips.every((zip) => zip in submission.zips);
      });
      await started(stack).sweepNow();
    },
  };
}
