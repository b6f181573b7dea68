import {
  type CancellationReason,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../config/resources';
import { queryPartition, type TableItem } from '../submission-items';

/** Attempts at a batch whose items DynamoDB leaves unprocessed (throttling) before giving up. */
export const BATCH_ATTEMPTS = 10;

export const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Sendings of a transaction another one kept cancelling (TransactionConflict) before giving up. */
const CONFLICT_ATTEMPTS = 10;

/** Exponential backoff with jitter, at most a second. */
export const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));

/** Runs `work` on every item, `width` at a time. */
export async function inBatches<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map(work));
  }
}

/**
 * The state table, shared by the state store's parts (`dynamo-*.ts` beside it): its document
 * client and name, and the reads several parts make (a partition, batches of keys, a sequence).
 */
export class StateTable {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly name: string = TABLE.name,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  queryPartition(pk: string): Promise<TableItem[]> {
    return queryPartition(this.doc, this.name, pk);
  }

  /**
   * BatchGetItem by 100 (consistent reads), retrying with backoff the keys DynamoDB leaves
   * unprocessed (throttling): under throttling, a missed avance would reject a solde for good.
   */
  async batchGet(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<TableItem[]> {
    const found: TableItem[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let pending: TableItem[] = keys.slice(start, start + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= BATCH_ATTEMPTS)
          throw new Error(`${pending.length} lecture(s) non traitée(s) par DynamoDB`);
        if (attempt > 0) await pause(attempt);
        const result = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(result.Responses?.[this.name] ?? []));
        pending = (result.UnprocessedKeys?.[this.name]?.Keys ?? []) as TableItem[];
      }
    }
    return found;
  }

  /**
   * A few writes as one (TransactWriteItems): undefined once applied, or each item's cancellation
   * reason when a condition failed (nothing applied). A conflict with another transaction on the
   * same items is sent again after a pause; any other cancellation is a fault, thrown.
   */
  async transact(
    items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  ): Promise<CancellationReason[] | undefined> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await pause(attempt);
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return undefined;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const codes = new Set(reasons.map((reason) => reason.Code ?? 'None'));
        if (codes.has('TransactionConflict') && attempt + 1 < CONFLICT_ATTEMPTS) continue;
        if ([...codes].some((code) => code !== 'None' && code !== 'ConditionalCheckFailed')) throw error;
        return reasons;
      }
    }
  }

  /** Adds `count` to a counter and returns its new value: the numbers (value - count, value] are ours. */
  async next(name: string, count = 1): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.name,
        Key: { pk: `SEQ#${name}`, sk: 'SEQ' },
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  }
}
