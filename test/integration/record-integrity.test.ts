import { recordArrival, type S3ObjectEvent } from '../../shared/pipeline/intake';
import { judgeSubmission } from '../../shared/pipeline/judge-submission';
import { REGISTRIES } from '../../shared/pipeline/ports';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { sweep } from '../../shared/pipeline/sweep';
import { sampleText } from '../support/deposits';
import { type EmbeddedServices, startEmbeddedServices } from '../support/embedded-services';
import { sampleReferentielBytes } from '../support/sample-referentiel';
import { document, makeZip } from '../support/zips';

/**
 * The record holds: once judged, a deposit's verdict, returns and numbers never change because of
 * what comes after (a re-sent file, a stale event, a case variant), and nothing is judged without
 * the référentiel. The use cases with the real adapters over real HTTP.
 */
const SIRET = '88558855858745';
const ANS = '1234567890';
const HOP = { siret: SIRET, numeroAns: ANS, type: 'avance' as const };

/** A one-line HOP-DPI avance numbered `numero`, and the names of its two documents. */
function hopDeposit(numero: string): { json: string; bdc: string; ht: string } {
  const json = sampleText('HOP-DPI-avance')
    .replaceAll('"00001"', `"${numero}"`)
    .replaceAll('-00001.', `-${numero}.`);
  return { json, bdc: `HOP-DPI-Va1-BDC-${numero}.pdf`, ht: `HOP-DPI-Va1-HT-${numero}.pdf` };
}

const zipOf = (...names: string[]) => makeZip(names.map((name) => ({ name, content: document('PDF') })));
const name = (n: string) => `JSON-${ANS}-20220315-${n}`;
const idOf = (n: string) => `${SIRET}/avance/${name(n)}`;
const retour = (file: string) => `retour/${SIRET}/avance/${file}`;

let services: EmbeddedServices;

beforeAll(async () => {
  services = await startEmbeddedServices();
});

afterAll(async () => {
  await services?.stop();
});

/** Drops a JSON and its zip, judges, and returns the verdict's result message. */
async function depositAndJudge(n: string, deposit: ReturnType<typeof hopDeposit>): Promise<ResultMessage> {
  const { deps } = services;
  await recordArrival(deps, await services.drop(SIRET, 'avance', `${name(n)}.json`, deposit.json));
  expect(
    await recordArrival(
      deps,
      await services.drop(SIRET, 'avance', `${name(n)}.zip`, await zipOf(deposit.bdc, deposit.ht)),
    ),
  ).toBe('ready');
  await services.receiveAll(services.queueUrls.judge.url);
  const result = await judgeSubmission(deps, { submissionId: idOf(n), reason: 'ready' });
  if (!result) throw new Error('pas de jugement');
  await services.receiveAll(services.queueUrls.results.url);
  return result;
}

async function returnsOf(n: string): Promise<string[]> {
  return Promise.all(
    [`${name(n)}.json`, `${name(n)}.rapport.json`, `${name(n)}.rapport.html`].map((file) =>
      services.output(retour(file)),
    ),
  );
}

