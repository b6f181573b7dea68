import { S3Client } from '@aws-sdk/client-s3';

/**
 * Counts the AWS SDK requests this process sends, by service and operation: every client (the
 * handlers' and the stack's) shares the base class whose `send` is wrapped here. Counts, not times:
 * they do not move with the machine's load.
 */
export interface RequestCounts {
  readonly byOperation: ReadonlyMap<string, number>;
  readonly total: number;
  /**
   * Write capacity units DynamoDB reported for the writes that succeeded (each write asked for
   * ReturnConsumedCapacity TOTAL): the table's, as the embedded DynamoDB computes them (1 per KB
   * written, 2 per item in a transaction; its indexes' writes are not counted).
   */
  readonly writeUnits: number;
  /**
   * Sequential rounds: how many times a request left while none was in flight. Requests sent
   * together count once, so this is the number of waits on the network along the way.
   */
  readonly rounds: number;
}

const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)(Item|Items)?$/;

function capacityOf(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce(
    (sum: number, item) => sum + Number((item as { CapacityUnits?: number }).CapacityUnits ?? 0),
    0,
  );
}

export function countRequests(ignore: (client: object) => boolean = () => false): {
  counts(): RequestCounts;
  stop(): void;
} {
  const base = Object.getPrototypeOf(S3Client.prototype) as {
    send: (...args: unknown[]) => Promise<unknown>;
  };
  const original = base.send;
  const byOperation = new Map<string, number>();
  let writeUnits = 0;
  let inFlight = 0;
  let rounds = 0;
  const send = (client: object, command: unknown, rest: unknown[]) => {
    if (inFlight++ === 0) rounds++;
    return original.call(client, command, ...rest).finally(() => {
      inFlight--;
    });
  };
  base.send = function counted(this: object, command: unknown, ...rest: unknown[]) {
    if (ignore(this)) return original.call(this, command, ...rest);
    const service = this.constructor.name.replace(/Client$/, '');
    const operation = (command as object).constructor.name.replace(/Command$/, '');
    const key = `${service} ${operation}`;
    byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
    const input = (command as { input?: Record<string, unknown> }).input;
    if (!service.startsWith('DynamoDB') || !WRITES.test(operation) || !input)
      return send(this, command, rest);
    input.ReturnConsumedCapacity ??= 'TOTAL';
    return send(this, command, rest).then((output) => {
      writeUnits += capacityOf(output);
      return output;
    });
  };
  return {
    counts: () => ({
      byOperation: new Map([...byOperation].sort(([a], [b]) => a.localeCompare(b))),
      total: [...byOperation.values()].reduce((sum, count) => sum + count, 0),
      writeUnits,
      rounds,
    }),
    stop: () => {
      base.send = original;
    },
  };
}
