import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { ROOT, SIRET, sampleText } from '../support/deposits';
import { hopDeposit, waitFor } from '../support/embedded-deposits';
import { useEmbeddedStack } from '../support/embedded-stack';
import { document, makeZip } from '../support/zips';

/**
 * A request's life across files and under AWS's delivery, on the embedded
 * stack over real HTTP. Run twice, by two test files (one process each, the handlers load once):
 * plainly, and with `chaos` (events late, out of order and twice, judges in parallel, DynamoDB
 * throttling): the verdicts must be the same, apart from which of two competing files wins a number.
 */
const LOINC_ANS = '2345678901';
/** The judge of this file number waits, on its first call, for a late zip to be recorded. */
const RACED = '777';

export function describeLifecycles(chaos: boolean): void {
  /** The late zip's upload, once: every judgement of RACED waits for it, so none can end before it. */
  let lateZipUploaded: Promise<void> | undefined;

  const embedded = useEmbeddedStack(`lifecycle${chaos ? '-chaos' : ''}`, {
    recipients: [{ email: 'ops@asp.localhost' }],
    chaos,
    chaosSeed: 20261201,
    wrapHandler: (name, handler) =>
      name === 'judge'
        ? async (event, context) => {
            // Under --chaos the judge is asked twice at once: each request waits for the same upload.
            if (event.Records.some((record) => record.body.includes(`-${RACED}"`))) {
              lateZipUploaded ??= uploadLateZip();
              await lateZipUploaded;
            }
            return handler(event, context);
          }
        : handler,
    referentiel: async () => {
      const referentiel = JSON.parse(await readFile(join(ROOT, 'events/referentiel.json'), 'utf8'));
      const avance = (
        numeroASP: string,
        numeroEditeur: string,
        beneficiaires: string[],
        montant = '2917.00',
      ) => ({
        numeroASP,
        numeroAns: LOINC_ANS,
        numeroEditeur,
        montantSegurHT: montant,
        beneficiaires,
        statut: 'PAYEE',
      });
      referentiel.avances.push(
        avance('FINBIO000011', 'S0011', ['910000011']),
        avance('FINBIO000012', 'S0012', ['910000012']),
        avance('FINBIO000013', 'S0013', ['910000013'], '5000.00'),
      );
      return Buffer.from(JSON.stringify(referentiel));
    },
  });

  const key = (type: string, name: string) => `depot/${SIRET}/${type}/${name}`;
  const resultsOf = (id: string) => embedded.stack.results.filter((result) => result.submissionId === id);

  /** The stack idle: every event delivered, every message handled. */
  const idle = () => embedded.idle();
  /** The latest result of a submission, once the stack is idle. */
  async function finalResult(id: string): Promise<ResultMessage> {
    await waitFor(`résultat de ${id}`, () => resultsOf(id)[0]);
    await idle();
    return resultsOf(id).at(-1) as ResultMessage;
  }

  /** A BIO-LOINC solde of one line for an avance of the référentiel, and its zip. */
  async function soldeDeposit(
    fileNumber: string,
    numeroASP: string,
    editeur: string,
    change?: (line: Record<string, unknown>) => void,
  ) {
    const line = JSON.parse(sampleText('BIO-LOINC-solde')).lignesImport[0];
    line.numeroASP = numeroASP;
    line.numeroEditeur = editeur;
    line.beneficiaires = [`9100000${numeroASP.slice(-2)}`];
    line.piecesJustificatives[0].nomFichier = `BIO-LOINC-Va1-FACTURE-${editeur}.pdf`;
    line.piecesJustificatives[1].nomFichier = `BIO-LOINC-Va1-VA-${editeur}.pdf`;
    change?.(line);
    const name = `JSON-${LOINC_ANS}-20230920-${fileNumber}`;
    const json = JSON.stringify({ impId: null, numeroAns: LOINC_ANS, SIRET, lignesImport: [line] }).replace(
      /"montantSegurHTFacture":(\d+)(,|})/,
      '"montantSegurHTFacture":$1.00$2',
    );
    const zip = await makeZip(
      [`BIO-LOINC-Va1-FACTURE-${editeur}.pdf`, `BIO-LOINC-Va1-VA-${editeur}.pdf`].map((entry) => ({
        name: entry,
        content: document('PDF'),
      })),
    );
    return { name, id: `${SIRET}/solde/${name}`, json: Buffer.from(json), zip };
  }

  async function deposit(type: 'avance' | 'solde', files: { name: string; json: Buffer; zip: Buffer }) {
    await embedded.stack.upload(key(type, `${files.name}.json`), files.json);
    await embedded.stack.upload(key(type, `${files.name}.zip`), files.zip);
  }

  let lateZip: (() => Promise<void>) | undefined;
  async function uploadLateZip(): Promise<void> {
    await lateZip?.();
  }

  describe(`a request's life across files${chaos ? ' (--chaos)' : ''}`, () => {
    it('accepts each of five numbers once when twelve files reuse them, with distinct numeroASP', async () => {
      const numbers = ['T0001', 'T0002', 'T0003', 'T0004', 'T0005'];
      const files = await Promise.all(
        Array.from({ length: 12 }, (_, index) => hopDeposit(String(500 + index), numbers)),
      );
      await Promise.all(files.map((file) => deposit('avance', file)));
      const results = await Promise.all(files.map((file) => finalResult(file.id)));
      const accepted = results.flatMap((result) =>
        result.lines.filter((line) => line.codeTraitement === '0000'),
      );
      expect(accepted.map((line) => line.numeroEditeur).sort()).toEqual(numbers);
      const asp = accepted.map((line) => line.numeroASP);
      expect(new Set(asp).size).toBe(5);
      expect(asp.every((number) => /^FINHOP\d{6}$/.test(number ?? ''))).toBe(true);
      const refused = results.flatMap((result) =>
        result.lines.filter((line) => line.codeTraitement !== '0000'),
      );
      expect(refused).toHaveLength(12 * 5 - 5);
      expect(refused.every((line) => line.codeTraitement === '2031' && line.numeroASP === null)).toBe(true);
      expect(await embedded.stack.deadLetters()).toEqual({ intake: 0, judge: 0, results: 0 });
    });

    it('judges the newer of two versions of a JSON whose events arrive reversed', async () => {
      const older = await hopDeposit('601', ['R0001']);
      const newer = await hopDeposit('601', ['R0002']);
      await embedded.stack.upload(
        key('avance', `${older.name}.zip`),
        await makeZip([
          { name: 'HOP-DPI-Va1-BDC-R0001.pdf', content: document('PDF') },
          { name: 'HOP-DPI-Va1-HT-R0001.pdf', content: document('PDF') },
          { name: 'HOP-DPI-Va1-BDC-R0002.pdf', content: document('PDF') },
          { name: 'HOP-DPI-Va1-HT-R0002.pdf', content: document('PDF') },
        ]),
      );
      const first = await embedded.stack.storeObject(key('avance', `${older.name}.json`), older.json);
      const second = await embedded.stack.storeObject(key('avance', `${newer.name}.json`), newer.json);
      await embedded.stack.deliver(second as NonNullable<typeof second>);
      await embedded.stack.deliver(first as NonNullable<typeof first>);
      const result = await finalResult(newer.id);
      expect(result.lines.map((line) => line.numeroEditeur)).toEqual(['R0002']);
      expect(
        resultsOf(newer.id).some((other) => other.lines.some((line) => line.numeroEditeur === 'R0001')),
      ).toBe(false);
      const state = await embedded.stack.store.getSubmission(newer.id);
      expect(state?.json?.etag).toBe(second?.Records[0]?.s3.object.eTag);
    });

    it('ends with the outputs of the newest content when a zip arrives during a judgement', async () => {
      const raced = await hopDeposit(RACED, ['U0001']);
      lateZip = async () => {
        const before = (await embedded.stack.store.getSubmission(raced.id))?.version ?? 0;
        await embedded.stack.upload(
          key('avance', `${raced.name}-2.zip`),
          await makeZip([{ name: 'notes-tardives.pdf', content: document('PDF') }]),
        );
        await waitFor('zip tardif enregistré', async () =>
          ((await embedded.stack.store.getSubmission(raced.id))?.version ?? 0) > before ? true : undefined,
        );
      };
      await deposit('avance', raced);
      const result = await finalResult(raced.id);
      expect(result.lines[0]?.codeTraitement).toBe('0000');
      await embedded.stack.mirrorOutputs(embedded.dir);
      const report = JSON.parse(
        await readFile(join(embedded.dir, `retour/${SIRET}/avance/${raced.name}.rapport.json`), 'utf8'),
      );
      expect(report.fileWarnings.map((warning: { message: string }) => warning.message).join(' ')).toContain(
        'notes-tardives.pdf',
      );
      expect((await embedded.stack.store.getSubmission(raced.id))?.status).toBe('judged');
    });

    it('refuses an avance number used by a rejected line (2031), and accepts a new one', async () => {
      const wrong = await hopDeposit('602', ['Q0001'], (line) => {
        (line.commande as Record<string, unknown>).dateCommande = '31/02/2022';
      });
      await deposit('avance', wrong);
      expect((await finalResult(wrong.id)).lines[0]?.codeTraitement).toBe('2010');
      const sameNumber = await hopDeposit('603', ['Q0001']);
      await deposit('avance', sameNumber);
      expect((await finalResult(sameNumber.id)).lines[0]?.codeTraitement).toBe('2031');
      const newNumber = await hopDeposit('604', ['Q0002']);
      await deposit('avance', newNumber);
      expect((await finalResult(newNumber.id)).lines[0]?.codeTraitement).toBe('0000');
    });

    it('takes a rejected solde back under the same number, then refuses a second solde of that avance (2067)', async () => {
      const wrong = await soldeDeposit('101', 'FINBIO000011', 'S0011', (line) => {
        (line.facture as Record<string, unknown>).dateFacture = '2023-09-20';
      });
      await deposit('solde', wrong);
      expect((await finalResult(wrong.id)).lines[0]?.codeTraitement).not.toBe('0000');
      const corrected = await soldeDeposit('102', 'FINBIO000011', 'S0011');
      await deposit('solde', corrected);
      expect((await finalResult(corrected.id)).lines[0]?.codeTraitement).toBe('0000');
      const again = await soldeDeposit('103', 'FINBIO000011', 'S0011');
      await deposit('solde', again);
      const refused = (await finalResult(again.id)).lines[0];
      expect(refused?.codeTraitement).toBe('2067');
      expect(refused?.libelleTraitement).toContain(`${corrected.name}.json`);
    });

    it('refuses a solde beneficiary its avance does not have (2068), and an amount over the plafond (2070)', async () => {
      const stranger = await soldeDeposit('104', 'FINBIO000012', 'S0012', (line) => {
        line.beneficiaires = ['910000012', '910000099'];
      });
      await deposit('solde', stranger);
      const line = (await finalResult(stranger.id)).lines[0];
      expect(line?.codeTraitement).toBe('2068');
      expect(line?.libelleTraitement).toContain('910000099');
      const over = await soldeDeposit('105', 'FINBIO000013', 'S0013', (solde) => {
        (solde.facture as Record<string, unknown>).montantSegurHTFacture = 3000;
      });
      await deposit('solde', over);
      const overLine = (await finalResult(over.id)).lines[0];
      expect(overLine?.codeTraitement).toBe('2070');
      expect(overLine?.libelleTraitement).toContain('2917.00 € HT');
    });

    it('refuses a JSON replaced after its judgement (1052) and keeps the first outputs', async () => {
      const first = await hopDeposit('605', ['V0001']);
      await deposit('avance', first);
      expect((await finalResult(first.id)).lines[0]?.codeTraitement).toBe('0000');
      await embedded.stack.mirrorOutputs(embedded.dir);
      const before = await readFile(join(embedded.dir, `retour/${SIRET}/avance/${first.name}.json`), 'utf8');
      const replaced = await hopDeposit('605', ['V0002']);
      await embedded.stack.upload(key('avance', `${first.name}.json`), replaced.json);
      const refusal = await waitFor('refus', () =>
        resultsOf(`${SIRET}/avance/${first.name}.json`).find((result) => result.outcome === 'refus'),
      );
      expect(refusal.fileErrors[0]?.code).toBe('1052');
      expect(refusal.fileErrors[0]?.message).toContain('a déjà été jugé le');
      await idle();
      // One verdict, never a second one. Under --chaos its message may go out twice (a judge whose
      // completion was throttled after sending it judges again: docs/decisions.md, « Arrivals in S3's
      // order »), always the same result, with the same numbers.
      const results = resultsOf(first.id);
      if (!chaos) expect(results).toHaveLength(1);
      expect(results.filter((result) => !isDeepStrictEqual(result, results[0]))).toEqual([]);
      await embedded.stack.mirrorOutputs(embedded.dir);
      expect(await readFile(join(embedded.dir, `retour/${SIRET}/avance/${first.name}.json`), 'utf8')).toBe(
        before,
      );
    });

    it('warns when the file name is not dated on the day of the deposit (8009)', async () => {
      const dated = await hopDeposit('606', ['W0001']);
      await deposit('avance', dated);
      expect((await finalResult(dated.id)).lines[0]?.codeTraitement).toBe('0000');
      await embedded.stack.mirrorOutputs(embedded.dir);
      const report = JSON.parse(
        await readFile(join(embedded.dir, `retour/${SIRET}/avance/${dated.name}.rapport.json`), 'utf8'),
      );
      const warning = report.fileWarnings.find((finding: { code: string }) => finding.code === '8009');
      expect(warning?.message).toContain('(15/03/2022)');
    });
  });
}
