import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { JudgedContent, StoredObjectRef, SubmissionRecord } from '../pipeline/ports';

/** The status (and `pending` index key) of a submission waiting for its judgement. */
export const WAITING = 'WAITING';

export type TableItem = Record<string, unknown>;

/** Every item of one partition (a submission's SUB#<id>, a registry), strongly consistent, every page. */
export async function queryPartition(
  doc: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): Promise<TableItem[]> {
  const items: TableItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) items.push(item);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A submission from its partition's items: META, and one ZIP#<name> per zip received. */
export function submissionOfItems(items: readonly TableItem[]): SubmissionRecord | undefined {
  const meta = items.find((item) => item.sk === 'META');
  if (!meta) return undefined;
  const zips: Record<string, StoredObjectRef> = {};
  const zipOrders: Record<string, string> = {};
  for (const item of items)
    if (String(item.sk).startsWith('ZIP#')) {
      zips[item.name as string] = item.ref as StoredObjectRef;
      zipOrders[item.name as string] = String(item.order ?? '');
    }
  return {
    id: meta.id as string,
    siret: meta.siret as string,
    type: meta.type as 'avance' | 'solde',
    base: meta.base as string,
    json: meta.json as StoredObjectRef | undefined,
    zips,
    firstArrivalAt: meta.firstArrivalAt as string,
    judgedFingerprint: meta.judgedFingerprint as string | undefined,
    status: meta.status === WAITING ? 'waiting' : 'judged',
    version: Number(meta.version ?? 0),
    judgedEtag: meta.judgedEtag as string | undefined,
    judgedAt: meta.judgedAt as string | undefined,
    jsonOrder: meta.jsonOrder as string | undefined,
    zipOrders,
    judgedContent: meta.judgedContent as JudgedContent | undefined,
    missingDocuments: meta.missingDocuments as string[] | undefined,
    waitingReason: meta.waitingReason as string | undefined,
    impId: meta.impId as string | undefined,
    notifiedAt: meta.notifiedAt as string | undefined,
  };
}
