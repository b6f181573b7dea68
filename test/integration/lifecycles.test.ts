import { describeLifecycles } from './lifecycle-scenarios';

/** The lifecycle scenarios delivered in order, once, as the embedded stack does by default. */
describeLifecycles(false);
