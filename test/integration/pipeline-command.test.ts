import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../local/pipeline-command';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { SIRET } from '../support/deposits';

/**
 * `npm run pipeline` on the sample drop folder (one run per test file: the handlers of a process
 * are loaded once, for one embedded stack).
 */
describe('npm run pipeline', () => {
  it('runs the sample drop folder, writes summary.json and the mirrored retour/, and exits 0', async () => {
    const target = await mkdtemp(join(tmpdir(), 'segur-run-'));
    let stdout = '';
    const code = await runPipeline(
      ['events/drop', '--out', target, '--referentiel', 'events/referentiel.json', '--timeout', '60'],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        colour: false,
      },
    );
    expect(code).toBe(0);
    const summary = JSON.parse(await readFile(join(target, 'summary.json'), 'utf8')) as ResultMessage[];
    expect(summary.map((result) => [result.fileName, result.rejected])).toHaveLength(4);
    expect(summary.every((result) => result.status === 'processed' && result.rejected === 0)).toBe(true);
    expect(await readdir(join(target, 'retour', SIRET, 'solde'))).toContain(
      'JSON-2345678901-20230920-001.json',
    );
    expect(stdout).toContain('4 soumission(s) jugée(s)');
  });
});

describe('npm run pipeline with a bad référentiel', () => {
  it('refuses it in one line before starting anything', async () => {
    let stderr = '';
    const { main } = await import('../../local/cli');
    const code = await main(['pipeline', 'events/drop', '--referentiel', 'package.json'], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'segur-pipeline : référentiel « package.json » invalide : referencements est obligatoire\n',
    );
  });
});
