import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QUEUES } from '../../shared/config/resources';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { ROOT, SAMPLES, SIRET, sampleText } from '../support/deposits';
import { hopDeposit, waitFor } from '../support/embedded-deposits';
import { useEmbeddedStack } from '../support/embedded-stack';
import { document, makeZip } from '../support/zips';

/**
 * The whole pipeline on the embedded stack, through real HTTP: the real handlers run by the local
 * runtime (S3 events, SQS event source mappings, the sweeper's schedule, the mailbox).
 */
const embedded = useEmbeddedStack('embedded', {
  recipients: [{ email: 'ops@asp.localhost' }, { email: 'editeur@localhost', siret: SIRET }],
  // A deposit whose file number is 999 makes the judge crash: a fault, retried, then dead-lettered.
  wrapHandler: (name, handler) =>
    name === 'judge'
      ? async (event, context) => {
          if (event.Records.some((record) => record.body.includes('-999')))
            throw new Error('panne simulée du juge');
          return handler(event, context);
        }
      : handler,
  referentiel: async () => {
    const referentiel = JSON.parse(await readFile(join(ROOT, 'events/referentiel.json'), 'utf8'));
    // Avances of other instances than the sample's (one payment per FINESS géographique).
    const elsewhere = { beneficiaires: ['999999994', '999999995'] };
    referentiel.avances.push(
      {
        ...referentiel.avances[0],
        ...elsewhere,
        numeroASP: 'FINBIO000007',
        numeroEditeur: '00002',
        statut: 'ACCEPTEE',
      },
      {
        ...referentiel.avances[0],
        ...elsewhere,
        numeroASP: 'FINBIO000008',
        numeroEditeur: '00003',
        statut: 'PAYEE',
      },
    );
    return Buffer.from(JSON.stringify(referentiel));
  },
});

function resultsOf(submissionId: string): ResultMessage[] {
  return embedded.stack.results.filter((result) => result.submissionId === submissionId);
}

const resultOf = (submissionId: string) =>
  waitFor(`résultat de ${submissionId}`, () => resultsOf(submissionId)[0]);
const key = (type: string, name: string, siret = SIRET) => `depot/${siret}/${type}/${name}`;

