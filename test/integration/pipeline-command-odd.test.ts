import { copyFile, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../local/cli';
import { runPipeline } from '../../local/pipeline-command';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { ROOT, SAMPLES, SIRET } from '../support/deposits';

/** `npm run pipeline` on a drop folder of odd files: each gets an outcome or a word, none aborts the run. */
describe('npm run pipeline on odd files', () => {
  it('reports what it skips, answers every other file, and always writes summary.json', async () => {
    const drop = await mkdtemp(join(tmpdir(), 'segur-odd-drop-'));
    const folder = join(drop, SIRET, 'avance');
    await mkdir(folder, { recursive: true });
    const sample = join(ROOT, SAMPLES['MDV-LGC-avance']);
    await copyFile(sample, join(folder, 'JSON-3456789012-20221104-001.json'));
    await copyFile(sample.replace(/\.json$/, '.zip'), join(folder, 'JSON-3456789012-20221104-001.zip'));
    await writeFile(join(folder, '.brouillon.json'), '{}');
    await symlink(sample, join(folder, 'lien.json'));
    await writeFile(join(folder, 'notes.txt'), 'à lire');
    await writeFile(join(folder, 'JSON-3456789012-20221104-😀.json'), '{}');
    await writeFile(join(folder, 'JSON-3456789012-20221104-\r.json'), '{}');
    const out = await mkdtemp(join(tmpdir(), 'segur-odd-out-'));
    let stdout = '';
    let stderr = '';
    const code = await runPipeline(
      [drop, '--out', out, '--referentiel', 'events/referentiel.json', '--timeout', '60'],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        colour: false,
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`ignoré : ${join(folder, '.brouillon.json')} (fichier ou dossier caché`);
    expect(stdout).toContain(`ignoré : ${join(folder, 'lien.json')} (lien symbolique, non suivi)`);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as ResultMessage[];
    const byName = new Map(summary.map((result) => [result.fileName, result]));
    expect(byName.get('JSON-3456789012-20221104-001.json')).toMatchObject({
      outcome: 'jugement',
      rejected: 0,
    });
    expect(byName.get('notes.txt')).toMatchObject({ outcome: 'refus' });
    expect(byName.get('JSON-3456789012-20221104-😀.json')?.fileErrors.map((error) => error.code)).toContain(
      '1030',
    );
    expect(byName.get('JSON-3456789012-20221104-\\u000d.json')?.status).toBe('rejected');
    expect(summary).toHaveLength(4);
    expect(stdout).toContain('✘');
    expect(stdout).toContain('refusé');
  });

  it.each([
    ['pipeline', 'events/drop', '--timeout', 'abc'],
    ['start', '--grace', 'abc'],
  ])('refuses a number of seconds that is not one (%s)', async (...args) => {
    let stderr = '';
    const code = await main(args, {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/attend un nombre de secondes positif \(reçu « abc »\)/);
  });
});