describe('a judged deposit is frozen', () => {
  it('refuses a corrected zip and JSON re-sent under the judged name; returns, status and registry unchanged; rejouer judges the recorded bytes', async () => {
    const { deps } = services;
    const first = await depositAndJudge('010', hopDeposit('00010'));
    expect(first.lines[0]).toMatchObject({
      codeTraitement: '0000',
      numeroASP: expect.stringMatching(/^FINHOP\d{6}$/),
    });
    const returns = await returnsOf('010');
    const registry = await deps.store.registryAll(REGISTRIES.numerosEditeur(HOP));
    const before = await deps.store.getSubmission(idOf('010'));

    // The vendor's correction, as deposer sent it: the zip first (lacking a document), then the JSON.
    services.clock = new Date(services.clock.getTime() + 60_000);
    const zip = await services.drop(
      SIRET,
      'avance',
      `${name('010')}.zip`,
      await zipOf(hopDeposit('00010').bdc),
    );
    expect(await recordArrival(deps, zip)).toBe('refused');
    const corrected = hopDeposit('00011');
    const json = await services.drop(SIRET, 'avance', `${name('010')}.json`, corrected.json);
    expect(await recordArrival(deps, json)).toBe('refused');

    for (const file of [`${name('010')}.zip.refus.json`, `${name('010')}.json.refus.json`]) {
      const refusal = JSON.parse(await services.output(retour(file)));
      expect(refusal).toMatchObject({ code: '1052', statut: 'refusé' });
      expect(refusal.motif).toContain('le premier jugement reste valable');
    }
    const refusals = (await services.receiveAll(services.queueUrls.results.url)) as ResultMessage[];
    expect(refusals.map((result) => [result.outcome, result.fileErrors[0]?.code])).toEqual([
      ['refus', '1052'],
      ['refus', '1052'],
    ]);
    expect(await services.receiveAll(services.queueUrls.judge.url)).toEqual([]);
    const after = await deps.store.getSubmission(idOf('010'));
    expect(after).toMatchObject({ status: 'judged', version: before?.version, judgedAt: before?.judgedAt });
    expect(after?.judgedContent).toEqual(before?.judgedContent);
    expect(await returnsOf('010')).toEqual(returns);
    expect(await deps.store.registryAll(REGISTRIES.numerosEditeur(HOP))).toEqual(registry);
    expect(await sweep(deps, new Date(services.clock.getTime() + 3_600_000), 15)).not.toContain(idOf('010'));

    // rejouer: the recorded bytes (kept aside: this S3 has no versions), the same verdict, numbers and file.
    const replay = await judgeSubmission(deps, { submissionId: idOf('010'), reason: 'replay' });
    expect(replay?.lines).toEqual(first.lines);
    expect(await services.output(retour(`${name('010')}.json`))).toBe(returns[0]);
    await services.receiveAll(services.queueUrls.results.url);

    // The refused file used up nothing: its number is free for the real correction.
    const next = await depositAndJudge('011', corrected);
    expect(next.lines[0]?.codeTraitement).toBe('0000');
  });

  it('ignores an event whose eTag the stored object does not have (no refusal, no email)', async () => {
    const { deps } = services;
    await depositAndJudge('012', hopDeposit('00012'));
    const returns = await returnsOf('012');
    services.clock = new Date(services.clock.getTime() + 60_000);
    const key = `depot/${SIRET}/avance/${name('012')}.json`;
    const stale: S3ObjectEvent = {
      eventName: 'ObjectCreated:Put',
      eventTime: services.clock.toISOString(),
      s3: { object: { key, size: 10, eTag: '"0123456789abcdef0123456789abcdef"' } },
    };
    expect(await recordArrival(deps, stale)).toBe('ignored');
    await expect(services.output(retour(`${name('012')}.json.refus.json`))).rejects.toThrow();
    expect(await services.receiveAll(services.queueUrls.results.url)).toEqual([]);
    expect(await returnsOf('012')).toEqual(returns);
  });

  it('never merges case variants: .JSON is refused with its reason, the .json is judged on its own bytes', async () => {
    const { deps } = services;
    const upper = await services.drop(SIRET, 'avance', `${name('013')}.JSON`, hopDeposit('00099').json);
    expect(await recordArrival(deps, upper)).toBe('refused');
    const refusal = JSON.parse(await services.output(retour(`${name('013')}.JSON.refus.json`)));
    expect(refusal).toMatchObject({ code: '1050' });
    expect(refusal.motif).toContain('en minuscules (.json)');
    await services.receiveAll(services.queueUrls.results.url);
    expect(await deps.store.getSubmission(idOf('013'))).toBeUndefined();
    const result = await depositAndJudge('013', hopDeposit('00013'));
    expect(result.lines[0]?.numeroEditeur).toBe('00013');
    expect(await services.output(retour(`${name('013')}.json`))).toContain('"00013"');
  });

  it('takes a late zip that brings a missing document and re-judges with the same numbers; a replacement of it is refused', async () => {
    const { deps } = services;
    const deposit = hopDeposit('00014');
    await recordArrival(deps, await services.drop(SIRET, 'avance', `${name('014')}.json`, deposit.json));
    expect(
      await recordArrival(
        deps,
        await services.drop(SIRET, 'avance', `${name('014')}.zip`, await zipOf(deposit.bdc)),
      ),
    ).toBe('waiting');
    const incomplete = await judgeSubmission(deps, { submissionId: idOf('014'), reason: 'grace-period' });
    expect(incomplete?.lines[0]?.codeTraitement).toBe('3001');
    expect((await deps.store.getSubmission(idOf('014')))?.missingDocuments).toEqual([deposit.ht]);
    await services.receiveAll(services.queueUrls.results.url);

    const late = await services.drop(SIRET, 'avance', `${name('014')}-2.zip`, await zipOf(deposit.ht));
    expect(await recordArrival(deps, late)).toBe('ready');
    await services.receiveAll(services.queueUrls.judge.url);
    const complete = await judgeSubmission(deps, { submissionId: idOf('014'), reason: 'ready' });
    expect(complete?.lines[0]?.codeTraitement).toBe('0000');
    await services.receiveAll(services.queueUrls.results.url);

    services.clock = new Date(services.clock.getTime() + 60_000);
    const again = await services.drop(
      SIRET,
      'avance',
      `${name('014')}-2.zip`,
      await zipOf(deposit.ht, 'autre.pdf'),
    );
    expect(await recordArrival(deps, again)).toBe('refused');
    expect(JSON.parse(await services.output(retour(`${name('014')}-2.zip.refus.json`))).code).toBe('1052');
    await services.receiveAll(services.queueUrls.results.url);
  });
});

