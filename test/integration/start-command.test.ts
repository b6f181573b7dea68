import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../local/cli';
import { SIRET } from '../support/deposits';
import { hopDeposit, waitFor } from '../support/embedded-deposits';
import { SAMPLE_REFERENTIEL } from '../support/sample-referentiel';

/** `segur-pipeline demarrer` (`npm start`): a watched folder, a deposit dropped in it, its outputs mirrored. */
describe('segur-pipeline demarrer', () => {
  it('uploads what is dropped in the watched folder and mirrors the verdict, then stops cleanly', async () => {
    const root = await mkdtemp(join(tmpdir(), 'segur-start-'));
    const drop = join(root, 'drop');
    const out = join(root, 'out');
    // A previous run's leftovers: cleared at start, and said so.
    await mkdir(join(out, 'retour', 'ancien'), { recursive: true });
    await writeFile(join(out, 'retour', 'ancien', 'vieux.json'), '{}');
    await writeFile(join(out, 'notes-personnelles.txt'), 'à garder');
    let stdout = '';
    let stderr = '';
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const running = (async () => {
      // The command's own code path, with the test in place of Ctrl-C.
      const { runStart } = await import('../../local/pipeline-command');
      return runStart(
        [
          '--drop',
          drop,
          '--out',
          out,
          '--state',
          join(root, 'state'),
          // The deposit is complete: it is judged when both files are in, whatever the grace period.
          '--grace',
          '600',
          '--referentiel',
          SAMPLE_REFERENTIEL,
          '--port-simulateur',
          '0',
        ],
        {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          colour: false,
        },
        stopped,
      );
    })();
    await waitFor('the stack running', async () => stdout.includes('Pile embarquée en marche'));
    expect(stdout).toContain(`Sortie précédente effacée dans ${out} : retour.`);
    expect(existsSync(join(out, 'notes-personnelles.txt'))).toBe(true);
    // The simulator is served at the printed address, with its security headers.
    const address =
      /Simulateur de dépôt \(dans le navigateur, hors ligne\) : (http:\/\/127\.0\.0\.1:\d+\/)/.exec(
        stdout,
      )?.[1];
    expect(address).toBeDefined();
    const page = await fetch(address as string);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('Simulateur de dépôt Ségur numérique');
    expect((await fetch(address as string, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${address}ailleurs`)).status).toBe(404);

    const deposit = await hopDeposit('001', ['10001', '10002']);
    const folder = join(drop, SIRET, 'avance');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${deposit.name}.zip`), deposit.zip);
    await writeFile(join(folder, `${deposit.name}.json`), deposit.json);

    const returns = join(out, 'retour', SIRET, 'avance');
    const report = await waitFor(
      'the report mirrored to out/retour',
      async () =>
        (await readFile(join(returns, `${deposit.name}.rapport.json`), 'utf8').catch(() => '')) || false,
      60_000,
    );
    expect(JSON.parse(report).summary).toMatchObject({ lines: 2, accepted: 2, rejected: 0 });
    const annotated = JSON.parse(await readFile(join(returns, `${deposit.name}.json`), 'utf8'));
    expect(annotated.lignesImport.map((line: { codeTraitement: string }) => line.codeTraitement)).toEqual([
      '0000',
      '0000',
    ]);
    // The operator's copy and the vendor's own mail, as the SIRET's subscription would get it.
    const mails = await waitFor('both mails written', async () => {
      const names = await readdir(join(out, 'mail')).catch(() => [] as string[]);
      return names.length >= 2 ? names : false;
    });
    const recipients = await Promise.all(
      mails.map(async (name) => /^To: <(.*)>$/m.exec(await readFile(join(out, 'mail', name), 'utf8'))?.[1]),
    );
    expect(recipients.sort()).toEqual(['editeur-88558855858745@localhost', 'operateur@asp.localhost']);
    stop();
    expect(await running).toBe(0);
    expect(stdout).toContain('Arrêt demandé : les derniers retours sont copiés, puis la pile s’arrête.\n');
    expect(stdout).toMatch(
      /Pile embarquée arrêtée : 1 résultat\(s\) pendant cette session ; retours dans .*\/retour\/, courriels dans .*\/mail\/, état conservé dans .*state\.\n$/,
    );
    expect(stdout).toContain(`déposé : depot/${SIRET}/avance/${deposit.name}.json`);
    expect(stdout).toContain(`✔ ${deposit.name}.json : HOP-DPI-avance — 2 acceptée(s), 0 rejetée(s)`);
    expect(existsSync(join(out, 'retour', 'ancien'))).toBe(false);
    expect(stderr).toBe('');
  });

  it('is also reachable under its former name, with French option errors', async () => {
    let stderr = '';
    const code = await main(['start', '--bogus'], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('option inconnue --bogus pour demarrer');
  });
});
