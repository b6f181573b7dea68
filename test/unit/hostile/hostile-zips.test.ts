import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../local/cli';
import { LocalFileSource } from '../../../shared/adapters/byte-range-source';
import { ZipArchive } from '../../../shared/adapters/zip/zip-archive';
import { ROOT, SAMPLES } from '../../support/deposits';
import { sparseZipWithDirectoryAtZero, zipOfEmptyEntries } from '../../support/hostile-inputs';
import { breakLocalHeader, corruptData, document, makeZip, patchMethod } from '../../support/zips';

const BDC1 = 'MDV-LGC-Va1-BDC-00001.pdf';
const HT1 = 'MDV-LGC-Va1-HT-00001.pdf';
const BDC2 = 'MDV-LGC-Va1-BDC-00002.pdf';
const json = join(ROOT, SAMPLES['MDV-LGC-avance']);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segur-hostile-zips-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function checkWith(zipPath: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', json, '--zip', zipPath, '--format', 'json', '--stats'], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  if (stderr) throw new Error(stderr);
  const result = JSON.parse(stdout);
  // The samples are dated 2022: the date warning (8009) of every run is tested on its own.
  result.fileWarnings = result.fileWarnings.filter((warning: { code: string }) => warning.code !== '8009');
  return { code, result };
}

/** An HTML page declared as the first line's bon de commande, beside good documents. */
async function zipWithHtmlBdc(): Promise<Buffer> {
  return makeZip([
    { name: BDC1, content: Buffer.from(`<html><body>${'facture '.repeat(400)}</body></html>`) },
    { name: HT1, content: document('PDF', 20_000) },
    { name: BDC2, content: document('PDF', 20_000) },
  ]);
}

describe('hostile zips are refused without being read', () => {
  it('refuses a 3 GB zip whose central directory is said to start at 0, reading under 1 MiB', async () => {
    const path = join(dir, 'sparse.zip');
    await sparseZipWithDirectoryAtZero(path, 3 * 1024 ** 3);
    const source = await LocalFileSource.open(path);
    try {
      const archive = await ZipArchive.open(source);
      expect(archive.listing.refused).toContain("annoncé à l'octet 0");
      expect(source.bytesRead).toBeLessThan(1024 * 1024);
    } finally {
      await source.close();
    }
    const { code, result } = await checkWith(path);
    expect(code).toBe(1);
    expect(result.lines[0].errors.map((error: { code: string }) => error.code)).toContain('3011');
    expect(result.fileWarnings.map((warning: { code: string }) => warning.code)).toContain('8013');
    expect(result.stats.zipBytesRead).toBeLessThan(1024 * 1024);
  });

  it('refuses a zip of 100,000 entries (over 10,000) with one warning, not 100,000', async () => {
    const path = join(dir, 'many.zip');
    await writeFile(path, zipOfEmptyEntries(100_000));
    const { result } = await checkWith(path);
    expect(result.fileWarnings).toHaveLength(1);
    expect(result.fileWarnings[0].code).toBe('8013');
    expect(result.fileWarnings[0].message).toContain('100000 entrées');
    expect(result.lines[0].codeTraitement).toBe('3011');
  });

  it('reads a zip of 9,000 empty entries (under the bound) and names its strays once', async () => {
    const path = join(dir, 'nine-thousand.zip');
    await writeFile(path, zipOfEmptyEntries(9000));
    const { result } = await checkWith(path);
    expect(result.fileWarnings.map((warning: { code: string }) => warning.code)).toEqual(['8011']);
    expect(result.lines[0].codeTraitement).toBe('3001');
  });

  it('groups the undeclared entries of a zip in one warning naming the first five', async () => {
    const strays = Array.from({ length: 500 }, (_, index) => ({
      name: `stray-${index}.pdf`,
      content: document('PDF', 100),
    }));
    const path = join(dir, 'strays.zip');
    await writeFile(
      path,
      await makeZip([
        ...strays,
        ...[BDC1, HT1, BDC2].map((name) => ({ name, content: document('PDF', 5000) })),
      ]),
    );
    const { code, result } = await checkWith(path);
    expect(code).toBe(0);
    const strayWarnings = result.fileWarnings.filter((warning: { code: string }) => warning.code === '8011');
    expect(strayWarnings).toHaveLength(1);
    expect(strayWarnings[0].message).toContain('500 fichier(s)');
    expect(strayWarnings[0].message).toContain('et 495 autre(s)');
  });
});

describe('"really a PDF" fails closed (3010)', () => {
  const cases: Array<[string, (zip: Buffer) => Buffer, string]> = [
    ['bzip2', (zip) => patchMethod(zip, BDC1, 12), 'méthode de compression 12 (bzip2)'],
    ['LZMA', (zip) => patchMethod(zip, BDC1, 14), 'méthode de compression 14 (LZMA)'],
    ['method 99', (zip) => patchMethod(zip, BDC1, 99), 'méthode de compression 99'],
    ['a corrupt deflate stream', (zip) => corruptData(zip, BDC1), 'données compressées corrompues'],
    ['a bad local header', (zip) => breakLocalHeader(zip, BDC1), 'en-tête local'],
  ];
  it.each(cases)('refuses an HTML page declared as PDF stored with %s', async (_label, patch, reason) => {
    const path = join(dir, `patched-${_label.replace(/\W/g, '')}.zip`);
    await writeFile(path, patch(await zipWithHtmlBdc()));
    const { code, result } = await checkWith(path);
    expect(code).toBe(1);
    const bdc = result.lines[0].errors.find((error: { field: string }) =>
      error.field.endsWith('[0].nomFichier'),
    );
    expect(bdc?.code).toBe('3010');
    expect(bdc?.message).toContain(reason);
  });

  it('still rejects the same HTML page under plain deflate as the wrong format (3004)', async () => {
    const path = join(dir, 'plain.zip');
    await writeFile(path, await zipWithHtmlBdc());
    const { result } = await checkWith(path);
    expect(result.lines[0].codeTraitement).toBe('3004');
  });
});
