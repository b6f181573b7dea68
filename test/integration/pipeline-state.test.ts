import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE } from '../../shared/config/resources';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { ROOT, SIRET } from '../support/deposits';
import { hopDeposit } from '../support/embedded-deposits';
import { openKeptLevel, startEmbeddedTable } from '../support/embedded-table';

/**
 * `pipeline --state`: two runs (two processes, as two restarts) sharing one state folder keep the
 * registry, the avances and the numeroASP sequences.
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

/**
 * `traiter` on `drop` with the kept state `state`, in its own process: killed after 2 min at most
 * (a start that failed but left its emulators running would never exit).
 */
function traiter(drop: string, state: string, out: string) {
  return spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/segur-pipeline.js'),
      'traiter',
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
    { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
  );
}

async function run(drop: string, state: string): Promise<ResultMessage[]> {
  const out = await mkdtemp(join(tmpdir(), 'segur-state-out-'));
  const child = traiter(drop, state, out);
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

describe('the embedded S3 kept on disk', () => {
  /** The embedded stack on a kept state, idle: no sweeps, no mail. */
  const startOn = async (state: string) => {
    const { EmbeddedStack } = await import('../../local/embedded/embedded-stack');
    return EmbeddedStack.start({
      outDir: join(state, 'out'),
      graceSeconds: 900,
      sweepEverySeconds: 0,
      retryDelaySeconds: 1,
      recipients: [],
      stateDir: state,
    });
  };

  it('keeps any key (one too long as a file name too), ignores a half-written file, and reads every object back', async () => {
    const { GetObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { readdir, writeFile: write } = await import('node:fs/promises');
    const state = await mkdtemp(join(tmpdir(), 'segur-s3-state-'));
    const start = () => startOn(state);
    // 244 bytes as a name; URL-encoded (the earlier format) it was 720 characters: ENAMETOOLONG.
    const long = `bench/${'é'.repeat(122)}.pdf`;
    const keys = [long, 'bench/a.pdf', 'bench/b c+d.pdf'];
    const first = await start();
    for (const key of keys)
      await first.clients.s3.send(
        new PutObjectCommand({ Bucket: 'segur-depots', Key: key, Body: `contenu de ${key}` }),
      );
    await first.stop();
    const folder = join(state, 's3', 'segur-depots');
    // What a kill leaves at worst: a temporary file of an interrupted write, and a file that is no object.
    await write(join(folder, `${'0'.repeat(64)}.obj.123.tmp`), 'moitié');
    await write(join(folder, `${'f'.repeat(64)}.obj`), 'pas un objet');
    const second = await start();
    try {
      for (const key of keys) {
        const response = await second.clients.s3.send(
          new GetObjectCommand({ Bucket: 'segur-depots', Key: key }),
        );
        expect(await response.Body?.transformToString()).toBe(`contenu de ${key}`);
      }
    } finally {
      await second.stop();
    }
    const names = await readdir(folder);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(names.every((name) => name.length < 80)).toBe(true);
  });

  it('reads a state of the earlier format (URL-encoded names, a .next copy) and rewrites it', async () => {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const { mkdir: makeDir, readdir, writeFile: write } = await import('node:fs/promises');
    const state = await mkdtemp(join(tmpdir(), 'segur-s3-legacy-'));
    const folder = join(state, 's3', 'segur-depots');
    await makeDir(folder, { recursive: true });
    await makeDir(`${folder}.next`, { recursive: true });
    await write(join(folder, encodeURIComponent('depot/x/ancien.json')), 'ancien');
    await write(join(`${folder}.next`, encodeURIComponent('depot/x/neuf.json')), 'neuf');
    const stack = await startOn(state);
    try {
      for (const [key, body] of [
        ['depot/x/ancien.json', 'ancien'],
        ['depot/x/neuf.json', 'neuf'],
      ]) {
        const response = await stack.clients.s3.send(
          new GetObjectCommand({ Bucket: 'segur-depots', Key: key }),
        );
        expect(await response.Body?.transformToString()).toBe(body);
      }
    } finally {
      await stack.stop();
    }
    expect((await readdir(join(state, 's3'))).sort()).toEqual(['segur-depots', 'segur-retours']);
    expect((await readdir(folder)).every((name) => /^[0-9a-f]{64}\.obj$/.test(name))).toBe(true);
  });
});

describe('pipeline --state on a state the emulators cannot serve', () => {
  it('tells why and exits, leaving no emulator behind', async () => {
    const state = await mkdtemp(join(tmpdir(), 'segur-state-broken-'));
    const first = await startEmbeddedTable(join(state, 'dynamodb'));
    await first.stop();
    // A table in a state the start does not mend (being deleted): every request on it fails.
    const level = openKeptLevel(join(state, 'dynamodb'));
    const key = `table~${TABLE.name}`;
    await level.put(key, { ...((await level.get(key)) as object), TableStatus: 'DELETING' });
    await level.close();
    const out = await mkdtemp(join(tmpdir(), 'segur-state-out-'));
    const child = traiter(await dropFolder('600', ['Z0001']), state, out);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 2, signal: null });
    expect(child.stderr).toContain(`table DynamoDB ${TABLE.name} inutilisable (état DELETING)`);
  });
});