describe('the embedded stack', () => {
  it('judges every sample deposit of the four profiles, with outputs and mails', async () => {
    for (const path of Object.values(SAMPLES)) {
      const relative = path.replace('events/drop/', '');
      await embedded.stack.upload(`depot/${relative}`, await readFile(join(ROOT, path)));
      await embedded.stack.upload(
        `depot/${relative.replace(/\.json$/, '.zip')}`,
        await readFile(join(ROOT, path.replace(/\.json$/, '.zip'))),
      );
    }
    for (const path of Object.values(SAMPLES)) {
      const [, siret, type, file] = path.replace('events/drop/', '/').split('/');
      const result = await resultOf(`${siret}/${type}/${(file as string).replace('.json', '')}`);
      expect(result).toMatchObject({ status: 'processed', rejected: 0 });
    }
    const mirrored = await embedded.stack.mirrorOutputs(embedded.dir);
    expect(mirrored.filter((file) => file.endsWith('.rapport.html'))).toHaveLength(4);
    const mails = await waitFor('courriels', async () => {
      const files = await readdir(join(embedded.dir, 'mail')).catch(() => []);
      return files.length >= 8 ? files : undefined;
    });
    expect(mails.filter((file) => file.includes('editeur@localhost'))).toHaveLength(4);
  });

  it('writes the functions’ Powertools logs and metrics to the log file, with request ids and cold starts', async () => {
    const lines = (await readFile(join(embedded.dir, 'pipeline.log'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const logs = lines.filter((line) => line.level !== undefined);
    for (const service of ['intake', 'judge', 'notify'])
      expect(logs).toContainEqual(
        expect.objectContaining({
          service,
          level: 'INFO',
          function_name: `segur-${service}`,
          function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          cold_start: expect.any(Boolean),
        }),
      );
    expect(logs.some((line) => line.service === 'judge' && line.submissionId)).toBe(true);
    const metrics = lines.filter((line) => line._aws);
    expect(metrics).toContainEqual(
      expect.objectContaining({ service: 'judge', Submissions: 1, LinesAccepted: expect.any(Number) }),
    );
  });

  it('judges once whether the JSON or the zip comes first', async () => {
    const jsonFirst = await hopDeposit('101', ['10101']);
    await embedded.stack.upload(key('avance', `${jsonFirst.name}.json`), jsonFirst.json);
    await embedded.stack.upload(key('avance', `${jsonFirst.name}.zip`), jsonFirst.zip);
    const zipFirst = await hopDeposit('102', ['10201']);
    await embedded.stack.upload(key('avance', `${zipFirst.name}.zip`), zipFirst.zip);
    await embedded.stack.upload(key('avance', `${zipFirst.name}.json`), zipFirst.json);
    expect((await resultOf(jsonFirst.id)).accepted).toBe(1);
    expect((await resultOf(zipFirst.id)).accepted).toBe(1);
    // Everything delivered and done: a second judgement would be in the results by now.
    await waitFor('pile au repos', async () => (await embedded.stack.pendingWork()) === 0);
    expect(resultsOf(jsonFirst.id)).toHaveLength(1);
    expect(resultsOf(zipFirst.id)).toHaveLength(1);
  });

  it('waits for a second zip that completes the submission', async () => {
    const deposit = await hopDeposit('103', ['10301']);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await embedded.stack.upload(
      key('avance', `${deposit.name}-1.zip`),
      await makeZip([deposit.documents[0] as never]),
    );
    await waitFor('pile au repos', async () => (await embedded.stack.pendingWork()) === 0);
    expect(resultsOf(deposit.id)).toHaveLength(0);
    await embedded.stack.upload(
      key('avance', `${deposit.name}-2.zip`),
      await makeZip([deposit.documents[1] as never]),
    );
    expect((await resultOf(deposit.id)).accepted).toBe(1);
  });

  it('makes one judgement of the same S3 event delivered twice', async () => {
    const deposit = await hopDeposit('104', ['10401']);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    const event = await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
    await resultOf(deposit.id);
    // S3 delivers at least once: the very same event again.
    await embedded.stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: embedded.stack.queues.intake.url,
        MessageBody: JSON.stringify(event),
      }),
    );
    await waitFor('file vide', async () => (await embedded.stack.pendingWork()) === 0);
    expect(resultsOf(deposit.id)).toHaveLength(1);
  });

  it('gives 50 submissions sent at once distinct numeroASP', async () => {
    const deposits = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        hopDeposit(String(200 + i), [`5${String(i).padStart(2, '0')}01`, `5${String(i).padStart(2, '0')}02`]),
      ),
    );
    await Promise.all(
      deposits.map(async (deposit) => {
        await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
        await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
      }),
    );
    const results = await Promise.all(
      deposits.map((deposit) => waitFor(deposit.id, () => resultsOf(deposit.id)[0])),
    );
    const numbers = results.flatMap((result) => result.lines.map((line) => line.numeroASP));
    expect(numbers).toHaveLength(100);
    expect(numbers.every((number) => /^FINHOP\d{6}$/.test(number ?? ''))).toBe(true);
    expect(new Set(numbers).size).toBe(100);
  });

  it('refuses a numeroEditeur reused in a later submission', async () => {
    const later = await hopDeposit('105', ['10101']);
    await embedded.stack.upload(key('avance', `${later.name}.json`), later.json);
    await embedded.stack.upload(key('avance', `${later.name}.zip`), later.zip);
    expect((await resultOf(later.id)).lines[0]?.codeTraitement).toBe('2031');
  });

  it('accepts a solde against a paid avance and refuses one against an unpaid avance', async () => {
    const solde = JSON.parse(sampleText('BIO-LOINC-solde'));
    const paid = solde.lignesImport[0];
    paid.numeroASP = 'FINBIO000008';
    paid.numeroEditeur = '00003';
    paid.beneficiaires = ['999999994', '999999995'];
    paid.piecesJustificatives = [
      { nomFichier: 'BIO-LOINC-Va1-FACTURE-00003.pdf', formatFichier: 'PDF', typeFichier: 'FACTURE' },
      { nomFichier: 'BIO-LOINC-Va1-VA-00003.pdf', formatFichier: 'PDF', typeFichier: 'VA' },
    ];
    const unpaid = structuredClone(paid);
    unpaid.numLigne = 2;
    unpaid.numeroASP = 'FINBIO000007';
    unpaid.numeroEditeur = '00002';
    unpaid.piecesJustificatives = [
      { nomFichier: 'BIO-LOINC-Va1-FACTURE-00002.pdf', formatFichier: 'PDF', typeFichier: 'FACTURE' },
      { nomFichier: 'BIO-LOINC-Va1-VA-00002.pdf', formatFichier: 'PDF', typeFichier: 'VA' },
    ];
    solde.lignesImport.push(unpaid);
    const text = JSON.stringify(solde, null, 2).replace(
      /"montantSegurHTFacture": 2917/g,
      '"montantSegurHTFacture": 2917.00',
    );
    const name = 'JSON-2345678901-20230921-001';
    const names = [
      'BIO-LOINC-Va1-FACTURE-00003.pdf',
      'BIO-LOINC-Va1-VA-00003.pdf',
      'BIO-LOINC-Va1-FACTURE-00002.pdf',
      'BIO-LOINC-Va1-VA-00002.pdf',
    ];
    await embedded.stack.upload(key('solde', `${name}.json`), Buffer.from(text));
    await embedded.stack.upload(
      key('solde', `${name}.zip`),
      await makeZip(names.map((entry) => ({ name: entry, content: document('PDF') }))),
    );
    const result = await resultOf(`${SIRET}/solde/${name}`);
    expect(result.lines.map((line) => line.codeTraitement)).toEqual(['0000', '2063']);
  });

  it('rejects a file whose SIRET folder is not the header’s', async () => {
    const deposit = await hopDeposit('106', ['10601']);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`, '11111111111111'), deposit.json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`, '11111111111111'), deposit.zip);
    const result = await resultOf(`11111111111111/avance/${deposit.name}`);
    expect(result).toMatchObject({
      status: 'rejected',
      fileErrors: [expect.objectContaining({ code: '1041' })],
    });
  });

  it('judges with what is there when the grace period expires with a zip missing', async () => {
    const deposit = await hopDeposit('107', ['10701']);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await embedded.endGracePeriod(deposit.id);
    const result = await resultOf(deposit.id);
    expect(result.lines[0]).toMatchObject({ codeTraitement: '3001' });
  });

  it('retries a crashing handler, then puts the message in the dead-letter queue', async () => {
    const deposit = await hopDeposit('999', ['99901']);
    await embedded.stack.upload(key('avance', `${deposit.name}.json`), deposit.json);
    await embedded.stack.upload(key('avance', `${deposit.name}.zip`), deposit.zip);
    const dead = await waitFor('lettre morte', async () => {
      const counts = await embedded.stack.deadLetters();
      return (counts.judge ?? 0) > 0 ? counts : undefined;
    });
    expect(dead).toMatchObject({ intake: 0, results: 0 });
    // Each judge request is tried maxReceiveCount (5) times, then dead-lettered. (Both arrivals may
    // have found the submission complete: one or two requests.)
    await waitFor('file vide', async () => (await embedded.stack.pendingWork()) === 0);
    const { judge } = await embedded.stack.deadLetters();
    expect(embedded.stack.faults.filter((fault) => fault === 'panne simulée du juge')).toHaveLength(
      QUEUES.judge.maxReceiveCount * (judge ?? 0),
    );
  });
});
