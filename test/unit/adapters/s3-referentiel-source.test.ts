import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ReferentielSource } from '../../../shared/adapters/s3-referentiel-source';
import { ReferentielUnavailable } from '../../../shared/errors';

/** The référentiel read from config/referentiel.json, cached for a short while. */
const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-3' });
const body = (text: string) => ({ transformToString: async () => text }) as never;
const valid = JSON.stringify({
  referencements: [
    { numeroAns: '1234567890', siret: '88558855858745', couloir: 'HOP', logiciel: 'DPI', profils: [] },
  ],
});

beforeEach(() => s3.reset());

describe('S3ReferentielSource', () => {
  it('reads once within the TTL, again after it', async () => {
    let now = 0;
    s3.on(GetObjectCommand).resolves({ Body: body(valid) });
    const source = new S3ReferentielSource(client, 'depots', 60_000, () => now);
    await source.load();
    now = 59_000;
    await source.load();
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    now = 61_000;
    expect((await source.load())?.referencements).toHaveLength(1);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'depots',
      Key: 'config/referentiel.json',
    });
  });

  it('is unavailable, never empty, when the object does not exist', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'absent', $metadata: {} }));
    const failure = await new S3ReferentielSource(client, 'depots').load().catch((error) => error);
    expect(failure).toBeInstanceOf(ReferentielUnavailable);
    expect(failure).toMatchObject({ reason: 'absent' });
  });

  it('is unavailable when the file is not JSON', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"referencements": [') });
    const failure = await new S3ReferentielSource(client, 'depots').load().catch((error) => error);
    expect(failure).toMatchObject({ reason: 'invalide' });
  });

  it('treats an invalid référentiel as a fault, naming its errors', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"referencements": [{"numeroAns": "1"}]}') });
    const failure = await new S3ReferentielSource(client, 'depots').load().catch((error) => error);
    expect(failure).toBeInstanceOf(ReferentielUnavailable);
    expect(failure.message).toMatch(/référentiel invalide .*: .*numeroAns doit compter 10 caractères/);
  });
});
