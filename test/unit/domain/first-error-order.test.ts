import { judgeSampleLine, set } from '../../support/deposits';

/** The verdict is the first error in the order of the seed's table; every other error is kept. */
describe('first error in table order', () => {
  it('walks the MDV table: entête, commande, bénéficiaires, scénario, pièces, traitement', () => {
    const l = (...path: Array<string | number>) => ['lignesImport', 0, ...path];
    const line = judgeSampleLine('MDV-LGC-avance', [
      set(l('codeTraitement'), '"x"'),
      set(l('piecesJustificatives', 0, 'formatFichier'), '"DOC"'),
      set(l('scenarioInstallation', 'isPFIToDMP'), 'null'),
      set(l('beneficiaires', 'liberal', 2, 'RPPS'), '"1"'),
      set(l('beneficiaires', 'nomMandataire'), '"durand"'),
      set(l('commande', 'montantSegurHT'), '1075'),
      set(l('commande', 'dateCommande'), '"2022-11-04"'),
      set(l('typeAction'), '"X"'),
    ]);
    expect(line.errors.map((error) => [error.code, error.field])).toEqual([
      ['2005', 'typeAction'],
      ['2009', 'commande.dateCommande'],
      ['2011', 'commande.montantSegurHT'],
      ['2008', 'beneficiaires.nomMandataire'],
      ['2006', 'beneficiaires.liberal[2].RPPS'],
      ['2002', 'scenarioInstallation.isPFIToDMP'],
      ['2005', 'piecesJustificatives[0].formatFichier'],
      ['2003', 'codeTraitement'],
    ]);
    expect(line.codeTraitement).toBe('2005');
    expect(line.libelleTraitement).toBe('Ligne 1 : typeAction doit valoir « C » (reçu « X »)');
  });

  it('checks a relation between two fields at the later one', () => {
    // The PREUVE_HT requirement depends on regimeTVA but belongs to the attachments rows.
    const l = (...path: Array<string | number>) => ['lignesImport', 0, ...path];
    const line = judgeSampleLine('HOP-DPI-avance', [
      set(
        l('piecesJustificatives'),
        '[{ "nomFichier": "HOP-DPI-Va1-BDC-00001.pdf", "formatFichier": "PDF", "typeFichier": "BON_COMMANDE" }]',
      ),
      set(l('scenarioInstallation', 'PFI', 'isEnvoiMSSPro'), 'true'),
    ]);
    expect(line.errors.map((error) => error.code)).toEqual(['2050', '2026']);
    expect(line.libelleTraitement).toBe(
      'Ligne 1 : piecesJustificatives doit contenir une pièce de type PREUVE_HT car commande.regimeTVA vaut « HT »',
    );
  });

  it('gives the JSON position of each offending value', () => {
    const line = judgeSampleLine('MDV-LGC-avance', [
      set(['lignesImport', 0, 'commande', 'dateCommande'], '"4/11/2022"'),
    ]);
    expect(line.errors[0]?.position).toEqual({ line: 12, column: 25 });
  });
});
