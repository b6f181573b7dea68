import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';

/**
 * What DynamoDB does under load, on demand (the embedded stack's `--chaos`): an occasional
 * ProvisionedThroughputExceededException reaching the pipeline's code (thrown before the SDK's own
 * retries), BatchGetItem answers that leave part of the keys in UnprocessedKeys, and transactions
 * cancelled by a conflict with another one on the same items (which the embedded DynamoDB, one
 * transaction at a time, never has on its own). Never set on
 * AWS: `pipelineDeps` adds it only when SEGUR_CHAOS_SEED is set, which only the embedded stack does.
 */
export interface DynamoFaults {
  /** Share of calls that fail with a throttling error. */
  readonly throttleRate: number;
  /** Share of the items of a BatchGetItem answer moved to UnprocessedKeys. */
  readonly unprocessedRate: number;
  /** Share of TransactWriteItems cancelled as DynamoDB does on a conflict (one item TransactionConflict). */
  readonly conflictRate?: number;
  readonly random: () => number;
}

type AttributeMap = Record<string, unknown>;

export function injectDynamoFaults(client: DynamoDBClient, faults: DynamoFaults): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (faults.random() < faults.throttleRate) {
        throw new ProvisionedThroughputExceededException({
          message: 'débit dépassé (injecté par --chaos)',
          $metadata: { httpStatusCode: 400 },
        });
      }
      if (
        context.commandName === 'TransactWriteItemsCommand' &&
        faults.random() < (faults.conflictRate ?? 0)
      ) {
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
        const conflicting = Math.floor(faults.random() * items.length);
        throw new TransactionCanceledException({
          message: 'Transaction cancelled (conflit injecté par --chaos)',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: items.map((_, index) =>
            index === conflicting
              ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
              : { Code: 'None' },
          ),
        });
      }
      const result = await next(args);
      if (context.commandName !== 'BatchGetItemCommand') return result;
      const output = result.output as {
        Responses?: Record<string, AttributeMap[]>;
        UnprocessedKeys?: Record<string, { Keys?: AttributeMap[]; ConsistentRead?: boolean }>;
      };
      for (const [table, items] of Object.entries(output.Responses ?? {})) {
        const kept: AttributeMap[] = [];
        const left: AttributeMap[] = [];
        for (const item of items) (faults.random() < faults.unprocessedRate ? left : kept).push(item);
        if (left.length === 0) continue;
        output.Responses = { ...output.Responses, [table]: kept };
        const previous = output.UnprocessedKeys?.[table]?.Keys ?? [];
        output.UnprocessedKeys = {
          ...output.UnprocessedKeys,
          [table]: {
            Keys: [...previous, ...left.map((item) => ({ pk: item.pk, sk: item.sk }))],
            ConsistentRead: true,
          },
        };
      }
      return result;
    },
    { step: 'initialize', name: 'segurChaosFaults' },
  );
}

/** A small seeded generator (mulberry32): a chaotic run can be run again the same way. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The faults of a chaotic embedded run: 0.5 % throttled calls, 30 % of batch reads left
 * unprocessed, 20 % of transactions cancelled by a conflict.
 */
export function chaosFaults(seed: number): DynamoFaults {
  return { throttleRate: 0.005, unprocessedRate: 0.3, conflictRate: 0.2, random: seededRandom(seed) };
}
