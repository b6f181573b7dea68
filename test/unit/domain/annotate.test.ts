import { annotate } from '../../../shared/domain/annotate';
import { judgeFile } from '../../../shared/domain/judge-file';
import { PROFILE_IDS } from '../../../shared/domain/profiles';
import { mutate, remove, sampleName, sampleText, set } from '../../support/deposits';

/** The annotated file is the deposit, byte for byte, but for the filled fields. */
function annotateText(text: string, fileName: string, fills = {}) {
  const { verdict, doc } = judgeFile(new TextEncoder().encode(text), { fileName });
  if (!doc) throw new Error('non analysé');
  return { verdict, annotated: annotate(doc, verdict, fills) };
}

/** Puts null back in the fields the annotation fills: what is left must be the deposit itself. */
function unfill(text: string): string {
  return text.replace(/"(codeTraitement|libelleTraitement)": "(?:[^"\\]|\\.)*"/g, '"$1": null');
}

describe('annotated file', () => {
  it.each(PROFILE_IDS)('%s: only codeTraitement and libelleTraitement change', (profile) => {
    const text = sampleText(profile);
    const { annotated, verdict } = annotateText(text, sampleName(profile));
    expect(unfill(annotated)).toBe(text);
    const parsed = JSON.parse(annotated);
    expect(parsed.lignesImport.map((line: { codeTraitement: string }) => line.codeTraitement)).toEqual(
      verdict.lines.map((line) => line.codeTraitement),
    );
  });

  it('keeps 1075.00, CRLF line ends, tabs and key order', () => {
    const text = sampleText('MDV-LGC-avance').replace(/\n/g, '\r\n').replace(/ {2}/g, '\t');
    const { annotated } = annotateText(text, sampleName('MDV-LGC-avance'));
    expect(annotated).toContain('"montantSegurHT": 1075.00');
    expect(unfill(annotated)).toBe(text);
  });

  it('writes the French label of a rejected line, escaped as JSON', () => {
    const text = mutate(sampleText('MDV-LGC-avance'), [
      set(['lignesImport', 0, 'commande', 'dateCommande'], '"04\\"11\\"2022"'),
    ]);
    const { annotated } = annotateText(text, sampleName('MDV-LGC-avance'));
    const line = JSON.parse(annotated).lignesImport[0];
    expect(line.codeTraitement).toBe('2009');
    expect(line.libelleTraitement).toBe(
      'Ligne 1 : commande.dateCommande doit être une date JJ/MM/AAAA (reçu « 04"11"2022 »)',
    );
  });

  it('adds the verdict to a line that lacks the tags, in its indentation', () => {
    const text = mutate(sampleText('HOP-DPI-avance'), [
      remove(['lignesImport', 0, 'codeTraitement']),
      remove(['lignesImport', 0, 'libelleTraitement']),
    ]);
    const { annotated } = annotateText(text, sampleName('HOP-DPI-avance'));
    const line = JSON.parse(annotated).lignesImport[0];
    expect(line.codeTraitement).toBe('2001');
    expect(line.libelleTraitement).toBe('Ligne 1 : codeTraitement est obligatoire et absent');
    expect(annotated).toMatch(/\n {6}"codeTraitement": "2001",\n {6}"libelleTraitement": /);
  });

  it('fills impId and the numeroASP of accepted avance lines only when the pipeline gives them', () => {
    const text = mutate(sampleText('MDV-LGC-avance'), [set(['lignesImport', 1, 'typeAction'], '"X"')]);
    const { annotated } = annotateText(text, sampleName('MDV-LGC-avance'), {
      impId: 'IMP-000042',
      numeroAspByLine: new Map([
        [1, 'FINMDV000001'],
        [2, 'FINMDV000002'],
      ]),
    });
    const parsed = JSON.parse(annotated);
    expect(parsed.impId).toBe('IMP-000042');
    expect(parsed.lignesImport.map((line: { numeroASP: string | null }) => line.numeroASP)).toEqual([
      'FINMDV000001',
      null,
    ]);
  });
});
