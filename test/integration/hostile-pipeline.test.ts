import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { BUCKETS } from '../../shared/config/resources';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { SIRET, sampleText } from '../support/deposits';
import { waitFor } from '../support/embedded-deposits';
import { useEmbeddedStack } from '../support/embedded-stack';
import { manyZeroLines } from '../support/hostile-inputs';
import { document, makeZip } from '../support/zips';

/**
 * Hostile and odd deposits through the whole embedded stack over real HTTP: each ends in an outcome
 * the vendor can read (a result message, an email, a file in retour/) and nothing in a DLQ.
 */
/** A deposit whose JSON disappears before the judge reads it: every attempt fails (a fault). */
const VANISHING = 'JSON-1234567890-20220315-777';

const embedded = useEmbeddedStack('hostile', {
  recipients: [{ email: 'ops@asp.localhost' }, { email: 'editeur@localhost', siret: SIRET }],
  wrapHandler: (name, handler) =>
    name === 'judge'
      ? async (event, context) => {
          if (event.Records.some((record) => record.body.includes(VANISHING))) {
            await embedded.stack.clients.s3.send(
              new DeleteObjectCommand({ Bucket: BUCKETS.input, Key: key('avance', `${VANISHING}.json`) }),
            );
          }
          return handler(event, context);
        }
      : handler,
});

const key = (type: string, name: string) => `depot/${SIRET}/${type}/${name}`;
const resultsOf = (id: string) => embedded.stack.results.filter((result) => result.submissionId === id);

const resultOf = (id: string) => waitFor<ResultMessage>(`résultat de ${id}`, () => resultsOf(id)[0]);

async function mailsMentioning(text: string): Promise<string[]> {
  const dir = join(embedded.dir, 'mail');
  const files = await readdir(dir).catch(() => [] as string[]);
  const bodies = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
  return bodies.filter((body) => decodeMail(body).includes(text));
}

/** The .eml body, whatever its transfer encoding. */
function decodeMail(eml: string): string {
  const [headers = '', ...rest] = eml.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  return /base64/i.test(headers) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
}

const mdvLine = () => JSON.parse(sampleText('MDV-LGC-avance')).lignesImport[0];

/**
 * An MDV deposit from the sample's first line under its own numeroEditeur (the file number, padded:
 * each test uses numbers of its own), with its changes, and the zip of its documents.
 */
async function mdvDeposit(fileNumber: string, change: (line: Record<string, unknown>) => void) {
  const editeur = fileNumber.padStart(5, '0');
  const line = mdvLine();
  line.numeroEditeur = editeur;
  for (const piece of line.piecesJustificatives)
    piece.nomFichier = piece.nomFichier.replace('00001', editeur);
  change(line);
  const name = `JSON-3456789012-20221104-${fileNumber}`;
  const json = JSON.stringify({ impId: null, numeroAns: '3456789012', SIRET, lignesImport: [line] }).replace(
    '"montantSegurHT":1075',
    '"montantSegurHT":1075.00',
  );
  const zip = await makeZip(
    [`MDV-LGC-Va1-BDC-${editeur}.pdf`, `MDV-LGC-Va1-HT-${editeur}.pdf`].map((entry) => ({
      name: entry,
      content: document('PDF'),
    })),
  );
  return { name, id: `${SIRET}/avance/${name}`, json: Buffer.from(json), zip };
}

async function noDeadLetters() {
  await waitFor('file vide', async () => ((await embedded.stack.pendingWork()) === 0 ? true : undefined));
  expect(await embedded.stack.deadLetters()).toEqual({ intake: 0, judge: 0, results: 0 });
}

