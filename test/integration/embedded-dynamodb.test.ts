import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { TABLE } from '../../shared/config/resources';
import { type EmbeddedTable, openKeptLevel, startEmbeddedTable } from '../support/embedded-table';

/**
 * The embedded DynamoDB's TransactWriteItems (local/embedded/dynamodb-server.cjs), through the real
 * SDK over HTTP: all or nothing, a reason per item as AWS gives them, AWS's own refusals, and no
 * transaction ever seen half done by a concurrent one.
 */
let dynamo: EmbeddedTable;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startEmbeddedTable();
  client = dynamo.client;
  doc = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  await dynamo.stop();
});

const claim = (pk: string, sk: string, owner: string) => ({
  Update: {
    TableName: TABLE.name,
    Key: { pk, sk },
    UpdateExpression: 'SET #owner = :me',
    ConditionExpression: 'attribute_not_exists(pk) OR #owner = :me',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: { ':me': owner },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

const ownerOf = async (pk: string, sk: string) =>
  (await doc.send(new GetCommand({ TableName: TABLE.name, Key: { pk, sk }, ConsistentRead: true }))).Item
    ?.owner;

async function cancellation(input: ConstructorParameters<typeof TransactWriteCommand>[0]) {
  try {
    await doc.send(new TransactWriteCommand(input));
  } catch (error) {
    if (error instanceof TransactionCanceledException) return error;
    throw error;
  }
  throw new Error('the transaction was applied');
}

describe('TransactWriteItems on the embedded DynamoDB', () => {
  it('applies every item of a transaction whose conditions hold', async () => {
    await doc.send(
      new TransactWriteCommand({ TransactItems: ['a', 'b', 'c'].map((sk) => claim('T#1', sk, 'S1')) }),
    );
    expect(await Promise.all(['a', 'b', 'c'].map((sk) => ownerOf('T#1', sk)))).toEqual(['S1', 'S1', 'S1']);
  });

  it('applies nothing when one condition fails, and names that item with its holder', async () => {
    await doc.send(new PutCommand({ TableName: TABLE.name, Item: { pk: 'T#2', sk: 'b', owner: 'other' } }));
    await doc.send(
      new PutCommand({ TableName: TABLE.name, Item: { pk: 'T#2', sk: 'a', owner: 'S2', note: 'before' } }),
    );
    const error = await cancellation({
      TransactItems: [
        {
          Update: {
            ...claim('T#2', 'a', 'S2').Update,
            UpdateExpression: 'SET #owner = :me, note = :after',
            ExpressionAttributeValues: { ':me': 'S2', ':after': 'after' },
          },
        },
        claim('T#2', 'b', 'S2'),
        claim('T#2', 'c', 'S2'),
      ],
    });
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
      'None',
    ]);
    expect(error.CancellationReasons?.[1]?.Item?.owner).toEqual({ S: 'other' });
    // The item applied before the failure is as it was, the one after it was never created.
    const a = await doc.send(new GetCommand({ TableName: TABLE.name, Key: { pk: 'T#2', sk: 'a' } }));
    expect(a.Item).toEqual({ pk: 'T#2', sk: 'a', owner: 'S2', note: 'before' });
    expect(await ownerOf('T#2', 'c')).toBeUndefined();
    expect(await ownerOf('T#2', 'b')).toBe('other');
  });

  it('names every item whose condition fails, and gives the holder only when ALL_OLD is asked', async () => {
    for (const sk of ['x', 'y'])
      await doc.send(new PutCommand({ TableName: TABLE.name, Item: { pk: 'T#3', sk, owner: 'other' } }));
    const withoutOld = { ...claim('T#3', 'y', 'S3').Update, ReturnValuesOnConditionCheckFailure: undefined };
    const error = await cancellation({
      TransactItems: [claim('T#3', 'x', 'S3'), claim('T#3', 'w', 'S3'), { Update: withoutOld }],
    });
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'ConditionalCheckFailed',
      'None',
      'ConditionalCheckFailed',
    ]);
    expect(error.CancellationReasons?.[0]?.Item).toBeDefined();
    expect(error.CancellationReasons?.[2]?.Item).toBeUndefined();
    expect(await ownerOf('T#3', 'w')).toBeUndefined();
  });

  it('undoes a Put and a Delete of a cancelled transaction, index entries included', async () => {
    await doc.send(
      new PutCommand({
        TableName: TABLE.name,
        Item: {
          pk: 'T#4',
          sk: 'gone',
          owner: 'S4',
          [TABLE.dayIndex.partitionKey]: 'JOUR#T4',
          [TABLE.dayIndex.sortKey]: 'gone',
        },
      }),
    );
    await doc.send(
      new PutCommand({ TableName: TABLE.name, Item: { pk: 'T#4', sk: 'held', owner: 'other' } }),
    );
    const error = await cancellation({
      TransactItems: [
        { Delete: { TableName: TABLE.name, Key: { pk: 'T#4', sk: 'gone' } } },
        { Put: { TableName: TABLE.name, Item: { pk: 'T#4', sk: 'new', owner: 'S4' } } },
        claim('T#4', 'held', 'S4'),
      ],
    });
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'None',
      'ConditionalCheckFailed',
    ]);
    const items = await doc.send(
      new QueryCommand({
        TableName: TABLE.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'T#4' },
      }),
    );
    expect(items.Items?.map((item) => item.sk)).toEqual(['gone', 'held']);
    const indexed = await doc.send(
      new QueryCommand({
        TableName: TABLE.name,
        IndexName: TABLE.dayIndex.name,
        KeyConditionExpression: '#day = :day',
        ExpressionAttributeNames: { '#day': TABLE.dayIndex.partitionKey },
        ExpressionAttributeValues: { ':day': 'JOUR#T4' },
      }),
    );
    expect(indexed.Items?.map((item) => item.sk)).toEqual(['gone']);
  });

  it('refuses what DynamoDB refuses: two operations on one item, more than 100 items', async () => {
    await expect(
      doc.send(
        new TransactWriteCommand({ TransactItems: [claim('T#5', 'a', 'S5'), claim('T#5', 'a', 'S6')] }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/multiple operations on one item/),
    });
    await expect(
      doc.send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: 101 }, (_, index) => claim('T#5', `k${index}`, 'S5')),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await ownerOf('T#5', 'a')).toBeUndefined();
  });

  it('answers a malformed transaction as a validation error and applies none of it', async () => {
    const input: TransactWriteItemsCommandInput = {
      TransactItems: [
        { Put: { TableName: TABLE.name, Item: { pk: { S: 'T#6' }, sk: { S: 'ok' } } } },
        {
          Update: {
            TableName: TABLE.name,
            Key: { pk: { S: 'T#6' }, sk: { S: 'bad' } },
            UpdateExpression: 'SET',
          },
        },
      ],
    };
    await expect(client.send(new TransactWriteItemsCommand(input))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(await ownerOf('T#6', 'ok')).toBeUndefined();
    const found = await doc.send(new GetCommand({ TableName: TABLE.name, Key: { pk: 'T#6', sk: 'ok' } }));
    expect(found.Item).toBeUndefined();
  });

  it('never lets a transaction be seen half done, whatever competes with it', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.subarray(['k1', 'k2', 'k3', 'k4', 'k5', 'k6'], { minLength: 1 }), {
          minLength: 2,
          maxLength: 6,
        }),
        async (wanted) => {
          const pk = `T#7#${round++}`;
          // Each competitor claims its keys in one transaction; a reader watches them meanwhile.
          const outcomes = await Promise.all(
            wanted.map(async (keys, index) => {
              try {
                await doc.send(
                  new TransactWriteCommand({ TransactItems: keys.map((sk) => claim(pk, sk, `S${index}`)) }),
                );
                return true;
              } catch (error) {
                if (error instanceof TransactionCanceledException) return false;
                throw error;
              }
            }),
          );
          const owners = new Map<string, unknown>();
          for (const sk of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']) owners.set(sk, await ownerOf(pk, sk));
          wanted.forEach((keys, index) => {
            const holds = keys.map((sk) => owners.get(sk) === `S${index}`);
            // Applied: it holds all its keys; cancelled: none of them.
            expect(holds.every((held) => held === outcomes[index])).toBe(true);
          });
          // The first to run always wins something: a key is held only by an applied transaction.
          for (const owner of owners.values())
            if (owner !== undefined) expect(outcomes[Number(String(owner).slice(1))]).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('expressions parsed once on the embedded DynamoDB', () => {
  const update = (sk: string, expression: string, values: Record<string, unknown>, condition?: string) =>
    doc.send(
      new UpdateCommand({
        TableName: TABLE.name,
        Key: { pk: 'EXPR', sk },
        UpdateExpression: expression,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeValues: values,
      }),
    );
  const item = async (sk: string) =>
    (await doc.send(new GetCommand({ TableName: TABLE.name, Key: { pk: 'EXPR', sk }, ConsistentRead: true })))
      .Item;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'applied',
      (error: Error) => `${error.name}: ${error.message}`,
    );

  it('gives each request its own values through the same expression', async () => {
    for (let index = 0; index < 5; index++)
      await update(`v${index}`, 'SET a = :a, b = if_not_exists(b, :b) ADD c :c', {
        ':a': `texte ${index}`,
        ':b': ['x', String(index)],
        ':c': index,
      });
    for (let index = 0; index < 5; index++)
      expect(await item(`v${index}`)).toEqual({
        pk: 'EXPR',
        sk: `v${index}`,
        a: `texte ${index}`,
        b: ['x', String(index)],
        c: index,
      });
  });

  it('refuses what the same expression refuses with other values, as without the memory', async () => {
    await update('t1', 'ADD c :c', { ':c': 1 });
    // The same expression with a value of another type is checked again.
    expect(await refusal(update('t1', 'ADD c :c', { ':c': 'un' }))).toContain('ValidationException');
    // A value the expression does not use is still refused after the expression was remembered.
    expect(await refusal(update('t1', 'ADD c :c', { ':c': 1, ':extra': 2 }))).toMatch(
      /ValidationException: .*unused in expressions.*:extra/,
    );
    expect(await refusal(update('t1', 'ADD c :c', { ':d': 1 }))).toMatch(
      /ValidationException: .*not defined.*:c/,
    );
    // BETWEEN's bounds are values the parser compares: never remembered.
    expect(
      await refusal(
        update('t1', 'SET d = :d', { ':d': 1, ':low': 1, ':high': 5 }, 'c BETWEEN :low AND :high'),
      ),
    ).toBe('applied');
    expect(
      await refusal(
        update('t1', 'SET d = :d', { ':d': 1, ':low': 5, ':high': 1 }, 'c BETWEEN :low AND :high'),
      ),
    ).toMatch(/ValidationException: .*BETWEEN.*upper bound/);
    // A placeholder the update and the condition share is used by both, whatever was remembered.
    expect(await refusal(update('t1', 'SET e = :v', { ':v': 2 }, 'c <> :v'))).toBe('applied');
    expect(await item('t1')).toMatchObject({ c: 1, d: 1, e: 2 });
  });
});

describe('table descriptions remembered on the embedded DynamoDB', () => {
  const table = 'descriptions-en-memoire';
  const settled = async () => {
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'applied',
      (error: Error) => error.name,
    );

  it('sees a table deleted and created again as it now is, never as it was', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await settled();
    // Served twice: the second from the description remembered.
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', g: 'G1' } }));
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'b', g: 'G1' } }));
    // Deleted: gone for the data plane at once.
    await client.send(new DeleteTableCommand({ TableName: table }));
    expect(await outcome(doc.send(new PutCommand({ TableName: table, Item: { pk: 'c' } })))).toBe(
      'ResourceNotFoundException',
    );
    // Created again with another key and an index: items and queries meet the new description.
    for (;;) {
      const created = await outcome(
        client.send(
          new CreateTableCommand({
            TableName: table,
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
              { AttributeName: 'g', AttributeType: 'S' },
            ],
            GlobalSecondaryIndexes: [
              {
                IndexName: 'par-g',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ),
      );
      if (created === 'applied') break;
      // Still being deleted (dynalite finishes a deletion on a timer): asked again.
      expect(created).toBe('ResourceInUseException');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await settled();
    expect(await outcome(doc.send(new PutCommand({ TableName: table, Item: { pk: 'd', g: 'G2' } })))).toBe(
      'ValidationException',
    );
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'd', sk: '1', g: 'G2' } }));
    const found = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'par-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': 'G2' },
      }),
    );
    expect(found.Items).toEqual([{ pk: 'd', sk: '1', g: 'G2' }]);
  });
});

