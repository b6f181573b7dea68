import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { main } from '../../local/cli';
import { createResources } from '../../local/embedded/create-resources';
import { startDynalite } from '../../local/embedded/start-dynalite';
import { type EmbeddedAws, startFauxqs } from '../../local/embedded/start-fauxqs';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { createS3Client } from '../../shared/adapters/s3-client';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { S3ReferentielSource } from '../../shared/adapters/s3-referentiel-source';
import { SqsWorkQueues } from '../../shared/adapters/sqs-work-queues';
import { BUCKETS, PREFIXES } from '../../shared/config/resources';
import { createLogger } from '../../shared/observability/logger';
import { ArrivalMemo } from '../../shared/pipeline/arrival-memo';
import { recordArrival, type S3ObjectEvent } from '../../shared/pipeline/intake';
import { judgeSubmission } from '../../shared/pipeline/judge-submission';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { sweep } from '../../shared/pipeline/sweep';
import { mutate, ROOT, sampleText, set } from '../support/deposits';
import { document, makeZip } from '../support/zips';

/**
 * The pipeline's use cases with the real adapters, over real HTTP: S3 and SQS emulated by fauxqs,
 * DynamoDB by dynalite. Handlers only wrap these functions.
 */
let aws: EmbeddedAws;
let dynamo: { endpoint: string; stop(): Promise<void> };
const clients = {} as { s3: S3Client; sqs: SQSClient; dynamo: DynamoDBClient };
let deps: Parameters<typeof judgeSubmission>[0] & Parameters<typeof recordArrival>[0];
let queueUrls: Awaited<ReturnType<typeof createResources>>;
let clock = new Date('2026-11-22T10:00:00Z');
const SIRET = '88558855858745';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  [aws, dynamo] = await Promise.all([startFauxqs(), startDynalite()]);
  clients.s3 = createS3Client({ endpoint: aws.endpoint, region: 'us-east-1', credentials });
  clients.sqs = new SQSClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials });
  clients.dynamo = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  queueUrls = await createResources(clients);
  const silent = createLogger('test', {}, () => undefined);
  deps = {
    store: new DynamoStateStore(clients.dynamo),
    objects: new S3ObjectStore(clients.s3, BUCKETS.input, BUCKETS.output),
    queues: new SqsWorkQueues(clients.sqs, queueUrls.judge.url, queueUrls.results.url),
    referentiel: new S3ReferentielSource(clients.s3, BUCKETS.input, 0),
    logger: silent,
    now: () => clock,
    leaseSeconds: 240,
  };
  const referentiel = await import('node:fs').then((fs) =>
    fs.readFileSync(`${ROOT}/events/referentiel.json`),
  );
  await clients.s3.send(
    new PutObjectCommand({ Bucket: BUCKETS.input, Key: PREFIXES.referentiel, Body: referentiel }),
  );
});

afterAll(async () => {
  for (const client of Object.values(clients)) client?.destroy();
  await Promise.all([aws?.stop(), dynamo?.stop()]);
});

/** Uploads a deposit file and returns the S3 event record AWS would send (key URL-encoded). */
async function drop(
  type: string,
  name: string,
  body: Uint8Array | string,
  siret = SIRET,
): Promise<S3ObjectEvent> {
  const key = `${PREFIXES.deposit}${siret}/${type}/${name}`;
  const put = await clients.s3.send(new PutObjectCommand({ Bucket: BUCKETS.input, Key: key, Body: body }));
  return {
    eventName: 'ObjectCreated:Put',
    eventTime: clock.toISOString(),
    s3: {
      object: {
        key: encodeURIComponent(key).replace(/%2F/g, '/'),
        size: Buffer.byteLength(body),
        eTag: put.ETag,
      },
    },
  };
}

async function output(key: string): Promise<string> {
  const response = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKETS.output, Key: key }));
  return (await response.Body?.transformToString()) ?? '';
}

async function receiveAll(url: string): Promise<unknown[]> {
  const response = await clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  return (response.Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}'));
}

