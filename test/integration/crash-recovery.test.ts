import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../shared/adapters/fault-injection';
import { ROOT, SIRET } from '../support/deposits';
import { hopDeposit } from '../support/embedded-deposits';
import { SAMPLE_REFERENTIEL } from '../support/sample-referentiel';

/**
 * A crash at any moment loses nothing: `traiter --state` is killed (SIGKILL, the whole process
 * group: the stack, its S3 and its DynamoDB) at seeded random points of its runs while deposits keep
 * coming, then run once to the end. After that, on the kept state: every deposit judged, with its
 * returns and its email; no numeroASP given twice; each numeroEditeur accepted exactly once (none
 * used up by a judgement the crash cut short); no deposit refused as a replacement of itself.
 */
const KILLS = 20;
const BIN = join(ROOT, 'bin/segur-pipeline.js');

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One `traiter` run in its own process group; killed after `killAfterMs` when given. */
function traiter(drop: string, state: string, out: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'traiter',
        drop,
        '--state',
        state,
        '--out',
        out,
        '--referentiel',
        SAMPLE_REFERENTIEL,
        '--timeout',
        '120',
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SEGUR_LOG_FILE: join(out, 'pipeline.log') },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            try {
              process.kill(-(child.pid as number), 'SIGKILL');
            } catch {
              // Already gone: the run ended before its kill.
            }
          }, killAfterMs);
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('a crash at any moment loses nothing (traiter --state, SIGKILL)', () => {
  it(`judges every deposit once, with its returns, its email and unique numbers, after ${KILLS} kills`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'segur-crash-'));
    const drop = join(root, 'drop');
    const folder = join(drop, SIRET, 'avance');
    await mkdir(folder, { recursive: true });
    const state = join(root, 'state');
    const random = seededRandom(20261203);
    const deposits: Array<{ name: string; id: string; numero: string; reuses: boolean }> = [];
    const add = async (fileNumber: number, numero: string, reuses: boolean) => {
      const deposit = await hopDeposit(String(fileNumber), [numero]);
      await writeFile(join(folder, `${deposit.name}.zip`), deposit.zip);
      await writeFile(join(folder, `${deposit.name}.json`), deposit.json);
      deposits.push({ name: deposit.name, id: deposit.id, numero, reuses });
    };

    const runs: Run[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      // New deposits keep coming: a fresh number each time, and now and then one already used.
      await add(100 + deposits.length, `C${String(kill).padStart(2, '0')}01`, false);
      if (kill % 3 === 2) await add(100 + deposits.length, `C${String(kill - 1).padStart(2, '0')}01`, true);
      runs.push(await traiter(drop, state, join(root, `out-${kill}`), 300 + Math.floor(random() * 3200)));
    }
    const last = await traiter(drop, state, join(root, 'out-final'));
    // What the run printed comes with a failure: a crash recovery that fails must say why.
    expect({ code: last.code, stderr: last.code === 0 ? '' : last.stderr }).toEqual({ code: 0, stderr: '' });
    // Most runs were cut short: the kills did land during the work, not only after it.
    expect(runs.filter((run) => run.signal === 'SIGKILL').length).toBeGreaterThanOrEqual(KILLS / 2);

    // Every deposit judged, its returns in the kept state (mirrored by the last run).
    const returned = join(root, 'out-final', 'retour', SIRET, 'avance');
    const annotated = new Map<
      string,
      { lignesImport: Array<{ codeTraitement: string; numeroASP: string | null; numeroEditeur: string }> }
    >();
    for (const deposit of deposits) {
      const text = await readFile(join(returned, `${deposit.name}.json`), 'utf8');
      annotated.set(deposit.name, JSON.parse(text));
      await expect(readFile(join(returned, `${deposit.name}.rapport.json`), 'utf8')).resolves.toContain(
        '"file"',
      );
    }
    // Never a refusal of a deposit as the replacement of itself, never a technical rejection.
    const refusals = (await filesUnder(returned)).filter((path) => path.endsWith('.refus.json'));
    expect(refusals).toEqual([]);

    // Each number accepted exactly once; a reused one refused (2031); numeroASP never given twice.
    const lines = [...annotated.values()].flatMap((file) => file.lignesImport);
    const acceptedByNumber = new Map<string, number>();
    for (const line of lines)
      if (line.codeTraitement === '0000')
        acceptedByNumber.set(line.numeroEditeur, (acceptedByNumber.get(line.numeroEditeur) ?? 0) + 1);
    const numbers = new Set(deposits.map((deposit) => deposit.numero));
    expect([...numbers].filter((numero) => acceptedByNumber.get(numero) !== 1)).toEqual([]);
    expect(lines.filter((line) => line.codeTraitement !== '0000').map((line) => line.codeTraitement)).toEqual(
      deposits.filter((deposit) => deposit.reuses).map(() => '2031'),
    );
    const asp = lines.flatMap((line) => (line.numeroASP ? [line.numeroASP] : []));
    expect(new Set(asp).size).toBe(asp.length);
    expect(asp).toHaveLength(numbers.size);

    // Every judged submission's email went out, in one run or another.
    const mails = await Promise.all(
      (await filesUnder(root)).filter((path) => path.endsWith('.eml')).map((path) => readFile(path, 'utf8')),
    );
    const mailed = deposits.filter((deposit) =>
      mails.some((mail) => mail.includes(`Référence de la soumission : ${deposit.id}`)),
    );
    expect(mailed.map((deposit) => deposit.name)).toEqual(deposits.map((deposit) => deposit.name));
  });
});
