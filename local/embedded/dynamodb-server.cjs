// The embedded DynamoDB in its own process: dynalite (in memory, or LevelDB under
// SEGUR_DYNAMODB_PATH), plus TransactWriteItems, which dynalite lacks. Prints its port as one JSON
// line, like fauxqs-server.mjs; stops on SIGTERM or when its parent goes away (stdin closes).
//
// Why a process of its own: the pipeline's process no longer serves DynamoDB's requests, so the
// judge and the emulator use the machine's two cores.
//
// Why our own TransactWriteItems (docs/decisions.md, "Transactions"): the judge claims an avance's
// 200 lines in 2 requests instead of 200, and the embedded stack must answer them as DynamoDB does.
// A transaction takes the table for itself (every other request waits, none is half-seen), applies
// each item through dynalite's own actions (its conditions, expressions and indexes), and, when one
// condition fails, undoes what it applied and answers TransactionCanceledException with a reason per
// item (ConditionalCheckFailed with the item when ALL_OLD was asked, None for the others), as AWS
// does. Atomic while this process lives: a kill in the middle leaves the items it had applied (a
// judgement retried takes its own claims back; docs/decisions.md says why that is safe).
const http = require('node:http');
const db = require('dynalite/db');

// dynalite keeps its store to itself: the one it creates is caught here, for the transactions.
let store;
const createStore = db.create;
db.create = (options) => {
  store = createStore(options);
  return store;
};
const dynalite = require('dynalite');
const validations = require('dynalite/validations');
const { rememberParses } = require('./dynalite-expression-cache.cjs');
const { repairIndexes } = require('./dynalite-index-repair.cjs');
const { rememberTables } = require('./dynalite-table-cache.cjs');

// The same few expressions come hundreds of times a judgement: parsed once each (see the module).
rememberParses(require('dynalite/db/updateParser'));
rememberParses(require('dynalite/db/conditionParser'));

const MAX_TRANSACTION_ITEMS = 100;
const TRANSACT_TARGET = 'DynamoDB_20120810.TransactWriteItems';
const KINDS = { Put: 'putItem', Update: 'updateItem', Delete: 'deleteItem' };

/** Shared for ordinary requests, exclusive for a transaction; granted in arrival order. */
class TableLock {
  constructor() {
    this.shared = 0;
    this.exclusive = false;
    this.waiting = [];
  }
  acquire(exclusive) {
    return new Promise((grant) => {
      this.waiting.push({ exclusive, grant });
      this.next();
    });
  }
  next() {
    while (this.waiting.length > 0 && !this.exclusive) {
      const head = this.waiting[0];
      if (head.exclusive && this.shared > 0) return;
      this.waiting.shift();
      if (head.exclusive) this.exclusive = true;
      else this.shared++;
      head.grant(() => {
        if (head.exclusive) this.exclusive = false;
        else this.shared--;
        this.next();
      });
    }
  }
}

const apiError = (type, message) => ({
  statusCode: 400,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message },
});

// Loaded once: a require() per item costs its path's resolution every time (3 s of 39 in a profile).
const ACTIONS = Object.fromEntries(
  [...Object.values(KINDS), 'getItem'].map((action) => [
    action,
    { checks: require(`dynalite/validations/${action}`), run: require(`dynalite/actions/${action}`) },
  ]),
);

/** One of dynalite's actions, validated as its HTTP front validates it. */
function perform(action, data) {
  const { checks, run } = ACTIONS[action];
  const checked = validations.checkTypes(data, checks.types);
  validations.checkValidations(checked, checks.types, checks.custom, store);
  return new Promise((resolve, reject) =>
    run(store, checked, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

const tableOf = (name) =>
  new Promise((resolve, reject) =>
    store.getTable(name, (error, table) => (error ? reject(error) : resolve(table))),
  );

async function transactWrite(request) {
  const items = Array.isArray(request.TransactItems) ? request.TransactItems : [];
  if (items.length === 0 || items.length > MAX_TRANSACTION_ITEMS)
    throw apiError(
      'ValidationException',
      `TransactItems must have between 1 and ${MAX_TRANSACTION_ITEMS} items`,
    );
  const operations = [];
  const seen = new Set();
  const tables = new Map();
  for (const item of items) {
    const kind = Object.keys(item ?? {}).find((name) => KINDS[name]);
    if (!kind || Object.keys(item).length !== 1)
      throw apiError(
        'ValidationException',
        'Each TransactItem must be one Put, Update or Delete (ConditionCheck is not emulated)',
      );
    const { ReturnValuesOnConditionCheckFailure: returnOld, ...params } = item[kind];
    if (!tables.has(params.TableName)) tables.set(params.TableName, await tableOf(params.TableName));
    const table = tables.get(params.TableName);
    const source = kind === 'Put' ? params.Item : params.Key;
    const key = Object.fromEntries(
      table.KeySchema.map(({ AttributeName }) => [AttributeName, source?.[AttributeName]]),
    );
    const identity = `${params.TableName}\u0000${JSON.stringify(key)}`;
    if (seen.has(identity))
      throw apiError(
        'ValidationException',
        'Transaction request cannot include multiple operations on one item',
      );
    seen.add(identity);
    operations.push({ action: KINDS[kind], params, key, returnOld: returnOld === 'ALL_OLD' });
  }
  const applied = [];
  const reasons = [];
  let capacity = 0;
  try {
    for (const operation of operations) {
      try {
        // The item as it was comes back with the write (ALL_OLD): what an undo puts back.
        const result = await perform(operation.action, {
          ...operation.params,
          ReturnValues: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        });
        applied.push({ operation, before: result.Attributes });
        capacity += result.ConsumedCapacity?.CapacityUnits ?? 1;
        reasons.push({ Code: 'None' });
      } catch (error) {
        const type = String(error?.body?.__type ?? '');
        if (!type.endsWith('#ConditionalCheckFailedException')) throw error;
        // Under the table's lock, the item read now is the one the condition saw.
        const holder = operation.returnOld
          ? await perform('getItem', {
              TableName: operation.params.TableName,
              Key: operation.key,
              ConsistentRead: true,
            })
          : {};
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(holder.Item ? { Item: holder.Item } : {}),
        });
      }
    }
  } catch (error) {
    await undo(applied);
    throw error;
  }
  if (reasons.some((reason) => reason.Code !== 'None')) {
    await undo(applied);
    const codes = reasons.map((reason) => reason.Code).join(', ');
    throw {
      statusCode: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
        CancellationReasons: reasons,
      },
    };
  }
  // A transaction costs two write units per item (DynamoDB's pricing), as the bench reports.
  return request.ReturnConsumedCapacity && request.ReturnConsumedCapacity !== 'NONE'
    ? { ConsumedCapacity: [{ TableName: operations[0].params.TableName, CapacityUnits: 2 * capacity }] }
    : {};
}