const hopName = (n: string) => `JSON-1234567890-20220315-${n}`;
const hopZip = () =>
  makeZip([
    { name: 'HOP-DPI-Va1-BDC-00001.pdf', content: document('PDF') },
    { name: 'HOP-DPI-Va1-HT-00001.pdf', content: document('PDF') },
  ]);

describe('pipeline use cases on the embedded services', () => {
  let first: ResultMessage | undefined;

  it('waits for the zip, then judges once: outputs in retour/, numeroASP and impId, one result message', async () => {
    expect(
      await recordArrival(deps, await drop('avance', `${hopName('001')}.json`, sampleText('HOP-DPI-avance'))),
    ).toBe('waiting');
    const zipEvent = await drop('avance', `${hopName('001')}.zip`, await hopZip());
    expect(await recordArrival(deps, zipEvent)).toBe('ready');
    expect(await receiveAll(queueUrls.judge.url)).toEqual([
      { submissionId: `${SIRET}/avance/${hopName('001')}`, reason: 'ready' },
    ]);

    first = await judgeSubmission(deps, {
      submissionId: `${SIRET}/avance/${hopName('001')}`,
      reason: 'ready',
    });
    expect(first).toMatchObject({
      status: 'processed',
      accepted: 1,
      rejected: 0,
      lines: [{ codeTraitement: '0000', numeroASP: 'FINHOP000001' }],
    });
    const annotated = JSON.parse(await output(`retour/${SIRET}/avance/${hopName('001')}.json`));
    expect(annotated.impId).toMatch(/^IMP\d{9}$/);
    expect(annotated.lignesImport[0]).toMatchObject({ numeroASP: 'FINHOP000001', codeTraitement: '0000' });
    expect(await output(`retour/${SIRET}/avance/${hopName('001')}.rapport.html`)).toContain(
      '<html lang="fr">',
    );
    expect(await receiveAll(queueUrls.results.url)).toEqual([first]);

    // The same S3 event delivered again: the submission stays judged, nothing is asked again.
    expect(await recordArrival(deps, zipEvent)).toBe('waiting');
    expect((await deps.store.getSubmission(`${SIRET}/avance/${hopName('001')}`))?.status).toBe('judged');
    expect(
      await judgeSubmission(deps, { submissionId: `${SIRET}/avance/${hopName('001')}`, reason: 'ready' }),
    ).toBeUndefined();
  });

  it('answers a file dropped outside the naming scheme with a written refusal', async () => {
    expect(await recordArrival(deps, await drop('acompte', 'JSON-1234567890-20220315-001.json', '{}'))).toBe(
      'refused',
    );
    const refusal = JSON.parse(
      await output(`retour/${SIRET}/acompte/JSON-1234567890-20220315-001.json.refus.json`),
    );
    expect(refusal.code).toBe('1050');
    expect(refusal.motif).toBe(
      'Le fichier « JSON-1234567890-20220315-001.json » n’est pas traité : dossier « acompte » : avance ou solde attendu',
    );
    const [message] = await receiveAll(queueUrls.results.url);
    expect(message).toMatchObject({ outcome: 'refus', siret: SIRET, type: null, status: 'rejected' });
    expect((message as ResultMessage).fileErrors[0]?.code).toBe('1050');
  });

  it('says so when zips wait past the grace period without their JSON', async () => {
    const name = 'JSON-1234567890-20220316-001';
    await recordArrival(deps, await drop('avance', `${name}.zip`, await hopZip()));
    const later = new Date(clock.getTime() + 20 * 60_000);
    expect(await sweep(deps, later, 15)).toContain(`${SIRET}/avance/${name}`);
    const result = await judgeSubmission(deps, {
      submissionId: `${SIRET}/avance/${name}`,
      reason: 'grace-period',
    });
    expect(result).toMatchObject({ outcome: 'refus', status: 'rejected', fileName: `${name}.json` });
    const refusal = JSON.parse(await output(`retour/${SIRET}/avance/${name}.refus.json`));
    expect(refusal.code).toBe('1051');
    expect(refusal.motif).toContain(`sans le fichier ${name}.json`);
    await receiveAll(queueUrls.results.url);
    expect(await sweep(deps, later, 15)).not.toContain(`${SIRET}/avance/${name}`);
    await receiveAll(queueUrls.judge.url);
  });

  it('refuses a zip that arrives after the judgement without any missing document (1053), the verdict untouched', async () => {
    const before = await output(`retour/${SIRET}/avance/${hopName('001')}.json`);
    const late = await drop(
      'avance',
      `${hopName('001')}-2.zip`,
      await makeZip([{ name: 'notes.pdf', content: document('PDF') }]),
    );
    expect(await recordArrival(deps, late)).toBe('refused');
    const refusal = JSON.parse(await output(`retour/${SIRET}/avance/${hopName('001')}-2.zip.refus.json`));
    expect(refusal.code).toBe('1053');
    expect(await output(`retour/${SIRET}/avance/${hopName('001')}.json`)).toBe(before);
    expect((await deps.store.getSubmission(`${SIRET}/avance/${hopName('001')}`))?.status).toBe('judged');
    await receiveAll(queueUrls.results.url);
    expect(await receiveAll(queueUrls.judge.url)).toEqual([]);
  });

  it('gives the same numeroASP when an operator replays the submission', async () => {
    const again = await judgeSubmission(deps, {
      submissionId: `${SIRET}/avance/${hopName('001')}`,
      reason: 'replay',
    });
    expect(again?.lines[0]?.numeroASP).toBe('FINHOP000001');
    await receiveAll(queueUrls.results.url);
  });

  it('makes one judgement of one content however many judges race for it', async () => {
    const name = 'JSON-4567890123-20211025-001';
    const zip = await makeZip([
      { name: 'BIO-SGL-Va1-BDC-00001.pdf', content: document('PDF') },
      { name: 'BIO-SGL-Va1-HT-00001.pdf', content: document('PDF') },
    ]);
    await Promise.all([
      drop('avance', `${name}.json`, sampleText('BIO-SGL-avance')).then((event) =>
        recordArrival(deps, event),
      ),
      drop('avance', `${name}.zip`, zip).then((event) => recordArrival(deps, event)),
    ]);
    await receiveAll(queueUrls.judge.url);
    const request = { submissionId: `${SIRET}/avance/${name}`, reason: 'ready' as const };
    const results = await Promise.all([1, 2, 3, 4].map(() => judgeSubmission(deps, request)));
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect(await receiveAll(queueUrls.results.url)).toHaveLength(1);
  });

  it('gives back a failed judgement’s claim though DynamoDB throttles it twice: the retry judges at once', async () => {
    const name = 'JSON-4567890123-20211025-007';
    await recordArrival(deps, await drop('avance', `${name}.json`, sampleText('BIO-SGL-avance')));
    await recordArrival(
      deps,
      await drop(
        'avance',
        `${name}.zip`,
        await makeZip([
          { name: 'BIO-SGL-Va1-BDC-00001.pdf', content: document('PDF') },
          { name: 'BIO-SGL-Va1-HT-00001.pdf', content: document('PDF') },
        ]),
      ),
    );
    await receiveAll(queueUrls.judge.url);
    let releases = 0;
    const store = Object.assign(Object.create(deps.store), {
      releaseJudgement(id: string, key: string) {
        releases++;
        if (releases <= 2) return Promise.reject(new Error('débit dépassé'));
        return deps.store.releaseJudgement(id, key);
      },
    });
    let reads = 0;
    const objects = Object.assign(Object.create(deps.objects), {
      readCapped(...args: Parameters<typeof deps.objects.readCapped>) {
        if (reads++ === 0) return Promise.reject(new Error('S3 indisponible'));
        return deps.objects.readCapped(...args);
      },
    });
    const request = { submissionId: `${SIRET}/avance/${name}`, reason: 'ready' as const };
    await expect(judgeSubmission({ ...deps, store, objects }, request)).rejects.toThrow('S3 indisponible');
    expect(releases).toBe(3);
    const retried = await judgeSubmission({ ...deps, store, objects }, request);
    expect(retried?.lines).toHaveLength(1);
    await receiveAll(queueUrls.results.url);
  });

  it('reads a JSON and each zip once across the arrivals, and again only bytes it has not read', async () => {
    const name = hopName('010');
    const reads = { json: 0, zips: 0 };
    const objects = Object.assign(Object.create(deps.objects), {
      readCapped(...args: Parameters<typeof deps.objects.readCapped>) {
        reads.json++;
        return deps.objects.readCapped(...args);
      },
      openRange(...args: Parameters<typeof deps.objects.openRange>) {
        reads.zips++;
        return deps.objects.openRange(...args);
      },
    });
    const intake = { ...deps, objects, memo: new ArrivalMemo() };
    const arrive = async (file: string, body: string | Uint8Array) => {
      // Later events come later (S3's order of a key's events, without a sequencer, is by time).
      clock = new Date(clock.getTime() + 1000);
      return recordArrival(intake, await drop('avance', file, body));
    };
    const zipOf = (file: string) => makeZip([{ name: file, content: document('PDF') }]);
    const json = sampleText('HOP-DPI-avance');
    expect(await arrive(`${name}.json`, json)).toBe('waiting');
    expect(await arrive(`${name}-1.zip`, await zipOf('HOP-DPI-Va1-BDC-00001.pdf'))).toBe('waiting');
    expect(await arrive(`${name}-2.zip`, await zipOf('HOP-DPI-Va1-HT-00001.pdf'))).toBe('ready');
    // Without the memo: the JSON 3 times, the first zip twice.
    expect(reads).toEqual({ json: 1, zips: 2 });
    // The JSON replaced before its judgement, declaring a document no zip holds: read, and waiting.
    expect(await arrive(`${name}.json`, json.replace('HT-00001', 'HT-00009'))).toBe('waiting');
    expect(reads).toEqual({ json: 2, zips: 2 });
    // The second zip replaced by one holding it: only that zip read again, and ready.
    expect(await arrive(`${name}-2.zip`, await zipOf('HOP-DPI-Va1-HT-00009.pdf'))).toBe('ready');
    expect(reads).toEqual({ json: 2, zips: 3 });
    await receiveAll(queueUrls.judge.url);
  });

  it('refuses a numeroEditeur the vendor used in an earlier submission', async () => {
    await recordArrival(deps, await drop('avance', `${hopName('002')}.json`, sampleText('HOP-DPI-avance')));
    await recordArrival(deps, await drop('avance', `${hopName('002')}.zip`, await hopZip()));
    const result = await judgeSubmission(deps, {
      submissionId: `${SIRET}/avance/${hopName('002')}`,
      reason: 'ready',
    });
    expect(result?.lines[0]).toMatchObject({ codeTraitement: '2031', numeroASP: null });
    expect(result?.lines[0]?.libelleTraitement).toContain(`(${hopName('001')}.json)`);
  });

  it('rejects a file whose header SIRET is not its folder’s', async () => {
    const other = '11111111111111';
    await recordArrival(
      deps,
      await drop('avance', `${hopName('003')}.json`, sampleText('HOP-DPI-avance'), other),
    );
    await recordArrival(deps, await drop('avance', `${hopName('003')}.zip`, await hopZip(), other));
    const result = await judgeSubmission(deps, {
      submissionId: `${other}/avance/${hopName('003')}`,
      reason: 'ready',
    });
    expect(result).toMatchObject({
      status: 'rejected',
      fileErrors: [expect.objectContaining({ code: '1041' })],
    });
  });

  it('judges a solde against the recorded avance and its status', async () => {
    const name = 'JSON-2345678901-20230920-001';
    const zip = await makeZip([
      { name: 'BIO-LOINC-Va1-FACTURE-00001.pdf', content: document('PDF') },
      { name: 'BIO-LOINC-Va1-VA-00001.pdf', content: document('PDF') },
    ]);
    await recordArrival(deps, await drop('solde', `${name}.json`, sampleText('BIO-LOINC-solde')));
    await recordArrival(deps, await drop('solde', `${name}.zip`, zip));
    const paid = await judgeSubmission(deps, { submissionId: `${SIRET}/solde/${name}`, reason: 'ready' });
    expect(paid?.lines[0]?.codeTraitement).toBe('0000');
  });

  it('judges what the grace period left waiting, rejecting the lines whose documents never came', async () => {
    const name = hopName('004');
    const text = mutate(sampleText('HOP-DPI-avance'), [
      set(['lignesImport', 0, 'numeroEditeur'], '"00009"'),
      set(['lignesImport', 0, 'piecesJustificatives', 0, 'nomFichier'], '"HOP-DPI-Va1-BDC-00009.pdf"'),
      set(['lignesImport', 0, 'piecesJustificatives', 1, 'nomFichier'], '"HOP-DPI-Va1-HT-00009.pdf"'),
    ]);
    expect(await recordArrival(deps, await drop('avance', `${name}.json`, text))).toBe('waiting');
    await receiveAll(queueUrls.judge.url);
    clock = new Date(clock.getTime() + 16 * 60_000);
    const swept = await sweep(deps, clock, 15);
    expect(swept).toContain(`${SIRET}/avance/${name}`);
    const result = await judgeSubmission(deps, {
      submissionId: `${SIRET}/avance/${name}`,
      reason: 'grace-period',
    });
    expect(result?.lines[0]).toMatchObject({ codeTraitement: '3001' });
    expect(await sweep(deps, clock, 15)).not.toContain(`${SIRET}/avance/${name}`);
  });

  describe('operators’ commands', () => {
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const endpoints = [
        '--endpoint',
        aws.endpoint,
        '--dynamodb-endpoint',
        dynamo.endpoint,
        '--region',
        'us-east-1',
      ];
      const code = await main([...args, ...endpoints], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      return { code, stdout, stderr };
    };

    it('lists the submissions and their state', async () => {
      // The Paris day of the arrivals (this suite's clock); no notify runs here, so no email is recorded yet.
      const listed = await run('soumissions', '--jour', '2026-11-22', '--format', 'json');
      expect(listed.code).toBe(0);
      const ids = JSON.parse(listed.stdout).soumissions.map((submission: { id: string; status: string }) => [
        submission.id,
        submission.status,
      ]);
      expect(ids).toContainEqual([`${SIRET}/avance/${hopName('001')}`, 'jugee']);
    });

    it('sets the status of a recorded avance, and says when it does not know it', async () => {
      expect((await run('avance-statut', 'FINHOP000001', 'PAYEE')).code).toBe(0);
      expect(await deps.store.findAvances(['FINHOP000001'])).toEqual([
        expect.objectContaining({ statut: 'PAYEE', numeroEditeur: '00001', montantSegurHT: '13750.00' }),
      ]);
      const unknown = await run('avance-statut', 'FINHOP999999', 'PAYEE');
      expect(unknown).toMatchObject({ code: 2, stderr: 'segur-pipeline : avance FINHOP999999 inconnue\n' });
    });

    it('replays a submission through the judge queue', async () => {
      await receiveAll(queueUrls.judge.url);
      expect((await run('rejouer', `${SIRET}/avance/${hopName('001')}`)).code).toBe(0);
      expect(await receiveAll(queueUrls.judge.url)).toEqual([
        { submissionId: `${SIRET}/avance/${hopName('001')}`, reason: 'replay' },
      ]);
    });

    it('pushes a référentiel only once it is valid', async () => {
      const pushed = await run('referentiel-push', `${ROOT}/events/referentiel.json`);
      expect(pushed.stdout).toContain(`s3://${BUCKETS.input}/config/referentiel.json`);
      const invalid = await run('referentiel-push', `${ROOT}/package.json`);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain('invalide');
    });
  });
});
