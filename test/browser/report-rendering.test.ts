import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildHtmlReport } from '../../shared/domain/reports';
import { launchChromium } from '../support/chromium';
import { judgeText, mutate, ROOT, sampleName, sampleText, set } from '../support/deposits';

/**
 * rapport.html as a vendor sees it, in a real browser: no console error, the verdicts and every
 * error visible, the offending value marked in its line; a screenshot of each for review.
 */
const SCREENSHOTS = join(ROOT, 'test-output');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => browser?.close());

async function render(html: string, screenshot: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Any request would be a resource the self-contained page should not need.
  page.on('request', (request) => problems.push(`requête ${request.url()}`));
  const file = join(SCREENSHOTS, screenshot.replace(/\.png$/, '.html'));
  await writeFile(file, html);
  await page.goto(`file://${file}`);
  await page.screenshot({ path: join(SCREENSHOTS, screenshot), fullPage: true });
  return { page, problems: problems.filter((problem) => !problem.startsWith(`requête file://${file}`)) };
}

describe('rapport.html in Chromium', () => {
  it('shows a rejected line with each of its errors and the value marked in the deposit', async () => {
    const text = mutate(sampleText('MDV-LGC-avance'), [
      set(['lignesImport', 0, 'beneficiaires', 'liberal', 0, 'RPPS'], '"888888888888888"'),
      set(['lignesImport', 0, 'commande', 'montantSegurHT'], '1075'),
    ]);
    const { verdict } = judgeText(text, { fileName: sampleName('MDV-LGC-avance') });
    const { page, problems } = await render(
      buildHtmlReport(verdict, { generatedAt: '2026-12-02T09:00:00Z', source: text }),
      'rapport-rejete.png',
    );
    expect(problems).toEqual([]);
    await expect(page.locator('.banner.ko').innerText()).resolves.toContain(
      '1 demande(s) acceptée(s), 1 rejetée(s)',
    );
    const request = page.locator('h3#ligne-1');
    expect(await request.isVisible()).toBe(true);
    expect(await request.innerText()).toContain('Demande n° 1 (numLigne 1)');
    for (const error of verdict.lines[0]?.errors ?? []) {
      const row = page.locator('tr', { has: page.locator(`code:text-is("${error.code}")`) }).first();
      expect(await row.isVisible()).toBe(true);
      expect(await row.innerText()).toContain(error.field);
    }
    const marked = page.locator('pre.src mark');
    expect(await marked.first().isVisible()).toBe(true);
    expect(await marked.allInnerTexts()).toEqual(expect.arrayContaining(['"888888888888888"', '1075']));
    // The highlighted value stands out: its background is not the excerpt's.
    const [markBackground, excerptBackground] = await Promise.all([
      marked
        .first()
        .evaluate(
          (node) =>
            (
              globalThis as unknown as { getComputedStyle(n: unknown): { backgroundColor: string } }
            ).getComputedStyle(node).backgroundColor,
        ),
      page
        .locator('pre.src')
        .first()
        .evaluate(
          (node) =>
            (
              globalThis as unknown as { getComputedStyle(n: unknown): { backgroundColor: string } }
            ).getComputedStyle(node).backgroundColor,
        ),
    ]);
    expect(markBackground).not.toBe(excerptBackground);
    await page.close();
  });

  it('shows a control-1 rejection with the line of the syntax error', async () => {
    const text = '{\n  "impId": null,\n  "numeroAns": ,\n  "lignesImport": []\n}';
    const { verdict } = judgeText(text, { fileName: sampleName('MDV-LGC-avance') });
    const { page, problems } = await render(
      buildHtmlReport(verdict, { generatedAt: '2026-12-02T09:00:00Z', source: text }),
      'rapport-controle-1.png',
    );
    expect(problems).toEqual([]);
    expect(await page.locator('.banner.ko').innerText()).toContain('Fichier rejeté au contrôle de structure');
    expect(await page.locator('pre.src').first().innerText()).toContain('"numeroAns": ,');
    await page.close();
  });
});
