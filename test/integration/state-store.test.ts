import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { injectDynamoFaults, seededRandom } from '../../shared/adapters/fault-injection';
import { TABLE } from '../../shared/config/resources';
import type { Avance } from '../../shared/domain/referentiel';
import type { Arrival } from '../../shared/pipeline/ports';
import { type EmbeddedTable, startEmbeddedTable } from '../support/embedded-table';

/**
 * Each conditional write of the state store, on dynalite over real HTTP: the decisions it takes
 * hold whatever the order and the number of the calls (concurrent judges, retries).
 */
let dynamo: EmbeddedTable;
let client: DynamoDBClient;
let store: DynamoStateStore;

beforeAll(async () => {
  dynamo = await startEmbeddedTable();
  client = dynamo.client;
  store = new DynamoStateStore(client);
});
afterAll(async () => {
  await dynamo.stop();
});

const arrival = (id: string, kind: 'json' | 'zip', order: string, etag: string): Arrival => ({
  submissionId: id,
  siret: '88558855858745',
  type: 'avance',
  base: id,
  kind,
  name: kind === 'json' ? `${id}.json` : `${id}.zip`,
  object: { key: `depot/${id}.${kind}`, size: 10, etag },
  at: '2026-12-01T10:00:00.000Z',
  order,
});

describe('recordArrival', () => {
  it('never lets an older event replace a newer JSON, and a repeated one changes nothing', async () => {
    expect((await store.recordArrival(arrival('a1', 'json', 'S#2', 'v2'))).effect).toBe('recorded');
    const older = await store.recordArrival(arrival('a1', 'json', 'S#1', 'v1'));
    expect(older.effect).toBe('unchanged');
    expect(older.submission.json?.etag).toBe('v2');
    const again = await store.recordArrival(arrival('a1', 'json', 'S#2', 'v2'));
    expect(again.effect).toBe('unchanged');
    expect(again.submission.version).toBe(1);
  });

  it('refuses any new JSON upload once one was judged, same bytes or not; a repeated event changes nothing', async () => {
    const { submission } = await store.recordArrival(arrival('a2', 'json', 'S#1', 'v1'));
    expect(await store.completeJudgement('a2', 'f1', { version: submission.version, judgedEtag: 'v1' })).toBe(
      true,
    );
    expect((await store.recordArrival(arrival('a2', 'json', 'S#2', 'v2'))).effect).toBe(
      'replaced-after-judgement',
    );
    const sameBytes = await store.recordArrival(arrival('a2', 'json', 'S#3', 'v1'));
    expect(sameBytes.effect).toBe('replaced-after-judgement');
    const repeated = await store.recordArrival(arrival('a2', 'json', 'S#1', 'v1'));
    expect(repeated.effect).toBe('unchanged');
    expect(repeated.submission.status).toBe('judged');
    expect(repeated.submission.json?.etag).toBe('v1');
  });

  it('counts a zip once, and a newer zip reopens the submission', async () => {
    await store.recordArrival(arrival('a3', 'json', 'S#1', 'j'));
    const first = await store.recordArrival(arrival('a3', 'zip', 'S#2', 'z1'));
    expect((await store.recordArrival(arrival('a3', 'zip', 'S#2', 'z1'))).effect).toBe('unchanged');
    const newer = await store.recordArrival(arrival('a3', 'zip', 'S#3', 'z2'));
    expect(newer.effect).toBe('recorded');
    expect(newer.submission.version).toBe(first.submission.version + 1);
  });
});

