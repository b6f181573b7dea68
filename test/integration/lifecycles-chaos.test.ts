import { describeLifecycles } from './lifecycle-scenarios';

/** The same scenarios under `--chaos`: late, reordered and doubled events, parallel judges, throttling. */
describeLifecycles(true);
