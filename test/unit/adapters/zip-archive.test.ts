import { BufferSource } from '../../../shared/adapters/byte-range-source';
import { ZipArchive } from '../../../shared/adapters/zip/zip-archive';
import { detectFormat } from '../../../shared/domain/attachments/attachment-checker';
import { document, makeZip, patchFlags, pointAt, renameEntry } from '../../support/zips';

/** The zip reader on real zips made by yazl: central directory only, and the first bytes on demand. */
async function open(zip: Buffer, name = 'pieces.zip') {
  const source = new BufferSource(name, zip);
  return { archive: await ZipArchive.open(source), source };
}

describe('ZipArchive', () => {
  it('lists entries with their sizes without reading the data', async () => {
    const zip = await makeZip([
      { name: 'MDV-LGC-Va1-BDC-00001.pdf', content: document('PDF', 300_000), compress: false },
      { name: 'MDV-LGC-Va1-HT-00001.png', content: document('PNG', 200_000) },
    ]);
    const { archive, source } = await open(zip);
    expect(archive.listing.unreadable).toBeUndefined();
    expect(
      archive.listing.entries.map((entry) => [entry.path, entry.uncompressedSize, entry.method]),
    ).toEqual([
      ['MDV-LGC-Va1-BDC-00001.pdf', 300_000, 0],
      ['MDV-LGC-Va1-HT-00001.png', 200_000, 8],
    ]);
    // One read of the tail (the largest comment, the end record and the zip64 locator: 65,577 bytes
    // at most) holds the whole central directory here.
    expect(source.bytesRead).toBeLessThanOrEqual(65_535 + 22 + 20);
  });

  it('reads the first bytes of a stored and of a deflated entry', async () => {
    const zip = await makeZip([
      { name: 'a.pdf', content: document('PDF'), compress: false },
      { name: 'b.jpg', content: document('JPG', 100_000) },
    ]);
    const { archive, source } = await open(zip);
    const before = source.bytesRead;
    const heads = await Promise.all(archive.listing.entries.map((entry) => archive.readHead(entry)));
    expect(heads.map((head) => head && detectFormat(head.bytes))).toEqual(['PDF', 'JPG']);
    expect(source.bytesRead - before).toBeLessThan(2 * (30 + 5 + 64 + 4096));
  });

  it('reads the heads of 200 small documents in a few reads, and of documents far apart one read each', async () => {
    const small = await makeZip(
      Array.from({ length: 200 }, (_, index) => ({
        name: `HOP-DPI-Va1-BDC-${String(index).padStart(5, '0')}.pdf`,
        content: Buffer.concat([document('PDF'), Buffer.alloc(2_000, index % 251)]),
      })),
      // No comment: a tail read of 64 KiB would hold the last entries, this measures the spans.
    );
    const counted = new BufferSource('petits.zip', small);
    let reads = 0;
    const read = counted.read.bind(counted);
    counted.read = (offset, length) => {
      reads++;
      return read(offset, length);
    };
    const archive = await ZipArchive.open(counted);
    const opened = reads;
    const heads = await archive.readHeads(archive.listing.entries, 32);
    // The same heads as one read per entry gives, in the entries' order.
    const one = await open(small);
    const single = await Promise.all(one.archive.listing.entries.map((entry) => one.archive.readHead(entry)));
    expect(heads.map((head) => head?.path)).toEqual(single.map((head) => head?.path));
    expect(heads.map((head) => head && detectFormat(head.bytes))).toEqual(
      single.map((head) => head && detectFormat(head.bytes)),
    );
    expect(reads - opened).toBeLessThanOrEqual(Math.ceil(small.length / (1024 * 1024)) + 1);

    const far = await makeZip(
      Array.from({ length: 4 }, (_, index) => ({
        name: `doc-${index}.pdf`,
        content: Buffer.concat([document('PDF'), Buffer.alloc(300_000, 7)]),
        compress: false,
      })),
    );
    const apart = new BufferSource('loin.zip', far);
    const farArchive = await ZipArchive.open(apart);
    const before = apart.bytesRead;
    await farArchive.readHeads(farArchive.listing.entries, 32);
    // Short reads only: never the 1.2 Mo between the heads.
    expect(apart.bytesRead - before).toBeLessThan(4 * (30 + 20 + 64 + 4096 + 1024));
  });

  it('reads zip64 archives', async () => {
    const zip = await makeZip([{ name: 'MDV-LGC-Va1-BDC-00001.pdf', content: document('PDF') }], {
      zip64: true,
    });
    const { archive } = await open(zip);
    expect(archive.listing.entries.map((entry) => entry.path)).toEqual(['MDV-LGC-Va1-BDC-00001.pdf']);
    expect(
      detectFormat((await archive.readHead(archive.listing.entries[0] as never))?.bytes ?? new Uint8Array()),
    ).toBe('PDF');
  });

  it('finds the central directory behind a 65,535-byte comment', async () => {
    const zip = await makeZip([{ name: 'a.pdf', content: document('PDF') }], { comment: 'c'.repeat(65_535) });
    const { archive } = await open(zip);
    expect(archive.listing.entries).toHaveLength(1);
  });

  it('lists 10,000 entries with two reads: the tail and the rest of the central directory', async () => {
    const zip = await makeZip(
      Array.from({ length: 10_000 }, (_, i) => ({
        name: `f${i}.txt`,
        content: Buffer.from(`${i}`),
        compress: false,
      })),
    );
    const reads: number[] = [];
    const source = new BufferSource('grand.zip', zip);
    const read = source.read.bind(source);
    source.read = (offset, length) => {
      reads.push(length);
      return read(offset, length);
    };
    const archive = await ZipArchive.open(source);
    expect(archive.listing.entries).toHaveLength(10_000);
    expect(reads).toHaveLength(2);
    expect(source.bytesRead).toBeLessThan(zip.length);
  });

  it('says a truncated zip is unreadable, in French', async () => {
    const zip = await makeZip([{ name: 'a.pdf', content: document('PDF', 50_000) }]);
    const { archive } = await open(zip.subarray(0, zip.length - 30));
    expect(archive.listing.unreadable).toMatch(/tronqué/);
    expect(archive.listing.entries).toEqual([]);
  });

  it('says a file that is not a zip is unreadable', async () => {
    const { archive } = await open(document('PDF', 10_000), 'pas-un-zip.zip');
    expect(archive.listing.unreadable).toBe(
      "ce n'est pas un fichier .zip, ou il est tronqué (fin du répertoire central introuvable)",
    );
  });

  it('flags encrypted entries and never reads their data', async () => {
    const zip = patchFlags(
      await makeZip([{ name: 'secret.pdf', content: document('PDF') }]),
      'secret.pdf',
      0x1,
    );
    const { archive } = await open(zip);
    const [entry] = archive.listing.entries;
    expect(entry?.encrypted).toBe(true);
    expect(await archive.readHead(entry as never)).toBeUndefined();
  });

  it.each([
    ['../', Buffer.from('../MDV-LGC-Va1-BDC-00001.pdf'), 'remonte hors du .zip (..)'],
    ['an absolute path', Buffer.from('/x/MDV-LGC-Va1-BDC-00001.pdf'), 'chemin absolu'],
    [
      '..\\ written by a Windows tool',
      Buffer.from('..\\MDV-LGC-Va1-BDC-00001.pdf'),
      'remonte hors du .zip (..)',
    ],
    ['a drive letter', Buffer.from('C:\\MDV-LGC-Va1-BDC-00001.pdf'), 'chemin absolu (lettre de lecteur)'],
  ])('flags a name with %s', async (_case, unsafe, reason) => {
    const zip = renameEntry(
      await makeZip([{ name: 'xx/MDV-LGC-Va1-BDC-00001.pdf', content: document('PDF') }]),
      'xx/MDV-LGC-Va1-BDC-00001.pdf',
      unsafe,
    );
    const { archive } = await open(zip);
    expect(archive.listing.entries[0]).toMatchObject({
      unsafePath: reason,
      baseName: 'MDV-LGC-Va1-BDC-00001.pdf',
    });
  });

  it('normalises NFD names to NFC', async () => {
    const nfd = 'Pie\u0300ces/Re\u0301sume\u0301.pdf';
    const { archive } = await open(await makeZip([{ name: nfd, content: document('PDF') }]));
    expect(archive.listing.entries[0]?.path).toBe('Pièces/Résumé.pdf'.normalize('NFC'));
  });

  it('decodes CP437 names written without the UTF-8 flag', async () => {
    // "Dossier_X" with X = 0x82, é in code page 437, and the UTF-8 flag (bit 11) cleared.
    const base = await makeZip([{ name: 'Dossier_X/MDV-LGC-Va1-BDC-00001.pdf', content: document('PDF') }]);
    const cp437 = Buffer.from('Dossier_X/MDV-LGC-Va1-BDC-00001.pdf');
    cp437[8] = 0x82;
    const zip = patchFlags(renameEntry(base, 'Dossier_X/MDV-LGC-Va1-BDC-00001.pdf', cp437), cp437, 0, 0x800);
    const { archive } = await open(zip);
    expect(archive.listing.entries[0]?.path).toBe('Dossier_é/MDV-LGC-Va1-BDC-00001.pdf');
  });

  it('flags entries whose data overlap, and absurd compression ratios', async () => {
    const zip = pointAt(
      await makeZip([
        { name: 'a.pdf', content: document('PDF', 5000) },
        { name: 'b.pdf', content: document('PDF', 5000) },
        { name: 'zeros.pdf', content: Buffer.alloc(2_900_000) },
      ]),
      'b.pdf',
      'a.pdf',
    );
    const { archive } = await open(zip);
    const [a, b, zeros] = archive.listing.entries;
    expect(a?.absurdSizes).toMatch(/chevauchent/);
    expect(b?.absurdSizes).toMatch(/chevauchent/);
    expect(zeros?.absurdSizes).toMatch(/taux de compression de \d+ pour 1/);
    expect(await archive.readHead(zeros as never)).toBeUndefined();
  });
});
