import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectSource } from '../../../shared/adapters/s3-object-source';
import { ZipArchive } from '../../../shared/adapters/zip/zip-archive';
import { SourceReadError } from '../../../shared/errors';

/** The S3 source's failure paths: each is a fault (SourceReadError, retried upstream), never a verdict. */
const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-3' });
const ref = { bucket: 'depots', key: 'depot/88558855858745/avance/x.zip', versionId: 'v-42', size: 1000 };

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** A response body as the SDK gives it on Node: a Readable with transformToByteArray. */
function body(stream: Readable) {
  const transformToByteArray = async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  };
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's body type is a union of platform streams.
  return Object.assign(stream, { transformToByteArray }) as any;
}

/** A minimal body standing for the SDK's stream type (a union of platform streams). */
function fakeBody(parts: { transformToByteArray: () => Promise<Uint8Array>; destroy: () => void }) {
  return parts as unknown as ReturnType<typeof body>;
}

beforeEach(() => s3.reset());

describe('S3ObjectSource', () => {
  it('asks for the exact byte range of the event’s object version', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Readable.from([Buffer.from('abcd')])) });
    const source = await S3ObjectSource.open(client, ref);
    expect(await source.read(10, 4)).toEqual(new Uint8Array(Buffer.from('abcd')));
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'depots',
      Key: ref.key,
      VersionId: 'v-42',
      Range: 'bytes=10-13',
    });
    expect(source.bytesRead).toBe(4);
  });

  it('asks the size with HeadObject when the event did not give it', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 123 });
    const source = await S3ObjectSource.open(client, { bucket: 'depots', key: 'k.zip' });
    expect(source.size).toBe(123);
  });

  it.each([
    ['access denied', serviceError('AccessDenied', 403)],
    ['throttled', serviceError('SlowDown', 503)],
    ['missing object', serviceError('NoSuchKey', 404)],
  ])('turns %s into a SourceReadError with its cause', async (_case, error) => {
    s3.on(GetObjectCommand).rejects(error);
    const source = await S3ObjectSource.open(client, ref);
    const failure = await source.read(0, 10).catch((caught) => caught);
    expect(failure).toBeInstanceOf(SourceReadError);
    expect(failure.cause).toBe(error);
  });

  it('destroys a body whose connection is reset mid-read', async () => {
    const destroy = jest.fn();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    s3.on(GetObjectCommand).resolves({
      Body: fakeBody({ transformToByteArray: () => Promise.reject(reset), destroy }),
    });
    const source = await S3ObjectSource.open(client, ref);
    const failure = await source.read(0, 100).catch((caught) => caught);
    expect(failure).toBeInstanceOf(SourceReadError);
    expect(failure.cause).toBe(reset);
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('leaves a fully read body alone', async () => {
    const destroy = jest.fn();
    s3.on(GetObjectCommand).resolves({
      Body: fakeBody({ transformToByteArray: async () => new Uint8Array([1, 2]), destroy }),
    });
    const source = await S3ObjectSource.open(client, ref);
    await source.read(0, 2);
    expect(destroy).not.toHaveBeenCalled();
  });

  it('makes the zip reader fail with the fault instead of calling the zip unreadable', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('AccessDenied', 403));
    const source = await S3ObjectSource.open(client, ref);
    await expect(ZipArchive.open(source)).rejects.toBeInstanceOf(SourceReadError);
  });
});
