import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../local/cli';
import { createAttachmentChecker } from '../../../shared/domain/attachments/attachment-checker';
import { MAX_ZIP_BYTES } from '../../../shared/domain/attachments/zip-entries';
import { ROOT, SAMPLES } from '../../support/deposits';
import { document, makeZip, patchFlags, pointAt, renameEntry, type ZipInput } from '../../support/zips';

/** `check --zip` on the MDV sample: its three declared documents, in real zips made here. */
const BDC1 = 'MDV-LGC-Va1-BDC-00001.pdf';
const HT1 = 'MDV-LGC-Va1-HT-00001.pdf';
const BDC2 = 'MDV-LGC-Va1-BDC-00002.pdf';
const json = join(ROOT, SAMPLES['MDV-LGC-avance']);

async function check(zips: ReadonlyArray<Buffer | readonly ZipInput[]>) {
  const dir = await mkdtemp(join(tmpdir(), 'segur-zips-'));
  const args = ['check', json, '--format', 'json', '--stats'];
  for (const [index, zip] of zips.entries()) {
    const path = join(dir, `JSON-3456789012-20221104-001${index === 0 ? '' : `-${index}`}.zip`);
    await writeFile(path, Buffer.isBuffer(zip) ? zip : await makeZip(zip as ZipInput[]));
    args.push('--zip', path);
  }
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  if (stderr) throw new Error(stderr);
  const result = JSON.parse(stdout);
  // The samples are dated 2022: the date warning (8009) of every run is tested on its own.
  result.fileWarnings = result.fileWarnings.filter((warning: { code: string }) => warning.code !== '8009');
  return { code, result };
}

const good = (name: string): ZipInput => ({ name, content: document('PDF', 20_000) });
const lineErrors = (
  result: { lines: Array<{ errors: Array<{ code: string; field: string }> }> },
  index: number,
) => result.lines[index]?.errors.map((error) => [error.code, error.field]);