/** Puts back, last first, what a cancelled transaction had applied. */
async function undo(applied) {
  for (const { operation, before } of applied.reverse()) {
    const TableName = operation.params.TableName;
    if (before) await perform('putItem', { TableName, Item: before });
    else await perform('deleteItem', { TableName, Key: operation.key });
  }
}

function answer(res, statusCode, body) {
  const text = JSON.stringify(body);
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handleTransaction(req, res, lock) {
  let request;
  try {
    request = JSON.parse(await readBody(req));
  } catch {
    return answer(res, 400, { __type: 'com.amazon.coral.service#SerializationException' });
  }
  const release = await lock.acquire(true);
  try {
    answer(res, 200, await transactWrite(request));
  } catch (error) {
    if (error?.statusCode) answer(res, error.statusCode, error.body);
    else
      answer(res, 500, {
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: String(error),
      });
  } finally {
    release();
  }
}

/**
 * Opens the LevelDB folder, waiting up to 10 s for a previous process of the same state to let go
 * of it (a parent killed with -9 leaves this child closing it for a moment).
 */
async function openStore() {
  if (typeof store.db.open !== 'function') return;
  for (let attempt = 0; ; attempt++) {
    try {
      await store.db.open();
      return;
    } catch (error) {
      const locked = /LOCK|LEVEL_LOCKED/.test(
        `${error?.code} ${error?.cause?.code} ${error?.message} ${error?.cause?.message}`,
      );
      if (!locked || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function main() {
  const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
  if (process.env.SEGUR_DYNAMODB_PATH) options.path = process.env.SEGUR_DYNAMODB_PATH;
  const inner = dynalite(options);
  // Table descriptions decoded once, not at every item (see the module).
  rememberTables(store);
  await openStore();
  if (options.path) {
    // A kept state a kill -9 may have left with indexes that disagree with their items: mended first.
    const mended = await repairIndexes(store);
    if (mended > 0)
      process.stderr.write(
        `DynamoDB embarqué : état remis d'accord après un arrêt brutal (${mended} écriture(s))\n`,
      );
  }
  const dynaliteHandler = inner.listeners('request')[0];
  const lock = new TableLock();
  const server = http.createServer((req, res) => {
    if (req.headers['x-amz-target'] === TRANSACT_TARGET) return void handleTransaction(req, res, lock);
    // Watched from the start: a client gone while its request waited for the lock has already
    // closed the response, and a 'close' listened for only after the grant would never come,
    // keeping the lock (and every transaction after it) for ever.
    let closed = false;
    res.once('close', () => {
      closed = true;
    });
    void lock.acquire(false).then((release) => {
      let released = false;
      const once = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      if (closed) return once();
      res.once('finish', once);
      res.once('close', once);
      dynaliteHandler(req, res);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(process.env.DYNAMODB_PORT ?? 0), '127.0.0.1', resolve);
  });
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections?.();
    server.close();
    // LevelDB closed cleanly, so that the next start opens it at once (its lock released).
    store.lifecycleManager.gracefulClose(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGTERM', stop);
  // Ctrl-C reaches the whole process group: the parent finishes its work, then stops this one.
  process.on('SIGINT', () => {});
  process.stdin.on('end', stop);
  process.stdin.resume();
}

// dynalite throws from a request's 'error' event when its client hangs up mid-request: that request
// is gone, the others go on. Any other error stops this process (the pipeline's requests then fail
// and are retried, as with DynamoDB down), rather than serving from a state nobody can trust.
process.on('uncaughtException', (error) => {
  if (error?.code === 'ECONNRESET' || error?.message === 'aborted') {
    process.stderr.write(`DynamoDB embarqué : requête abandonnée par son client (${error.message})\n`);
    return;
  }
  process.stderr.write(`DynamoDB embarqué : ${error?.stack ?? error}\n`);
  process.exit(1);
});

main().catch((error) => {
  process.stderr.write(`DynamoDB embarqué : ${error?.message ?? error}\n`);
  process.exit(1);
});