describe('completeJudgement and the outputs lock', () => {
  it('completes only the content judged', async () => {
    const { submission } = await store.recordArrival(arrival('c1', 'json', 'S#1', 'j'));
    await store.recordArrival(arrival('c1', 'zip', 'S#2', 'z'));
    expect(await store.completeJudgement('c1', 'f', { version: submission.version })).toBe(false);
    expect((await store.getSubmission('c1'))?.status).toBe('waiting');
  });

  it('lets one writer at a time hold a submission’s outputs, until it lets go or its lease ends', async () => {
    await store.recordArrival(arrival('c2', 'json', 'S#1', 'j'));
    const now = new Date('2026-12-01T10:00:00Z');
    expect(await store.lockOutputs('c2', 'judge-a', now, 60)).toBe(true);
    expect(await store.lockOutputs('c2', 'judge-b', now, 60)).toBe(false);
    expect(await store.lockOutputs('c2', 'judge-b', new Date(now.getTime() + 61_000), 60)).toBe(true);
    await store.unlockOutputs('c2', 'judge-a');
    expect(await store.lockOutputs('c2', 'judge-c', new Date(now.getTime() + 62_000), 60)).toBe(false);
    await store.unlockOutputs('c2', 'judge-b');
    expect(await store.lockOutputs('c2', 'judge-c', new Date(now.getTime() + 63_000), 60)).toBe(true);
  });
});

describe('registries', () => {
  const first = { submissionId: 's1', fileName: 'JSON-1.json' };
  const second = { submissionId: 's2', fileName: 'JSON-2.json' };

  it('gives a key to one submission only, even when both claim at once', async () => {
    const [lostByFirst, lostBySecond] = await Promise.all([
      store.claim('REG#1', ['00001', '00002', '00003'], first),
      store.claim('REG#1', ['00001', '00002', '00003'], second),
    ]);
    expect(lostByFirst.size + lostBySecond.size).toBe(3);
    const owners = await store.registryAll('REG#1');
    for (const numero of ['00001', '00002', '00003']) {
      const winner = owners.get(numero)?.submissionId;
      expect((winner === 's1' ? lostBySecond : lostByFirst).get(numero)?.submissionId).toBe(winner);
    }
    // A re-judgement of the owner keeps its keys.
    const owner = owners.get('00001');
    expect((await store.claim('REG#1', ['00001'], owner ?? first)).size).toBe(0);
  });

  it('releases a key only for its owner', async () => {
    await store.claim('REG#2', ['FINBIO000011'], first);
    await store.release('REG#2', ['FINBIO000011'], second);
    expect((await store.registryOwners('REG#2', ['FINBIO000011'])).get('FINBIO000011')?.submissionId).toBe(
      's1',
    );
    await store.release('REG#2', ['FINBIO000011'], first);
    expect((await store.claim('REG#2', ['FINBIO000011'], second)).size).toBe(0);
  });
});

