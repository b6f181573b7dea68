import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { namesDeclaredBy } from '../shared/pipeline/inspect-zips';
import { makeZip } from '../test/support/zips';

/**
 * Writes, beside each sample deposit of events/drop, the zip of the documents it declares: tiny but
 * real PDFs (deterministic, so that the committed zips do not change when regenerated).
 * Run: node scripts/run-ts.mjs scripts/make-sample-zips.ts
 */
function pdf(title: string): Buffer {
  const text = `%PDF-1.4\n% Ségur numérique - pièce d'exemple : ${title}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(text, 'utf8');
}

async function main(): Promise<void> {
  const root = join(process.cwd(), 'events', 'drop');
  for (const siret of readdirSync(root)) {
    for (const type of readdirSync(join(root, siret))) {
      const folder = join(root, siret, type);
      for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
        const names = [...namesDeclaredBy(readFileSync(join(folder, file)))].sort();
        const zip = await makeZip(names.map((name) => ({ name, content: pdf(name) })));
        writeFileSync(join(folder, file.replace(/\.json$/, '.zip')), zip);
        console.log(`${type}/${file.replace(/\.json$/, '.zip')} : ${names.length} pièce(s)`);
      }
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