describe('every dropped file gets an outcome', () => {
  it('refuses .JSON / .ZIP in capitals with the reason, never merging them with the .json of that name', async () => {
    const deposit = await mdvDeposit('301', () => undefined);
    await embedded.stack.upload(key('avance', `${deposit.name}.JSON`), deposit.json);
    await embedded.stack.upload(key('avance', `${deposit.name}.ZIP`), deposit.zip);
    for (const name of [`${deposit.name}.JSON`, `${deposit.name}.ZIP`]) {
      const result = await resultOf(`${SIRET}/avance/${name}`);
      expect(result).toMatchObject({ outcome: 'refus', fileName: name });
      expect(result.fileErrors[0]?.message).toContain('doit être écrite en minuscules');
    }
    expect(await embedded.stack.store.getSubmission(`${SIRET}/avance/${deposit.name}`)).toBeUndefined();
  });

  it.each(['notes.txt', 'JSON-3456789012-20221104-302.json.bak'])(
    'refuses « %s » with a reason, a result message and an email',
    async (name) => {
      await embedded.stack.upload(key('avance', name), Buffer.from('quelque chose'));
      const result = await resultOf(`${SIRET}/avance/${name}`);
      expect(result).toMatchObject({ outcome: 'refus', status: 'rejected', siret: SIRET, type: 'avance' });
      expect(result.fileErrors[0]?.code).toBe('1050');
      await waitFor('courriel', async () => ((await mailsMentioning(name)).length >= 2 ? true : undefined));
      await noDeadLetters();
    },
  );

  it('refuses a key SQS cannot carry (U+FFFE) and still judges the others when the grace period ends', async () => {
    const odd = `JSON-3456789012-20221104-303\ufffe.json`;
    await embedded.stack.upload(key('avance', odd), Buffer.from('{}'));
    const waiting = await mdvDeposit('304', () => undefined);
    await embedded.stack.upload(key('avance', `${waiting.name}.json`), waiting.json);
    // Told with U+FFFD in its place: the message and the email carry only well-formed text.
    const refused = await resultOf(`${SIRET}/avance/${odd.replace('\ufffe', '\ufffd')}`);
    expect(refused.fileErrors[0]?.message).toContain('U+FFFE');
    // No zip: judged by the sweeper after the grace period, its documents missing (3001).
    await embedded.endGracePeriod(waiting.id);
    expect((await resultOf(waiting.id)).lines[0]?.codeTraitement).toBe('3001');
    await noDeadLetters();
  });

  it('rejects a 2,000-character numeroEditeur on its line, and never uses it as a key', async () => {
    const deposit = await mdvDeposit('305', (line) => {
      line.numeroEditeur = 'A'.repeat(2000);
    });
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
    const result = await resultOf(deposit.id);
    expect(result.lines[0]?.codeTraitement).not.toBe('0000');
    expect(result.lines[0]?.numeroASP).toBeNull();
    await noDeadLetters();
  });

  it('rejects a solde citing a 3,000-character numeroASP on that field, without looking it up', async () => {
    const name = 'JSON-2345678901-20230920-311';
    const text = sampleText('BIO-LOINC-solde').replace(
      /"numeroASP": "[^"]*"/,
      `"numeroASP": "${'F'.repeat(3000)}"`,
    );
    await embedded.stack.upload(`depot/${SIRET}/solde/${name}.json`, Buffer.from(text));
    await embedded.endGracePeriod(`${SIRET}/solde/${name}`);
    const result = await resultOf(`${SIRET}/solde/${name}`);
    expect(result.lines[0]?.codeTraitement).not.toBe('0000');
    expect(result.lines[0]?.libelleTraitement).toContain('numeroASP');
    await noDeadLetters();
  });

  it('rejects a 500,000-digit amount (2019) without a DynamoDB item over 400 KB', async () => {
    const deposit = await mdvDeposit('306', () => undefined);
    const json = Buffer.from(
      deposit.json
        .toString()
        .replace('"montantSegurHT":1075.00', `"montantSegurHT":${'9'.repeat(500_000)}.00`),
    );
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
    expect((await resultOf(deposit.id)).lines[0]?.codeTraitement).toBe('2019');
    await noDeadLetters();
  });

  it('sends the email of a deposit holding a lone surrogate', async () => {
    const deposit = await mdvDeposit('307', () => undefined);
    const json = Buffer.from(
      deposit.json.toString().replace('"numeroEditeur":"00307"', '"numeroEditeur":"0000\\udc00"'),
    );
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
    const result = await resultOf(deposit.id);
    expect(result.lines[0]?.numeroEditeur).toBe('0000\ufffd');
    await waitFor('courriel', async () =>
      (await mailsMentioning(deposit.name)).length >= 2 ? true : undefined,
    );
    await noDeadLetters();
  });

  it('refuses 3,000 non-object lines with one small result message (1022)', async () => {
    const name = 'JSON-3456789012-20221104-308';
    await embedded.stack.upload(key('avance', `${name}.json`), Buffer.from(manyZeroLines(3000)));
    const result = await resultOf(`${SIRET}/avance/${name}`);
    expect(result.fileErrors.map((error) => error.code)).toEqual(['1022']);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(4096);
    await noDeadLetters();
  });

  it('leaves a judged submission judged when the same file is uploaded again', async () => {
    const deposit = await mdvDeposit('309', () => undefined);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
    await resultOf(deposit.id);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await noDeadLetters();
    expect((await embedded.stack.store.getSubmission(deposit.id))?.status).toBe('judged');
    expect(resultsOf(deposit.id)).toHaveLength(1);
  });

  it('refuses a zip whose central directory is said to start at 0 (3011), without reading it', async () => {
    const deposit = await mdvDeposit('310', () => undefined);
    const size = 20 * 1024 * 1024;
    const sparse = Buffer.alloc(size);
    sparse.writeUInt32LE(0x06054b50, size - 22);
    sparse.writeUInt16LE(1, size - 14);
    sparse.writeUInt16LE(1, size - 12);
    sparse.writeUInt32LE(size - 22, size - 10);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`), sparse);
    await waitFor('zip enregistré', async () => {
      const submission = await embedded.stack.store.getSubmission(deposit.id);
      return Object.keys(submission?.zips ?? {}).length > 0;
    });
    await embedded.endGracePeriod(deposit.id);
    const result = await resultOf(deposit.id);
    expect(result.lines[0]?.codeTraitement).toBe('3011');
    await noDeadLetters();
  });

  it('answers a judgement that keeps failing with a technical rejection (1060), not a dead letter', async () => {
    const deposit = await mdvDeposit('777', () => undefined);
    await embedded.stack.upload(key('avance', `${VANISHING}.json`), deposit.json);
    await embedded.endGracePeriod(`${SIRET}/avance/${VANISHING}`);
    const result = await resultOf(`${SIRET}/avance/${VANISHING}`);
    expect(result).toMatchObject({ outcome: 'rejet-technique', status: 'rejected' });
    expect(result.fileErrors[0]?.code).toBe('1060');
    const mirrored = await embedded.stack.mirrorOutputs(embedded.dir);
    expect(mirrored).toContain(`retour/${SIRET}/avance/${VANISHING}.rapport.html`);
    const report = JSON.parse(
      await readFile(join(embedded.dir, `retour/${SIRET}/avance/${VANISHING}.rapport.json`), 'utf8'),
    );
    expect(report.fileErrors[0].code).toBe('1060');
    await noDeadLetters();
    expect(resultsOf(`${SIRET}/avance/${VANISHING}`)).toHaveLength(1);
  });
});
