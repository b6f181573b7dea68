import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../local/pipeline-command';

/** `npm run pipeline` when the pipeline itself fails: a judge that crashes on every message. */
describe('npm run pipeline', () => {
  it('exits 1 and says so when a message lands in a dead-letter queue', async () => {
    const target = await mkdtemp(join(tmpdir(), 'segur-run-'));
    let stderr = '';
    const crash = {
      wrapHandler: (name: string, handler: never) =>
        name === 'judge' ? async () => Promise.reject(new Error('panne')) : handler,
    };
    const code = await runPipeline(
      ['events/drop', '--out', target, '--referentiel', 'events/referentiel.json', '--timeout', '60'],
      { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, colour: false },
      crash as never,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/message\(s\) en file de lettres mortes : judge \d+/);
  });
});