describe('no judgement without the référentiel', () => {
  let bare: EmbeddedServices;

  beforeAll(async () => {
    bare = await startEmbeddedServices({ referentiel: null });
  });

  afterAll(async () => {
    await bare?.stop();
  });

  it('keeps a ready submission waiting with its reason while the référentiel is absent or invalid, then judges it once published', async () => {
    const { deps } = bare;
    const deposit = hopDeposit('00001');
    await recordArrival(deps, await bare.drop(SIRET, 'avance', `${name('001')}.json`, deposit.json));
    expect(
      await recordArrival(
        deps,
        await bare.drop(SIRET, 'avance', `${name('001')}.zip`, await zipOf(deposit.bdc, deposit.ht)),
      ),
    ).toBe('ready');
    expect(await judgeSubmission(deps, { submissionId: idOf('001'), reason: 'ready' })).toBeUndefined();
    const waiting = await deps.store.getSubmission(idOf('001'));
    expect(waiting).toMatchObject({
      status: 'waiting',
      waitingReason: expect.stringContaining('référentiel absent'),
    });
    const status = JSON.parse(await bare.output(retour(`${name('001')}.en-attente.json`)));
    expect(status).toMatchObject({ statut: 'en attente', motif: expect.stringContaining('référentiel') });
    await expect(bare.output(retour(`${name('001')}.json`))).rejects.toThrow();
    expect(await bare.receiveAll(bare.queueUrls.results.url)).toEqual([]);

    await bare.putReferentiel('{"referencements": "pas un tableau"}');
    expect(
      await judgeSubmission(deps, { submissionId: idOf('001'), reason: 'grace-period' }),
    ).toBeUndefined();
    expect((await deps.store.getSubmission(idOf('001')))?.waitingReason).toContain('référentiel invalide');

    await bare.putReferentiel(
      JSON.stringify({
        ...JSON.parse(sampleReferentielBytes().toString('utf8')),
        plafonds: { 'HOP-DPI-avance': '100.00' },
      }),
    );
    const later = new Date(bare.clock.getTime() + 20 * 60_000);
    expect(await sweep(deps, later, 15)).toEqual([idOf('001')]);
    const judged = await judgeSubmission(deps, { submissionId: idOf('001'), reason: 'grace-period' });
    // The référentiel's plafonds reach the judge (13,750.00 over a plafond of 100.00).
    expect(judged?.lines[0]?.codeTraitement).toBe('2070');
    const after = await deps.store.getSubmission(idOf('001'));
    expect(after?.status).toBe('judged');
    expect(after?.waitingReason).toBeUndefined();
  });
});
