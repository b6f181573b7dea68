import asyncHooks from 'node:async_hooks';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * X-Ray: the functions' clients are traced in Lambda when the stack turns tracing on, and left
 * as they are elsewhere (the embedded stack, the tests) or when the context turns it off.
 */
type TracerModule = typeof import('../../../shared/observability/tracer');

function tracerIn(environment: Record<string, string | undefined>): TracerModule {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete process.env[name];
  try {
    let loaded: TracerModule | undefined;
    jest.isolateModules(() => {
      loaded = require('../../../shared/observability/tracer') as TracerModule;
    });
    return loaded as TracerModule;
  } finally {
    process.env = saved;
  }
}

const middlewareOf = (client: S3Client) => client.middlewareStack.identify().join(' ');

describe('traced', () => {
  const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_SERVICE_NAME: 'judge' };

  it('instruments an SDK client in Lambda with tracing on', () => {
    const { traced } = tracerIn({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' });
    expect(middlewareOf(traced(new S3Client({ region: 'eu-west-3' })))).toMatch(/XRay/i);
  });

  it('leaves it alone when the stack turns tracing off, and outside Lambda', async () => {
    const off = tracerIn({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' });
    expect(middlewareOf(off.traced(new S3Client({ region: 'eu-west-3' })))).not.toMatch(/XRay/i);
    const embedded = tracerIn({ AWS_EXECUTION_ENV: undefined, POWERTOOLS_TRACE_ENABLED: 'true' });
    expect(middlewareOf(embedded.traced(new S3Client({ region: 'eu-west-3' })))).not.toMatch(/XRay/i);
    // And a handler runs as it is, its result and its errors untouched.
    await expect(embedded.inHandlerSegment(async () => 42)).resolves.toBe(42);
    await expect(
      embedded.inHandlerSegment(async () => {
        throw new Error('panne');
      }),
    ).rejects.toThrow('panne');
  });

  it('loads nothing of X-Ray where tracing is off: no async hook on every promise', async () => {
    // X-Ray's SDK installs its context's hook (init, destroy…) when it loads, used or not.
    const createHook = jest.spyOn(asyncHooks, 'createHook');
    const withDestroy = () => createHook.mock.calls.filter(([hooks]) => hooks.destroy !== undefined).length;
    try {
      for (const environment of [
        { AWS_EXECUTION_ENV: undefined, POWERTOOLS_TRACE_ENABLED: undefined },
        { ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' },
      ]) {
        const tracer = tracerIn(environment);
        tracer.traced(new S3Client({ region: 'eu-west-3' }));
        await tracer.inHandlerSegment(async () => 1);
      }
      expect(withDestroy()).toBe(0);
      // Where tracing is on, it is X-Ray's (what the test would see if it loaded elsewhere).
      tracerIn({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' }).traced(new S3Client({ region: 'eu-west-3' }));
      expect(withDestroy()).toBeGreaterThan(0);
    } finally {
      createHook.mockRestore();
    }
  });
});
