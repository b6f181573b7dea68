import { SIRET, sampleText } from './deposits';
import { document, makeZip } from './zips';

/**
 * Deposits for the embedded-stack tests, from the HOP-DPI sample's first line: one line per
 * numeroEditeur, its documents named after it, and the zip holding them.
 */
export async function hopDeposit(
  fileNumber: string,
  editeurs: readonly string[],
  change?: (line: Record<string, unknown>) => void,
) {
  const template = JSON.parse(sampleText('HOP-DPI-avance')).lignesImport[0];
  const lines = editeurs.map((editeur, index) => {
    const line = structuredClone(template);
    line.numLigne = index + 1;
    line.numeroEditeur = editeur;
    line.piecesJustificatives[0].nomFichier = `HOP-DPI-Va1-BDC-${editeur}.pdf`;
    line.piecesJustificatives[1].nomFichier = `HOP-DPI-Va1-HT-${editeur}.pdf`;
    change?.(line);
    return JSON.stringify(line).replace('"montantSegurHT":13750', '"montantSegurHT":13750.00');
  });
  const name = `JSON-1234567890-20220315-${fileNumber}`;
  const json = `{"impId": null, "numeroAns": "1234567890", "SIRET": "${SIRET}", "lignesImport": [${lines.join(',')}]}`;
  const documents = editeurs.flatMap((editeur) => [
    { name: `HOP-DPI-Va1-BDC-${editeur}.pdf`, content: document('PDF') },
    { name: `HOP-DPI-Va1-HT-${editeur}.pdf`, content: document('PDF') },
  ]);
  return {
    name,
    id: `${SIRET}/avance/${name}`,
    json: Buffer.from(json),
    zip: await makeZip(documents),
    documents,
  };
}

/**
 * Polls `probe` until it gives a value (false counts as none). The limit only catches a hang: a
 * busy machine (load 10 on 2 cores) is slow, never wrong, and the wait ends on the event itself.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 240_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`attente trop longue : ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
