import { mkdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGenerate } from '../local/generate-command';

/**
 * `generer` on a 200-row sheet (MDV-LGC, from its --modele row) with 400 distinct documents of
 * 100 KB: the time from the sheet to checked deposits (JSON written, zips written, controler run).
 */
const ROWS = 200;
const DOCUMENT_BYTES = 100 * 1024;

export async function runGenerateBench(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'segur-generer-bench-'));
  const silent = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => process.stderr.write(text) },
    colour: false,
  };
  try {
    const csv = join(dir, 'modele.csv');
    await runGenerate(['--profile', 'MDV-LGC', '--modele', csv], silent);
    const [header = [], row = []] = (await readFile(csv, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((line) => line.split(';'));
    const pieces = join(dir, 'pieces');
    mkdirSync(pieces);
    const editeur = header.indexOf('numeroEditeur');
    const documentColumns = header.flatMap((name, index) => (name.endsWith('.fichier') ? [index] : []));
    const rows: string[][] = [];
    for (let index = 0; index < ROWS; index++) {
      const copy = [...row];
      copy[editeur] = String(index + 1).padStart(5, '0');
      for (const column of documentColumns) {
        const name = `doc-${index}-${column}.pdf`;
        const bytes = Buffer.alloc(DOCUMENT_BYTES, 0x20);
        bytes.write('%PDF-1.4\n');
        await writeFile(join(pieces, name), bytes);
        copy[column] = name;
      }
      rows.push(copy);
    }
    await writeFile(csv, [header, ...rows].map((cells) => cells.join(';')).join('\r\n'));
    const times: number[] = [];
    let zipBytes = 0;
    for (let run = 0; run < 3; run++) {
      const out = join(dir, `out-${run}`);
      const started = performance.now();
      const code = await runGenerate(
        [
          '--profile',
          'MDV-LGC',
          '--csv',
          csv,
          '--ans',
          '3456789012',
          '--siret',
          '88558855858745',
          '--pieces',
          pieces,
          '--out',
          out,
        ],
        silent,
      );
      times.push(performance.now() - started);
      if (code !== 0) return `generer a échoué (code ${code})`;
      zipBytes = 0;
      for (const name of await readdir(out))
        if (name.endsWith('.zip')) zipBytes += (await stat(join(out, name))).size;
    }
    const median = [...times].sort((a, b) => a - b)[1] as number;
    return [
      `| sheet | documents | zip bytes | median of 3 | lines/s | peak RSS |`,
      `|---|---|---|---|---|---|`,
      `| ${ROWS} rows (CSV) | ${ROWS * documentColumns.length} × ${DOCUMENT_BYTES / 1024} KB | ${zipBytes.toLocaleString('en')} | ${Math.round(median)} ms | ${Math.round((ROWS / median) * 1000)} | ${Math.round(process.resourceUsage().maxRSS / 1024)} MB |`,
    ].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
