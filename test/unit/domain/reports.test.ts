import {
  buildHtmlReport,
  buildJsonReport,
  frenchDateTime,
  sourceExcerpt,
} from '../../../shared/domain/reports';
import { judgeText, mutate, sampleName, sampleText, set } from '../../support/deposits';

const context = { generatedAt: '2026-11-22T10:00:00.000Z' };

function verdictWith(mutations: Parameters<typeof mutate>[1]) {
  return judgeText(mutate(sampleText('MDV-LGC-avance'), mutations), {
    fileName: sampleName('MDV-LGC-avance'),
  }).verdict;
}

describe('rapport.json', () => {
  it('lists every error, warning and unchecked item of every line with its JSON position', () => {
    const verdict = verdictWith([
      set(['lignesImport', 0, 'commande', 'montantSegurHT'], '1075'),
      set(['lignesImport', 0, 'beneficiaires', 'nomMandataire'], '"Durand"'),
      set(['lignesImport', 0, 'remarque'], '"x"'),
    ]);
    const report = JSON.parse(buildJsonReport(verdict, context));
    expect(report.summary).toEqual({ lines: 2, accepted: 1, rejected: 1, warnings: 1, notices: 5 });
    expect(report.lines[0].errors).toEqual([
      expect.objectContaining({
        code: '2011',
        field: 'commande.montantSegurHT',
        position: { line: 14, column: 27 },
      }),
      expect.objectContaining({
        code: '2008',
        field: 'beneficiaires.nomMandataire',
        position: { line: 20, column: 26 },
      }),
    ]);
    expect(report.lines[0].warnings).toEqual([expect.objectContaining({ code: '8001', field: 'remarque' })]);
  });
});

describe('rapport.html', () => {
  it('is one self-contained page: no script, no external stylesheet, image or font', () => {
    const html = buildHtmlReport(verdictWith([]), context);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
  });

  it('shows the summary, each line’s verdict and each error with its field and hint', () => {
    const html = buildHtmlReport(
      verdictWith([set(['lignesImport', 1, 'commande', 'dateCommande'], '"31/04/2022"')]),
      context,
    );
    expect(html).toContain('1 demande(s) acceptée(s), 1 rejetée(s)');
    expect(html).toContain('<td class="ko">Rejetée</td><td><code>2010</code></td>');
    expect(html).toContain('commande.dateCommande');
    expect(html).toContain('À faire : Vérifiez le jour et le mois');
  });

  it('tells how to send a rejected request again only when one was rejected', () => {
    const again = 'Une demande rejetée se soumet à nouveau';
    expect(buildHtmlReport(verdictWith([]), context)).not.toContain(again);
    const rejected = verdictWith([set(['lignesImport', 0, 'typeAction'], '"M"')]);
    expect(buildHtmlReport(rejected, context)).toContain(again);
  });

  it('escapes whatever the vendor wrote', () => {
    const html = buildHtmlReport(
      verdictWith([set(['lignesImport', 0, 'typeAction'], '"<script>alert(1)</script>"')]),
      context,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('explains a file rejected by control 1', () => {
    const { verdict } = judgeText('[]', { fileName: sampleName('MDV-LGC-avance') });
    const html = buildHtmlReport(verdict, context);
    expect(html).toContain('Fichier rejeté au contrôle de structure (contrôle 1)');
    expect(html).toContain('<code>1008</code>');
  });
});

describe('what the report says of times and places', () => {
  it('gives the time in Paris, winter and summer time alike', () => {
    expect(frenchDateTime('2026-11-22T22:35:55.966Z')).toBe('22/11/2026 à 23 h 35 (heure de Paris)');
    expect(frenchDateTime('2026-07-01T22:35:00Z')).toBe('02/07/2026 à 00 h 35 (heure de Paris)');
    expect(frenchDateTime('hier')).toBe('hier');
    const html = buildHtmlReport(verdictWith([]), { generatedAt: '2026-07-01T08:00:00.000Z' });
    expect(html).toContain('contrôlé le 01/07/2026 à 10 h 00 (heure de Paris)');
  });

  it('shows the offending value in its line of the deposit, and names requests and places apart', () => {
    const text = mutate(sampleText('MDV-LGC-avance'), [
      set(['lignesImport', 0, 'commande', 'montantSegurHT'], '1075'),
    ]);
    const verdict = judgeText(text, { fileName: sampleName('MDV-LGC-avance') }).verdict;
    const html = buildHtmlReport(verdict, { ...context, source: text });
    expect(html).toContain('<h3 id="ligne-1">Demande n° 1 (numLigne 1)');
    expect(html).toContain('<td class="pos">texte l. 14, col. 27</td>');
    expect(html).toMatch(
      /<pre class="src"><span class="at">l\. 14 │ <\/span>.*&quot;montantSegurHT&quot;: <mark>1075<\/mark>/,
    );
  });

  it('clips a long one-line deposit around the value and marks a string to its closing quote', () => {
    const line = `${'x'.repeat(500)}"RPPS": "88\\"8", "suite": 1${'y'.repeat(500)}`;
    const column = line.indexOf('"88') + 1;
    const excerpt = sourceExcerpt([line], { line: 1, column });
    expect(excerpt?.value).toBe('"88\\"8"');
    expect(excerpt?.before.startsWith('…')).toBe(true);
    expect(excerpt?.after.endsWith('…')).toBe(true);
    expect((excerpt?.before.length ?? 0) + (excerpt?.after.length ?? 0)).toBeLessThan(200);
  });
});
