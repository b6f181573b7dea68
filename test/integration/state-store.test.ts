import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStateStore } from '../../shared/adapters/dynamo-state-store';
import { injectDynamoFaults, seededRandom } from '../../shared/adapters/fault-injection';
import { TABLE } from '../../shared/config/resources';
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

/** A client of the embedded table that records the name of each command it sends, in order. */
function commandRecordingClient(commands: string[]): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName as string);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return client;
}

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

  it('finishes a zip’s arrival left half-recorded (its item there, not its submission’s update)', async () => {
    const zip = arrival('a4', 'zip', 'S#2', 'z1');
    // What a crash between two separate writes left (or an earlier version that wrote them apart).
    await DynamoDBDocumentClient.from(client).send(
      new PutCommand({
        TableName: TABLE.name,
        Item: {
          pk: 'SUB#a4',
          sk: 'ZIP#a4.zip',
          name: zip.name,
          ref: zip.object,
          order: zip.order,
          arrivedAt: zip.at,
          recorded: true,
        },
      }),
    );
    const again = await store.recordArrival(zip);
    expect(again.effect).toBe('recorded');
    expect(again.submission.zips).toEqual({ 'a4.zip': zip.object });
    expect((await store.recordArrival(zip)).effect).toBe('unchanged');
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
    const { submission } = await store.recordArrival(arrival('c2', 'json', 'S#1', 'j'));
    const at = (seconds: number) => ({
      now: new Date(Date.parse('2026-12-01T10:00:00Z') + seconds * 1000),
      seconds: 60,
      version: submission.version,
    });
    expect(await store.lockOutputs('c2', 'judge-a', at(0))).toBe('locked');
    expect(await store.lockOutputs('c2', 'judge-b', at(0))).toBe('busy');
    expect(await store.lockOutputs('c2', 'judge-b', at(61))).toBe('locked');
    await store.unlockOutputs('c2', 'judge-a');
    expect(await store.lockOutputs('c2', 'judge-c', at(62))).toBe('busy');
    await store.unlockOutputs('c2', 'judge-b');
    expect(await store.lockOutputs('c2', 'judge-c', at(63))).toBe('locked');
    // Only for the content judged: after a newer upload, an older judgement writes nothing.
    await store.recordArrival(arrival('c2', 'zip', 'S#2', 'z'));
    expect(await store.lockOutputs('c2', 'judge-d', { ...at(200), version: submission.version })).toBe(
      'changed',
    );
  });

  it('completes a judgement and lets go of its outputs lock in one write, or completes without a lock lost', async () => {
    const { submission } = await store.recordArrival(arrival('c3', 'json', 'S#1', 'j'));
    const lease = { now: new Date('2026-12-01T10:00:00Z'), seconds: 60, version: submission.version };
    expect(await store.lockOutputs('c3', 'judge-a', lease)).toBe('locked');
    expect(
      await store.completeJudgement('c3', 'f3', { version: submission.version, writer: 'judge-a' }),
    ).toBe(true);
    const judged = await store.getSubmission('c3');
    expect(judged?.status).toBe('judged');
    expect(await store.lockOutputs('c3', 'judge-b', lease)).toBe('locked');
    // judge-a's lease ran out and judge-b holds the lock: judge-a's completion keeps judge-b's lock.
    expect(
      await store.completeJudgement('c3', 'f3', { version: submission.version, writer: 'judge-a' }),
    ).toBe(true);
    expect(await store.lockOutputs('c3', 'judge-c', lease)).toBe('busy');
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
    const counted = commandRecordingClient(commands);
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

  const withAvance = (numeroEditeur: string) => ({
    numeroEditeur,
    accepted: true,
    avance: {
      numeroAns: scope.numeroAns,
      numeroEditeur,
      montantSegurHT: '2917.00',
      beneficiaires: ['123456789'],
    },
  });

  it('records each accepted line’s avance in its claim’s transaction, never a lost line’s', async () => {
    const commands: string[] = [];
    const counted = commandRecordingClient(commands);
    const other = { submissionId: 'S40', fileName: 'JSON-40.json' };
    const mine = { submissionId: 'S41', fileName: 'JSON-41.json' };
    const numeros = Array.from({ length: 200 }, (_, index) => `A${String(index).padStart(4, '0')}`);
    const theirs = await store.claimAvanceLines(scope, 'HOP', [withAvance('A0007')], other);
    const result = await new DynamoStateStore(counted).claimAvanceLines(
      scope,
      'HOP',
      numeros.map(withAvance),
      mine,
    );
    counted.destroy();
    expect([...result.lost.keys()]).toEqual(['A0007']);
    // One increment of the sequence, then 50 lines (100 items) a transaction, and one more for the
    // fifty that held the lost line: no write apart for the avances.
    expect(commands).toEqual([
      'UpdateItemCommand',
      ...Array.from({ length: 5 }, () => 'TransactWriteItemsCommand'),
    ]);
    const numbers = [...result.numerosAsp.values()];
    const avances = await store.findAvances([...numbers, theirs.numerosAsp.get('A0007') as string]);
    expect(avances).toHaveLength(200);
    for (const avance of avances)
      expect(avance).toEqual({
        numeroASP:
          avance.numeroEditeur === 'A0007'
            ? theirs.numerosAsp.get('A0007')
            : result.numerosAsp.get(avance.numeroEditeur),
        numeroAns: scope.numeroAns,
        numeroEditeur: avance.numeroEditeur,
        montantSegurHT: '2917.00',
        beneficiaires: ['123456789'],
        statut: 'ACCEPTEE',
      });
  });

  it('never turns a paid avance back to accepted, and finds every avance under throttled batch reads', async () => {
    const owner = { submissionId: 'S50', fileName: 'JSON-50.json' };
    const numeros = Array.from({ length: 150 }, (_, index) => `P${String(index).padStart(4, '0')}`);
    // Unknown avances cannot be marked: their facts come first.
    expect(await store.setAvanceStatus('FINHOP999999', 'PAYEE')).toBe(false);
    const claimed = await store.claimAvanceLines(scope, 'HOP', numeros.map(withAvance), owner);
    const numberOf = (numero: string) => claimed.numerosAsp.get(numero) as string;
    expect(await store.setAvanceStatus(numberOf('P0007'), 'PAYEE')).toBe(true);
    // A re-judgement claims its lines again, their avances with them: the status stays.
    await store.claimAvanceLines(scope, 'HOP', [withAvance('P0007')], owner, claimed.numerosAsp);
    // A state kept from before the status lived apart: PAYEE inside the facts, kept by a re-judgement.
    await DynamoDBDocumentClient.from(client).send(
      new UpdateCommand({
        TableName: TABLE.name,
        Key: { pk: `AVANCE#${numberOf('P0008')}`, sk: 'AVANCE' },
        UpdateExpression: 'SET statut = :paid',
        ExpressionAttributeValues: { ':paid': 'PAYEE' },
      }),
    );
    await store.claimAvanceLines(scope, 'HOP', [withAvance('P0008')], owner, claimed.numerosAsp);
    expect((await store.findAvances([numberOf('P0008')]))[0]?.statut).toBe('PAYEE');
    const throttled = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    injectDynamoFaults(throttled, { throttleRate: 0, unprocessedRate: 0.3, random: seededRandom(7) });
    const found = await new DynamoStateStore(throttled).findAvances(numeros.map(numberOf));
    throttled.destroy();
    expect(found).toHaveLength(150);
    expect(found.find((entry) => entry.numeroASP === numberOf('P0007'))?.statut).toBe('PAYEE');
    expect(found.find((entry) => entry.numeroASP === numberOf('P0009'))?.statut).toBe('ACCEPTEE');
  });
});
