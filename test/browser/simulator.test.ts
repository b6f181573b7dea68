import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadReferentiel } from '../../local/check-command';
import { NO_COLOUR, renderText } from '../../local/text-report';
import { serveSimulator } from '../../local/web-server';
import { LocalFileSource } from '../../shared/adapters/byte-range-source';
import { PROFILES } from '../../shared/domain/profiles';
import { depositSchema } from '../../shared/domain/schema/deposit-schema';
import { checkUpload } from '../../shared/pipeline/check-upload';
import { launchChromium } from '../support/chromium';
import { ROOT } from '../support/deposits';
import { hopDeposit } from '../support/embedded-deposits';
import { writeZipWithFiller } from '../support/zips';

/**
 * The deposit simulator in headless Chromium, served as `demarrer` serves it: the same verdicts and
 * the same French text as `controler`, the report, the downloads, a 200 Mo zip read by ranges with
 * the page's memory bounded, and not one request beyond the page itself.
 */
const SCREENSHOTS = join(ROOT, 'test-output');
const MDV = join(ROOT, 'events/drop/88558855858745/avance/JSON-3456789012-20221104-001');
let browser: Browser;
let server: Awaited<ReturnType<typeof serveSimulator>>;
let work: string;

beforeAll(async () => {
  [browser, server, work] = await Promise.all([
    launchChromium(),
    serveSimulator(),
    mkdtemp(join(tmpdir(), 'segur-simulateur-')),
  ]);
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

/** The few DOM constructors a simulated drop needs. */
interface BrowserDrop {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
  DragEvent: new (type: string, init: { dataTransfer: unknown; bubbles: boolean }) => unknown;
  document: { getElementById(id: string): { dispatchEvent(event: unknown): boolean } | null };
}

interface Opened {
  page: Page;
  requests: string[];
  problems: string[];
}

async function open(): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(server.url);
  return { page, requests, problems };
}

async function check(page: Page, deposit: string, zips: string[], referentiel?: string): Promise<void> {
  // The files of an earlier check are removed first, as a vendor would.
  while ((await page.locator('button.retirer').count()) > 0)
    await page.locator('button.retirer').first().click();
  await page.setInputFiles('#depot', deposit);
  await page.setInputFiles('#zips', zips);
  if (referentiel) await page.setInputFiles('#referentiel', referentiel);
  await page.click('#controler');
  await page.waitForSelector('body[data-state="fini"], body[data-state="erreur"]', { timeout: 60_000 });
}

/** What `controler` prints for the same files, without colour: the page must say the same. */
async function cliText(deposit: string, zips: string[], referentielPath?: string): Promise<string> {
  const bytes = await readFile(deposit);
  const sources = await Promise.all(zips.map((zip) => LocalFileSource.open(zip)));
  const referentiel = referentielPath ? await loadReferentiel(referentielPath) : undefined;
  const checked = await checkUpload({
    bytes,
    totalBytes: bytes.length,
    fileName: deposit.split('/').pop() as string,
    zips: sources,
    referentiel,
    now: new Date(),
  });
  await Promise.all(sources.map((source) => source.close()));
  return renderText(checked.outputs.verdict, NO_COLOUR, {
    stats: `Statistiques : ${checked.stats.zipBytesRead} octets de .zip lus sur ${checked.stats.zipBytesTotal}`,
    declaredAttachments: checked.declaredAttachments,
    zipsGiven: zips.length > 0,
  });
}

describe('the deposit simulator in Chromium', () => {
  it('says it sends nothing, and its policy refuses any connection', async () => {
    const { page, requests } = await open();
    await expect(page.textContent('#hors-ligne')).resolves.toContain("Rien n'est envoyé");
    const refused = await page.evaluate(() =>
      fetch('http://127.0.0.1:9/').then(
        () => 'envoyé',
        () => 'refusé',
      ),
    );
    expect(refused).toBe('refusé');
    expect(requests).toEqual([server.url]);
    await page.close();
  });

  it('offers each profile’s JSON Schema, the same as controler --schema prints, without a request', async () => {
    const { page, requests, problems } = await open();
    await expect(page.locator('#schemas a').count()).resolves.toBe(4);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[download="MDV-LGC-avance.schema.json"]'),
    ]);
    const saved = JSON.parse(await readFile((await download.path()) as string, 'utf8'));
    expect(saved).toEqual(depositSchema(PROFILES['MDV-LGC-avance']).schema);
    expect(problems).toEqual([]);
    expect(requests).toEqual([server.url]);
    await page.close();
  });

  it('accepts the sample deposit with its zip and référentiel, as controler does, with the report and downloads', async () => {
    const { page, requests, problems } = await open();
    const args = [`${MDV}.json`, [`${MDV}.zip`], join(ROOT, 'events/referentiel.json')] as const;
    await check(page, args[0], [...args[1]], args[2]);
    await expect(page.textContent('#verdict')).resolves.toBe(
      '✔ 2 demande(s) acceptée(s), 0 rejetée(s) sur 2.',
    );
    expect(await page.textContent('#texte')).toBe(await cliText(args[0], [...args[1]], args[2]));
    // The result read in the page, not in a frame: the summary, the accepted lines folded.
    await expect(page.textContent('.cartes .resume')).resolves.toMatch(
      /^2 demande\(s\) : 2 acceptée\(s\), 0 rejetée\(s\)(, \d+ avertissement\(s\) sans effet sur le verdict)?\.$/,
    );
    await expect(page.locator('#rapport').count()).resolves.toBe(0);
    await expect(page.locator('details.acceptees summary').textContent()).resolves.toBe(
      '2 demande(s) acceptée(s)',
    );
    await expect(page.locator('details.acceptees').getAttribute('open')).resolves.toBeNull();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[download="JSON-3456789012-20221104-001.rapport.json"]'),
    ]);
    const saved = JSON.parse(await readFile((await download.path()) as string, 'utf8'));
    expect(saved).toMatchObject({ status: 'processed', summary: { lines: 2, accepted: 2, rejected: 0 } });
    await expect(page.locator('a[download="JSON-3456789012-20221104-001.json"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'simulateur-accepte.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([server.url]);
    await page.close();
  });

  it('shows each error of a rejected deposit with its place and hint, word for word as controler', async () => {
    const { page, requests, problems } = await open();
    const deposit = join(ROOT, 'events/faulty/mdv-rpps-15-chiffres/JSON-3456789012-20221104-001.json');
    await check(page, deposit, [`${MDV}.zip`]);
    await expect(page.textContent('#verdict')).resolves.toMatch(
      /^✘ 0 demande\(s\) acceptée\(s\), 1 rejetée\(s\)|^◐/,
    );
    const text = (await page.textContent('#texte')) as string;
    expect(text).toBe(await cliText(deposit, [`${MDV}.zip`]));
    expect(text).toContain('erreur 2006');
    // One card per rejected line: each error's field, the value where it is, the message and what to do.
    const card = page.locator('.carte.ko').first();
    await expect(card.locator('h3').textContent()).resolves.toMatch(
      /^Ligne 1 \(n° éditeur \w+\) : rejetée, code 2006$/,
    );
    await expect(card.locator('li.erreur strong').first().textContent()).resolves.toBe(
      'erreur 2006 – beneficiaires.liberal[0].RPPS',
    );
    await expect(card.locator('mark').first().textContent()).resolves.toContain('888');
    await expect(card.locator('.afaire').first().textContent()).resolves.toMatch(/^À faire : \S/);
    // Rejected at control 1: the reports, and no annotated file.
    const broken = join(ROOT, 'events/faulty/fichier-virgule-manquante/JSON-3456789012-20221104-001.json');
    await check(page, broken, []);
    await expect(page.textContent('#verdict')).resolves.toMatch(/^✘ Fichier rejeté au contrôle 1/);
    expect(await page.textContent('#texte')).toBe(await cliText(broken, []));
    await expect(page.locator('a[download="JSON-3456789012-20221104-001.json"]').count()).resolves.toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'simulateur-rejet.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([server.url]);
    await page.close();
  });

  it('sorts files dropped together: the deposit, its zips and the référentiel', async () => {
    const { page, requests, problems } = await open();
    const files = [
      { name: 'JSON-3456789012-20221104-001.json', type: 'application/json', path: `${MDV}.json` },
      { name: 'JSON-3456789012-20221104-001.zip', type: 'application/zip', path: `${MDV}.zip` },
      { name: 'referentiel.json', type: 'application/json', path: join(ROOT, 'events/referentiel.json') },
    ];
    const payload = await Promise.all(
      files.map(async (file) => ({ ...file, base64: (await readFile(file.path)).toString('base64') })),
    );
    // A drop as the browser makes it (the page's own types: this file is compiled without the DOM's).
    await page.evaluate((dropped) => {
      const dom = globalThis as unknown as BrowserDrop;
      const transfer = new dom.DataTransfer();
      for (const file of dropped) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new dom.File([bytes], file.name, { type: file.type }));
      }
      dom.document
        .getElementById('zone')
        ?.dispatchEvent(new dom.DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
    }, payload);
    await expect(page.textContent('#referentiel-choisi .nom')).resolves.toBe('referentiel.json');
    await expect(page.textContent('#depot-choisi')).resolves.toContain('JSON-3456789012-20221104-001.json');
    await expect(page.textContent('#zips-choisis')).resolves.toContain('JSON-3456789012-20221104-001.zip');
    await page.click('#controler');
    await page.waitForSelector('body[data-state="fini"]');
    await expect(page.textContent('#verdict')).resolves.toBe(
      '✔ 2 demande(s) acceptée(s), 0 rejetée(s) sur 2.',
    );
    // With the référentiel, its checks were made: none is « non vérifié ».
    expect(await page.textContent('#texte')).not.toContain('non vérifié');
    expect(problems).toEqual([]);
    expect(requests).toEqual([server.url]);
    await page.close();
  });

  it('acknowledges every file: one it does not take with the reason, the same zip once, each removable', async () => {
    const { page, problems } = await open();
    const pdf = join(work, 'bon-de-commande.pdf');
    await writeFile(pdf, '%PDF-1.4\n%%EOF\n');
    await page.setInputFiles('#zips', [`${MDV}.zip`]);
    await page.setInputFiles('#zips', [`${MDV}.zip`, pdf]);
    await expect(page.locator('#zips-choisis li').count()).resolves.toBe(1);
    // A zip alone: the page says it waits for the deposit's JSON.
    await expect(page.textContent('#aide-controle')).resolves.toContain('Ajoutez le fichier JSON du dépôt');
    await expect(page.textContent('#zips-choisis')).resolves.toMatch(
      /JSON-3456789012-20221104-001\.zip \(\d+(,\d)? (o|Ko)\)/,
    );
    await expect(page.textContent('#refuses')).resolves.toContain(
      "bon-de-commande.pdf (15 o) : un fichier PDF n'est pas pris : le simulateur contrôle un fichier JSON de demandes et ses .zip",
    );
    await page.click('button[aria-label="Retirer bon-de-commande.pdf"]');
    await expect(page.locator('#refuses li').count()).resolves.toBe(0);
    await page.click('button[aria-label="Retirer JSON-3456789012-20221104-001.zip"]');
    await expect(page.locator('#zips-choisis li').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works with the keyboard alone, and the errors-only filter hides the accepted lines', async () => {
    const { page, problems } = await open();
    await page.setInputFiles(
      '#depot',
      join(ROOT, 'events/faulty/mdv-rpps-15-chiffres/JSON-3456789012-20221104-001.json'),
    );
    // Tab to the button, Enter: the check runs.
    for (let presses = 0; presses < 12; presses++) {
      await page.keyboard.press('Tab');
      if (
        (await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id?: string } | null } }).document
              .activeElement?.id,
        )) === 'controler'
      )
        break;
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-state="fini"]');
    await expect(page.locator('.carte.ko').count()).resolves.toBeGreaterThan(0);
    await page.focus('#erreurs-seulement');
    await page.keyboard.press('Space');
    await expect(page.locator('#cartes.erreurs-seulement').count()).resolves.toBe(1);
    await expect(page.locator('details.acceptees').isVisible()).resolves.toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('passes axe-core with no serious or critical violation, the page and the report', async () => {
    const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    const page = await browser.newPage({ bypassCSP: true });
    const audit = async () => {
      await page.evaluate(axeSource);
      const results = await page.evaluate(() =>
        (
          globalThis as unknown as {
            axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
          }
        ).axe.run(),
      );
      return results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length})`);
    };
    await page.goto(server.url);
    await check(page, join(ROOT, 'events/faulty/mdv-rpps-15-chiffres/JSON-3456789012-20221104-001.json'), [
      `${MDV}.zip`,
    ]);
    expect(await audit()).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[download$=".rapport.html"]'),
    ]);
    await page.setContent(await readFile((await download.path()) as string, 'utf8'));
    expect(await audit()).toEqual([]);
    await page.close();
  });

  it('checks a 200 Mo zip by ranges: less than 1 Mio read, the page’s memory bounded', async () => {
    const deposit = await hopDeposit('301', ['B0001', 'B0002']);
    const folder = join(work, 'gros');
    await mkdir(folder, { recursive: true });
    const json = join(folder, `${deposit.name}.json`);
    const zip = join(folder, `${deposit.name}.zip`);
    await writeFile(json, deposit.json);
    // Just under the 200 Mo a zip may weigh (3005 beyond).
    await writeZipWithFiller(zip, deposit.documents, 200 * 1024 * 1024 - 64 * 1024);
    const { page, requests, problems } = await open();
    await check(page, json, [zip]);
    await expect(page.textContent('#verdict')).resolves.toBe(
      '✔ 2 demande(s) acceptée(s), 0 rejetée(s) sur 2.',
    );
    const read = Number(await page.getAttribute('body', 'data-zip-bytes-read'));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(1024 * 1024);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap =
      metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.POSITIVE_INFINITY;
    // The zip is never loaded: the heap stays far below its 200 Mo.
    expect(heap).toBeLessThan(64 * 1024 * 1024);
    expect(problems).toEqual([]);
    expect(requests).toEqual([server.url]);
    await page.close();
  });
});
