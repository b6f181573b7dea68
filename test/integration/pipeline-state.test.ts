import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { ROOT, SIRET } from '../support/deposits';
import { hopDeposit } from '../support/embedded-deposits';

/**
 * `pipeline --state`: two runs (two processes, as two restarts) sharing one state folder keep the
 * registry, the avances and the numeroASP sequences (issue 9).
 */
async function dropFolder(fileNumber: string, editeurs: readonly string[]): Promise<string> {
  const drop = await mkdtemp(join(tmpdir(), 'segur-state-drop-'));
  const folder = join(drop, SIRET, 'avance');
  await mkdir(folder, { recursive: true });
  const deposit = await hopDeposit(fileNumber, editeurs);
  await writeFile(join(folder, `${deposit.name}.json`), deposit.json);
  await writeFile(join(folder, `${deposit.name}.zip`), deposit.zip);
  return drop;
}

async function run(drop: string, state: string): Promise<ResultMessage[]> {
  const out = await mkdtemp(join(tmpdir(), 'segur-state-out-'));
  const child = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/segur-pipeline.js'),
      'pipeline',
      drop,
      '--out',
      out,
      '--state',
      state,
      '--referentiel',
      join(ROOT, 'events/referentiel.json'),
      '--timeout',
      '60',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (child.status !== 0) throw new Error(`pipeline : ${child.status} ${child.stderr}`);
  expect(child.stdout).toContain(`État conservé dans ${state}`);
  return JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as ResultMessage[];
}

describe('pipeline --state', () => {
  it('keeps the registry and the numeroASP sequence across runs', async () => {
    const state = await mkdtemp(join(tmpdir(), 'segur-state-'));
    const [first] = await run(await dropFolder('001', ['K0001', 'K0002']), state);
    expect(first?.lines.map((line) => line.codeTraitement)).toEqual(['0000', '0000']);
    const given = first?.lines.map((line) => line.numeroASP) ?? [];

    const [second] = await run(await dropFolder('002', ['K0001', 'K0003']), state);
    expect(second?.lines.map((line) => line.codeTraitement)).toEqual(['2031', '0000']);
    expect(second?.lines[0]?.libelleTraitement).toContain('JSON-1234567890-20220315-001.json');
    const next = second?.lines[1]?.numeroASP;
    expect(next).toMatch(/^FINHOP\d{6}$/);
    expect(given).not.toContain(next);
  });
});
