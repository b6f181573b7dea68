import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../config/resources';
import type { OutcomeRecord } from '../pipeline/outcome-record';
import type { OutcomeJournal, StoredObjectRef, SubmissionRecord } from '../pipeline/ports';
import { dayIndexKey, dayPartition, vendorPrefix } from './day-index';
import { StateTable } from './state/state-table';
import { submissionOfItems, type TableItem } from './submission-items';

/** One submission's whole story, from its partition: what arrived, the judgements, the results published. */
export interface SubmissionStory {
  readonly id: string;
  /** Absent for a refused key that never became a submission (its refusal is in `outcomes`). */
  readonly submission?: SubmissionRecord;
  readonly arrivals: ReadonlyArray<{
    readonly kind: 'json' | 'zip';
    readonly ref: StoredObjectRef;
    readonly at?: string;
  }>;
  /** Each claim on a judgement of one content (a lease while it runs, `done` once recorded). */
  readonly judgements: ReadonlyArray<{
    readonly claim: string;
    readonly status: string;
    readonly until?: string;
  }>;
  /** Oldest first. */
  readonly outcomes: readonly OutcomeRecord[];
}

/** Submissions read at once for a listing: a day of deposits in a few rounds, within the table's burst. */
const STORIES_IN_FLIGHT = 8;

/**
 * The operators' journal in the state table: one OUTCOME#<digest> item per published result, in
 * its submission's partition, and in the day index (`TABLE.dayIndex`) with the submissions' own
 * items, so that a day's deposits are one query on the index, never a scan of the table.
 */
export class DynamoDepositJournal implements OutcomeJournal {
  private readonly table: StateTable;

  constructor(client: DynamoDBClient, tableName: string = TABLE.name) {
    this.table = new StateTable(client, tableName);
  }

  async recordOutcome(record: OutcomeRecord): Promise<void> {
    const day = dayIndexKey(record.publishedAt, record.siret, record.submissionId);
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: `SUB#${record.submissionId}`,
          sk: `OUTCOME#${record.digest}`,
          [TABLE.dayIndex.partitionKey]: day.partition,
          [TABLE.dayIndex.sortKey]: day.sort,
          record,
        },
      }),
    );
  }

  /**
   * The ids of the submissions that arrived on `day` (AAAA-MM-JJ, Paris) or had a result published
   * that day, by SIRET then time; one vendor's only with `siret`. At most `limit`, and whether more
   * were left.
   */
  async submissionsOfDay(
    day: string,
    options: { siret?: string; limit: number },
  ): Promise<{ ids: string[]; truncated: boolean }> {
    const ids = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.name,
          IndexName: TABLE.dayIndex.name,
          KeyConditionExpression: options.siret
            ? '#day = :day AND begins_with(#sort, :siret)'
            : '#day = :day',
          ExpressionAttributeNames: {
            '#day': TABLE.dayIndex.partitionKey,
            ...(options.siret ? { '#sort': TABLE.dayIndex.sortKey } : {}),
          },
          ExpressionAttributeValues: {
            ':day': dayPartition(day),
            ...(options.siret ? { ':siret': vendorPrefix(options.siret) } : {}),
          },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        ids.add(String(item.pk).slice('SUB#'.length));
        if (ids.size > options.limit) return { ids: [...ids].slice(0, options.limit), truncated: true };
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { ids: [...ids], truncated: false };
  }

  async story(id: string): Promise<SubmissionStory | undefined> {
    const items = await this.table.queryPartition(`SUB#${id}`);
    return items.length === 0 ? undefined : storyOfItems(id, items);
  }

  /** Several stories, a few partitions at a time, in the order asked. */
  async stories(ids: readonly string[]): Promise<SubmissionStory[]> {
    const stories: Array<SubmissionStory | undefined> = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        stories[index] = await this.story(ids[index] as string);
      }
    };
    await Promise.all(Array.from({ length: Math.min(STORIES_IN_FLIGHT, ids.length) }, worker));
    return stories.filter((story): story is SubmissionStory => story !== undefined);
  }
}

function storyOfItems(id: string, items: readonly TableItem[]): SubmissionStory {
  const submission = submissionOfItems(items);
  const meta = items.find((item) => item.sk === 'META');
  const arrivals: Array<SubmissionStory['arrivals'][number]> = [];
  if (submission?.json)
    arrivals.push({ kind: 'json', ref: submission.json, at: meta?.jsonArrivedAt as string | undefined });
  for (const item of items)
    if (String(item.sk).startsWith('ZIP#'))
      arrivals.push({
        kind: 'zip',
        ref: item.ref as StoredObjectRef,
        at: item.arrivedAt as string | undefined,
      });
  const judgements = items
    .filter((item) => String(item.sk).startsWith('JUDGEMENT#'))
    .map((item) => ({
      claim: String(item.sk).slice('JUDGEMENT#'.length),
      status: String(item.status),
      ...(typeof item.expiresAt === 'number' && item.status === 'claimed'
        ? { until: new Date(item.expiresAt).toISOString() }
        : {}),
    }));
  const outcomes = items
    .filter((item) => String(item.sk).startsWith('OUTCOME#'))
    .map((item) => item.record as OutcomeRecord)
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  return { id, ...(submission ? { submission } : {}), arrivals, judgements, outcomes };
}
