import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type EmbeddedAws, startFauxqs } from '../../local/embedded/start-fauxqs';
import { createS3Client } from '../../shared/adapters/s3-client';
import { S3ObjectSource } from '../../shared/adapters/s3-object-source';
import { ZipArchive } from '../../shared/adapters/zip/zip-archive';
import { detectFormat } from '../../shared/domain/attachments/attachment-checker';
import { document, makeZip } from '../support/zips';

/** The zip reader over real HTTP ranged GETs, against the embedded S3 of fauxqs. */
let aws: EmbeddedAws;
let s3: S3Client;
const bucket = 'depots-test';

beforeAll(async () => {
  aws = await startFauxqs();
  s3 = createS3Client({
    endpoint: aws.endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  s3?.destroy();
  await aws?.stop();
});

describe('S3ObjectSource + ZipArchive on the embedded S3', () => {
  it('lists a zip and reads the first bytes of its entries with ranged GETs only', async () => {
    const zip = await makeZip(
      Array.from({ length: 20 }, (_, i) => ({
        name: `HOP-DPI-Va1-BDC-${String(i).padStart(5, '0')}.pdf`,
        content: document('PDF', 200_000),
      })),
    );
    const key = 'depot/88558855858745/avance/JSON-1234567890-20220315-001.zip';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip }));

    const source = await S3ObjectSource.open(s3, { bucket, key });
    expect(source.size).toBe(zip.length);
    const archive = await ZipArchive.open(source);
    expect(archive.listing.entries).toHaveLength(20);
    const head = await archive.readHead(archive.listing.entries[7] as never);
    expect(detectFormat(head?.bytes ?? new Uint8Array())).toBe('PDF');
    expect(source.bytesRead).toBeLessThan(80_000);
    expect(source.bytesRead / zip.length).toBeLessThan(0.02);
  });

  it('tells the ETag its reads were answered with, and none once they disagree', async () => {
    const key = 'depot/88558855858745/avance/JSON-1234567890-20220315-002.zip';
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(100, 1) }));
    const source = await S3ObjectSource.open(s3, { bucket, key });
    expect(source.etag).toBeUndefined();
    await source.read(0, 10);
    await source.read(50, 10);
    expect(source.etag).toBe(put.ETag?.replace(/"/g, ''));
    // Other bytes under the key between two reads: the reads no longer describe one object.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(100, 2) }));
    await source.read(0, 10);
    expect(source.etag).toBeUndefined();
    await source.read(0, 10);
    expect(source.etag).toBeUndefined();
  });

  it('turns a missing object into a fault, not a verdict', async () => {
    await expect(S3ObjectSource.open(s3, { bucket, key: 'depot/absent.zip' })).rejects.toThrow(
      'taille illisible',
    );
  });
});

describe('copies in the embedded S3 (the judge freezes what it judges by a copy)', () => {
  const md5 = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;
  const etagOf = async (key: string) =>
    (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
  const bytesOf = async (key: string) =>
    Buffer.from(
      await ((
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      ).Body?.transformToByteArray() ?? new Uint8Array()),
    );
  const copy = (from: string, to: string) =>
    s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}` }));

  it('gives a copy its source’s bytes and ETag, and a new upload its own', async () => {
    const first = Buffer.from('%PDF-1.7 premier');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copies/a.pdf', Body: first }));
    await copy('copies/a.pdf', 'frozen/a.pdf');
    expect(await etagOf('frozen/a.pdf')).toBe(md5(first));
    expect(await bytesOf('frozen/a.pdf')).toEqual(first);
    // The key uploaded again with other bytes, copied again: the new bytes' ETag, not the first.
    const second = Buffer.from('%PDF-1.7 second, plus long');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copies/a.pdf', Body: second }));
    await copy('copies/a.pdf', 'frozen/a2.pdf');
    expect(await etagOf('frozen/a2.pdf')).toBe(md5(second));
    expect(await bytesOf('frozen/a2.pdf')).toEqual(second);
    expect(await etagOf('frozen/a.pdf')).toBe(md5(first));
  });

  it('gives the copy of a zip uploaded in parts the source’s ETag, not a hash of its bytes again', async () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.from('fin du zip')];
    const key = 'copies/gros.zip';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const uploaded = await Promise.all(
      parts.map(async (Body, index) => ({
        PartNumber: index + 1,
        ETag: (
          await s3.send(
            new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: index + 1, Body }),
          )
        ).ETag,
      })),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: uploaded },
      }),
    );
    const source = await etagOf(key);
    expect(source).toMatch(/-2"$/);
    await copy(key, 'frozen/gros.zip');
    // S3 promises no MD5 for such an object, only an ETag that changes with the bytes: the same bytes.
    expect(await etagOf('frozen/gros.zip')).toBe(source);
    expect((await bytesOf('frozen/gros.zip')).equals(Buffer.concat(parts))).toBe(true);
  });
});
