import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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

  it('turns a missing object into a fault, not a verdict', async () => {
    await expect(S3ObjectSource.open(s3, { bucket, key: 'depot/absent.zip' })).rejects.toThrow(
      'taille illisible',
    );
  });
});
