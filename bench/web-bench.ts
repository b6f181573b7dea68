import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../local/project-root';
import { SIMULATOR_DIR, serveSimulator } from '../local/web-server';
import { launchChromium } from '../test/support/chromium';
import { hopDeposit } from '../test/support/embedded-deposits';
import { writeZipWithFiller } from '../test/support/zips';
import { formatTable } from './measure';

/**
 * Issue 13's figures: the simulator's page size (target < 500 KB gzipped), a 200-line deposit
 * with a 200 Mo zip checked in headless Chromium (time, bytes of the zip read, the page's JS heap),
 * and the segur-controle package installed (target < 5 MB).
 */
const ROOT = projectRoot();

function sizeOf(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function runWebBench(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'segur-web-bench-'));
  try {
    const page = readFileSync(join(SIMULATOR_DIR, 'index.html'));
    const rows: Array<Record<string, string>> = [
      {
        what: 'simulator page (dist/web/index.html)',
        figure: `${kb(page.length)}, ${kb(gzipSync(page).length)} gzipped`,
      },
    ];

    const packed = execFileSync(
      'npm',
      ['pack', join(ROOT, 'packages/segur-controle'), '--pack-destination', work],
      {
        encoding: 'utf8',
      },
    );
    const tarball = join(work, packed.trim().split('\n').pop() as string);
    const project = join(work, 'projet');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"bench","private":true}\n');
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--offline', tarball], {
      cwd: project,
    });
    rows.push({
      what: 'segur-controle installed (npm install --omit=dev)',
      figure: `${kb(sizeOf(join(project, 'node_modules')))}, ${readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.')).length} package(s)`,
    });

    const editeurs = Array.from({ length: 200 }, (_, index) => `C${String(index + 1).padStart(4, '0')}`);
    const deposit = await hopDeposit('401', editeurs);
    const json = join(work, `${deposit.name}.json`);
    const zip = join(work, `${deposit.name}.zip`);
    writeFileSync(json, deposit.json);
    await writeZipWithFiller(zip, deposit.documents, 199 * 1024 * 1024);
    const [browser, server] = await Promise.all([launchChromium(), serveSimulator()]);
    try {
      const tab = await browser.newPage();
      const requests: string[] = [];
      tab.on('request', (request) => requests.push(request.url()));
      await tab.goto(server.url);
      const cdp = await tab.context().newCDPSession(tab);
      await cdp.send('Performance.enable');
      const heap = async () =>
        (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'JSHeapUsedSize')
          ?.value ?? 0;
      const before = await heap();
      await tab.setInputFiles('#depot', json);
      await tab.setInputFiles('#zips', zip);
      const started = Date.now();
      await tab.click('#controler');
      await tab.waitForSelector('body[data-state="fini"]', { timeout: 120_000 });
      const elapsed = Date.now() - started;
      const after = await heap();
      const read = Number(await tab.getAttribute('body', 'data-zip-bytes-read'));
      rows.push({
        what: `200 lines + ${mb(statSync(zip).size)} zip in Chromium`,
        figure: `${(await tab.textContent('#verdict'))?.trim()} ${elapsed} ms, ${read} bytes of the zip read (${((read / statSync(zip).size) * 100).toFixed(3)} %), JS heap ${mb(before)} → ${mb(after)}, ${requests.length - 1} request(s) beyond the page`,
      });
    } finally {
      await browser.close();
      await server.close();
    }
    return formatTable(rows);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
