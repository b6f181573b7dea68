import { S3Client } from '@aws-sdk/client-s3';

/**
 * Counts the AWS SDK requests this process sends, by service and operation: every client (the
 * handlers' and the stack's) shares the base class whose `send` is wrapped here. Counts, not times:
 * they do not move with the machine's load.
 */
export interface RequestCounts {
  readonly byOperation: ReadonlyMap<string, number>;
  readonly total: number;
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
  base.send = function counted(this: object, command: unknown, ...rest: unknown[]) {
    if (!ignore(this)) {
      const service = this.constructor.name.replace(/Client$/, '');
      const operation = (command as object).constructor.name.replace(/Command$/, '');
      const key = `${service} ${operation}`;
      byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
    }
    return original.call(this, command, ...rest);
  };
  return {
    counts: () => ({
      byOperation: new Map([...byOperation].sort(([a], [b]) => a.localeCompare(b))),
      total: [...byOperation.values()].reduce((sum, count) => sum + count, 0),
    }),
    stop: () => {
      base.send = original;
    },
  };
}