describe('check --zip', () => {
  it('accepts a submission whose documents are spread over two zips, reading a fraction of them', async () => {
    const big = (name: string): ZipInput => ({ name, content: document('PDF', 500_000) });
    const { code, result } = await check([[big(BDC1), big(HT1)], [big(BDC2)]]);
    expect(code).toBe(0);
    const notChecked = result.lines.flatMap((line: { notices: Array<{ code: string }> }) =>
      line.notices.filter((notice) => notice.code === '8003'),
    );
    expect(notChecked).toEqual([]);
    expect(result.fileWarnings).toEqual([]);
    expect(result.stats.zipBytesRead).toBeGreaterThan(0);
    expect(result.stats.zipBytesRead).toBeLessThan(result.stats.zipBytesTotal / 5);
  });

  it('finds documents placed in a folder of the zip', async () => {
    const { code } = await check([[good(`pieces/${BDC1}`), good(`pieces/${HT1}`), good(`pieces/${BDC2}`)]]);
    expect(code).toBe(0);
  });

  it('rejects the line whose document is missing, at that document', async () => {
    const { code, result } = await check([[good(BDC1), good(BDC2)]]);
    expect(code).toBe(1);
    expect(result.lines[0]).toMatchObject({
      codeTraitement: '3001',
      field: 'piecesJustificatives[1].nomFichier',
    });
    expect(result.lines[1].accepted).toBe(true);
  });

  it('rejects a 4 MB document and an empty one', async () => {
    const { result } = await check([
      [
        { name: BDC1, content: document('PDF', 4 * 1024 * 1024) },
        good(HT1),
        { name: BDC2, content: Buffer.alloc(0) },
      ],
    ]);
    expect(lineErrors(result, 0)).toEqual([['3002', 'piecesJustificatives[0].nomFichier']]);
    expect(lineErrors(result, 1)).toEqual([['3003', 'piecesJustificatives[0].nomFichier']]);
    expect(result.lines[0].libelleTraitement).toContain('au-delà de 3 Mo (3145728 octets)');
  });

  it('rejects a PNG named .pdf, saying what it really is', async () => {
    const { result } = await check([[{ name: BDC1, content: document('PNG', 5000) }, good(HT1), good(BDC2)]]);
    expect(result.lines[0].codeTraitement).toBe('3004');
    expect(result.lines[0].libelleTraitement).toContain('est déclaré PDF mais son contenu est un PNG');
  });

  it('rejects encrypted, unsafe and overlapping entries with their own codes', async () => {
    let zip = await makeZip([good(BDC1), good(HT1), good(`xx/${BDC2}`), good('autre.pdf')]);
    zip = patchFlags(zip, BDC1, 0x1);
    zip = renameEntry(zip, `xx/${BDC2}`, Buffer.from(`../${BDC2}`));
    const { result } = await check([zip]);
    expect(lineErrors(result, 0)).toEqual([['3007', 'piecesJustificatives[0].nomFichier']]);
    expect(lineErrors(result, 1)).toEqual([['3008', 'piecesJustificatives[0].nomFichier']]);
    const overlapping = pointAt(await makeZip([good(BDC1), good(HT1), good(BDC2)]), HT1, BDC1);
    const second = await check([overlapping]);
    expect(lineErrors(second.result, 0)).toEqual([
      ['3009', 'piecesJustificatives[0].nomFichier'],
      ['3009', 'piecesJustificatives[1].nomFichier'],
    ]);
  });

  it('rejects a name found in two zips with different contents, and accepts the same document twice', async () => {
    const same = good(BDC1);
    expect((await check([[same, good(HT1), good(BDC2)], [same]])).code).toBe(0);
    const { result } = await check([[good(BDC1), good(HT1), good(BDC2)], [good(BDC1)]]);
    expect(result.lines[0].codeTraitement).toBe('3006');
    expect(result.lines[0].libelleTraitement).toMatch(
      /figure dans .*\.zip et dans .*-1\.zip avec des contenus différents/,
    );
  });

  it('reports a truncated zip and a file that is not a zip, and rejects the documents they should hold', async () => {
    const zip = await makeZip([good(BDC1), good(HT1)]);
    const { result } = await check([zip.subarray(0, zip.length - 40), document('PDF', 3000), [good(BDC2)]]);
    expect(result.lines[0].codeTraitement).toBe('3001');
    expect(result.lines[0].libelleTraitement).toMatch(
      /introuvable dans les fichiers \.zip déposés \(illisible : .*\.zip, .*-1\.zip\)/,
    );
    expect(result.fileWarnings.map((warning: { code: string }) => warning.code)).toEqual(['8010', '8010']);
    expect(result.lines[1].accepted).toBe(true);
  });

  it('warns about entries no line declares, ignoring folders and macOS noise', async () => {
    const { code, result } = await check([
      [
        good(BDC1),
        good(HT1),
        good(BDC2),
        good('notes/brouillon.pdf'),
        good('__MACOSX/._x.pdf'),
        good('.DS_Store'),
      ],
    ]);
    expect(code).toBe(0);
    expect(result.fileWarnings).toEqual([
      expect.objectContaining({ code: '8011', message: expect.stringContaining('« notes/brouillon.pdf »') }),
    ]);
  });
});

describe('attachment checker on a zip over 200 Mo', () => {
  it('rejects the documents it holds and warns about the zip', () => {
    const entry = {
      path: BDC1,
      baseName: BDC1,
      compressedSize: 10,
      uncompressedSize: 10,
      method: 0,
      crc32: 1,
      encrypted: false,
      directory: false,
      localHeaderOffset: 0,
    };
    const checker = createAttachmentChecker({
      listings: [{ zipName: 'gros.zip', size: MAX_ZIP_BYTES + 1, entries: [entry] }],
      heads: [{ zipName: 'gros.zip', path: BDC1, bytes: document('PDF', 16) }],
    });
    expect(checker.checkDeclared(BDC1, 'PDF').map((draft) => draft.code)).toEqual(['3005']);
    expect(checker.finish().map((finding) => finding.code)).toEqual(['8012']);
  });
});
