import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The functions' JSON logs and EMF metrics go to a file, as in the embedded stack, unless a test
// names its own (to read it): the test output stays the tests' own.
process.env.SEGUR_LOG_FILE ??= join(tmpdir(), `segur-test-functions-${process.pid}.log`);
