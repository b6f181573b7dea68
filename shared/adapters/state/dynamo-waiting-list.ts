import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../config/resources';
import type { WaitingList } from '../../pipeline/ports';
import { WAITING } from '../submission-items';
import type { StateTable } from './state-table';

/** The sweeper's list: submissions waiting since before a time, from the `pending` index (no scan). */
export class DynamoWaitingList implements WaitingList {
  constructor(private readonly table: StateTable) {}

  async listWaiting(before: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.name,
          IndexName: TABLE.pendingIndex.name,
          KeyConditionExpression: '#gsi1pk = :waiting AND #gsi1sk < :before',
          ExpressionAttributeNames: { '#gsi1pk': 'gsi1pk', '#gsi1sk': 'gsi1sk' },
          ExpressionAttributeValues: { ':waiting': WAITING, ':before': before },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(item.id as string);
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
  }
}