describe('numeroASP and avances', () => {
  const scope = { siret: '88558855858745', numeroAns: '1234567890', type: 'avance' as const };

  const line = (numeroEditeur: string, accepted = true) => ({ numeroEditeur, accepted });
  const registry = `EDITEUR#${scope.siret}#${scope.numeroAns}#avance`;

  it('claims each line once with its numeroASP: a concurrent file loses the line, a retry keeps the number', async () => {
    const first = { submissionId: 'S1', fileName: 'JSON-1.json' };
    const second = { submissionId: 'S2', fileName: 'JSON-2.json' };
    const [a, b] = await Promise.all([
      store.claimAvanceLines(scope, 'HOP', [line('N0001'), line('N0002')], first),
      store.claimAvanceLines(scope, 'HOP', [line('N0002'), line('N0003')], second),
    ]);
    // N0002 is one file's, and only that file has a number for it.
    expect(a.lost.has('N0002')).toBe(!b.lost.has('N0002'));
    const winner = a.lost.has('N0002') ? b : a;
    expect(winner.numerosAsp.get('N0002')).toMatch(/^FINHOP\d{6}$/);
    expect((a.lost.has('N0002') ? a : b).numerosAsp.has('N0002')).toBe(false);
    const given = [a.numerosAsp.get('N0001'), winner.numerosAsp.get('N0002'), b.numerosAsp.get('N0003')];
    expect(new Set(given).size).toBe(3);
    // The same submission judged twice at once (a retry racing a slow judge): one number per line.
    const [again, racing] = await Promise.all([
      store.claimAvanceLines(scope, 'HOP', [line('N0001')], first),
      store.claimAvanceLines(scope, 'HOP', [line('N0001')], first),
    ]);
    expect(again.numerosAsp.get('N0001')).toBe(a.numerosAsp.get('N0001'));
    // Only the first claim of a line gave its number now: a retry's avance is not new.
    expect(a.givenNow.has('N0001')).toBe(true);
    expect(again.givenNow.size + racing.givenNow.size).toBe(0);
    expect(racing.numerosAsp.get('N0001')).toBe(a.numerosAsp.get('N0001'));
    // Read back with its holder and number, as the next judgement's history reads it.
    const owners = await store.registryOwners(registry, ['N0001']);
    expect(owners.get('N0001')).toEqual({ ...first, numeroASP: a.numerosAsp.get('N0001') });
  });

  it('claims 250 lines in 3 transactions, the lines another file holds lost and the others kept', async () => {
    const commands: string[] = [];
    const counted = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    counted.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName as string);
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const other = { submissionId: 'S20', fileName: 'JSON-20.json' };
    const mine = { submissionId: 'S21', fileName: 'JSON-21.json' };
    const numeros = Array.from({ length: 250 }, (_, index) => `M${String(index).padStart(4, '0')}`);
    // The other file holds one line of the first hundred and two of the last fifty.
    await store.claimAvanceLines(scope, 'HOP', [line('M0042'), line('M0210'), line('M0249', false)], other);
    const result = await new DynamoStateStore(counted).claimAvanceLines(
      scope,
      'HOP',
      numeros.map((numero, index) => line(numero, index % 5 !== 0)),
      mine,
    );
    counted.destroy();
    expect([...result.lost.keys()].sort()).toEqual(['M0042', 'M0210', 'M0249']);
    expect(result.lost.get('M0042')?.submissionId).toBe('S20');
    // Accepted lines numbered, each once; the rejected ones claimed without a number.
    const accepted = numeros.filter((numero, index) => index % 5 !== 0 && !result.lost.has(numero));
    expect([...result.numerosAsp.keys()].sort()).toEqual(accepted);
    expect(new Set(result.numerosAsp.values()).size).toBe(accepted.length);
    const owners = await store.registryOwners(registry, numeros);
    expect(numeros.filter((numero) => owners.get(numero)?.submissionId === 'S21')).toHaveLength(247);
    expect(owners.get('M0005')).toEqual(mine);
    // One increment of the sequence, then a transaction per hundred lines and one more for each
    // hundred that held a lost line.
    expect(commands.filter((name) => name === 'UpdateItemCommand')).toHaveLength(1);
    expect(commands.filter((name) => name === 'TransactWriteItemsCommand')).toHaveLength(5);
    expect(
      commands.filter((name) => name !== 'UpdateItemCommand' && name !== 'TransactWriteItemsCommand'),
    ).toEqual([]);
  });

  it('sends again a transaction cancelled by a conflict, and claims each line once', async () => {
    const conflicting = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const transactions: string[] = [];
    conflicting.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          const result = await next(args);
          if (context.commandName === 'TransactWriteItemsCommand') transactions.push('applied');
          return result;
        } catch (error) {
          if (context.commandName === 'TransactWriteItemsCommand') transactions.push((error as Error).name);
          throw error;
        }
      },
      { step: 'initialize', name: 'watchTransactions', priority: 'high' },
    );
    // Half the transactions cancelled as DynamoDB cancels them when another one holds an item.
    injectDynamoFaults(conflicting, {
      throttleRate: 0,
      unprocessedRate: 0,
      conflictRate: 0.5,
      random: seededRandom(3),
    });
    const owner = { submissionId: 'S30', fileName: 'JSON-30.json' };
    const numeros = Array.from({ length: 150 }, (_, index) => `C${String(index).padStart(4, '0')}`);
    const result = await new DynamoStateStore(conflicting).claimAvanceLines(
      scope,
      'HOP',
      numeros.map((numero) => line(numero)),
      owner,
    );
    conflicting.destroy();
    expect(transactions).toContain('TransactionCanceledException');
    expect(transactions.filter((outcome) => outcome === 'applied')).toHaveLength(2);
    expect(result.lost.size).toBe(0);
    expect(result.givenNow.size).toBe(150);
    expect(new Set(result.numerosAsp.values()).size).toBe(150);
    const owners = await store.registryOwners(registry, numeros);
    expect(numeros.every((numero) => owners.get(numero)?.numeroASP === result.numerosAsp.get(numero))).toBe(
      true,
    );
  });

  it('uses up a rejected line’s number without a numeroASP, and numbers it once accepted', async () => {
    const owner = { submissionId: 'S4', fileName: 'JSON-4.json' };
    const rejected = await store.claimAvanceLines(scope, 'HOP', [line('N0004', false)], owner);
    expect(rejected.numerosAsp.size).toBe(0);
    expect((await store.registryOwners(registry, ['N0004'])).get('N0004')).toEqual(owner);
    const accepted = await store.claimAvanceLines(scope, 'HOP', [line('N0004')], owner);
    expect(accepted.numerosAsp.get('N0004')).toMatch(/^FINHOP\d{6}$/);
  });

  it('reads the numbers of claims kept from before numbers lived in them', async () => {
    const raw = DynamoDBDocumentClient.from(client);
    await raw.send(
      new PutCommand({
        TableName: TABLE.name,
        Item: { pk: registry, sk: 'N0009', submissionId: 'S9', fileName: 'JSON-9.json' },
      }),
    );
    await raw.send(
      new PutCommand({
        TableName: TABLE.name,
        Item: { pk: `ASPNUM#${scope.siret}#${scope.numeroAns}`, sk: 'N0009', numeroASP: 'FINHOP000042' },
      }),
    );
    expect((await store.registryOwners(registry, ['N0009'])).get('N0009')?.legacy).toBe(true);
    expect((await store.legacyNumerosAsp(scope, ['N0009'])).get('N0009')).toBe('FINHOP000042');
  });

  it('never turns a paid avance back to accepted, and finds every avance under throttled batch reads', async () => {
    const avance = (n: number): Avance => ({
      numeroASP: `FINHOP${String(900000 + n)}`,
      numeroAns: '1234567890',
      numeroEditeur: String(n).padStart(5, '0'),
      montantSegurHT: '100.00',
      beneficiaires: [],
      statut: 'ACCEPTEE',
    });
    const avances = Array.from({ length: 150 }, (_, index) => avance(index));
    // Unknown avances cannot be marked: their facts come first.
    expect(await store.setAvanceStatus(avance(7).numeroASP, 'PAYEE')).toBe(false);
    await store.recordNewAvances(avances);
    expect(await store.setAvanceStatus(avance(7).numeroASP, 'PAYEE')).toBe(true);
    // A re-judgement writes its avances again: the status stays.
    await store.recordAvances([avance(7)]);
    // A state kept from before the status lived apart: PAYEE inside the facts, kept by a re-judgement.
    const legacy = { ...avance(200), statut: 'PAYEE' as const };
    await DynamoDBDocumentClient.from(client).send(
      new PutCommand({
        TableName: TABLE.name,
        Item: { pk: `AVANCE#${legacy.numeroASP}`, sk: 'AVANCE', ...legacy },
      }),
    );
    await store.recordAvances([avance(200)]);
    expect((await store.findAvances([legacy.numeroASP]))[0]?.statut).toBe('PAYEE');
    const throttled = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    injectDynamoFaults(throttled, { throttleRate: 0, unprocessedRate: 0.3, random: seededRandom(7) });
    const found = await new DynamoStateStore(throttled).findAvances(avances.map((entry) => entry.numeroASP));
    throttled.destroy();
    expect(found).toHaveLength(150);
    expect(found.find((entry) => entry.numeroASP === avance(7).numeroASP)?.statut).toBe('PAYEE');
  });
});