describe('a kept state whose indexes a crash left behind their items', () => {
  const waitingIds = async (table: EmbeddedTable) =>
    (
      await DynamoDBDocumentClient.from(table.client).send(
        new QueryCommand({
          TableName: TABLE.name,
          IndexName: TABLE.pendingIndex.name,
          KeyConditionExpression: 'gsi1pk = :waiting',
          ExpressionAttributeValues: { ':waiting': 'WAITING' },
        }),
      )
    ).Items?.map((item) => item.id);

  it('mends them at start: an entry without its item goes, a missing one comes back', async () => {
    const path = await mkdtemp(join(tmpdir(), 'segur-index-'));
    const first = await startEmbeddedTable(path);
    const meta = (id: string, waiting: boolean) => ({
      pk: `SUB#${id}`,
      sk: 'META',
      id,
      ...(waiting ? { gsi1pk: 'WAITING', gsi1sk: `2026-12-03T10:00:0${id.length}Z` } : {}),
    });
    try {
      const firstDoc = DynamoDBDocumentClient.from(first.client);
      await firstDoc.send(new PutCommand({ TableName: TABLE.name, Item: meta('judged', true) }));
      await firstDoc.send(new PutCommand({ TableName: TABLE.name, Item: meta('waits', false) }));
      expect(await waitingIds(first)).toEqual(['judged']);
    } finally {
      await first.stop();
    }

    // What a kill -9 between dynalite's index writes and its item's write leaves: 'judged' was
    // completed (the item left the waiting list, its index entry stayed), 'waits' came back to the
    // list (the item has it, its index entry was never written).
    const level = openKeptLevel(path);
    const items = [];
    for await (const entry of level.iterator({ gte: `item-${TABLE.name}~`, lt: `item-${TABLE.name}\u007f` }))
      items.push(entry);
    for (const [key, item] of items) {
      const id = (item.id as { S: string }).S;
      if (id === 'judged') {
        const { gsi1pk: _pk, gsi1sk: _sk, ...left } = item;
        await level.put(key, left);
      } else
        await level.put(key, { ...item, gsi1pk: { S: 'WAITING' }, gsi1sk: { S: '2026-12-03T10:00:05Z' } });
    }
    await level.close();

    const second = await startEmbeddedTable(path);
    try {
      expect(await waitingIds(second)).toEqual(['waits']);
    } finally {
      await second.stop();
    }
  });

  it('makes active at start a table a kill -9 left being created', async () => {
    const path = await mkdtemp(join(tmpdir(), 'segur-table-'));
    const first = await startEmbeddedTable(path);
    try {
      await DynamoDBDocumentClient.from(first.client).send(
        new PutCommand({ TableName: TABLE.name, Item: { pk: 'SUB#x', sk: 'META', id: 'x' } }),
      );
    } finally {
      await first.stop();
    }
    // dynalite writes a new table CREATING, then ACTIVE after a timer: killed in between.
    const level = openKeptLevel(path);
    const key = `table~${TABLE.name}`;
    const table = (await level.get(key)) as { GlobalSecondaryIndexes: Array<Record<string, unknown>> };
    await level.put(key, {
      ...table,
      TableStatus: 'CREATING',
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((index) => ({
        ...index,
        IndexStatus: 'CREATING',
      })),
    });
    await level.close();

    const second = await startEmbeddedTable(path);
    try {
      const read = await DynamoDBDocumentClient.from(second.client).send(
        new GetCommand({ TableName: TABLE.name, Key: { pk: 'SUB#x', sk: 'META' } }),
      );
      expect(read.Item?.id).toBe('x');
    } finally {
      await second.stop();
    }
  });
});
