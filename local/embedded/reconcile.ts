import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BUCKETS, PREFIXES, TABLE } from '../../shared/config/resources';
import type { JudgeRequest, StoredObjectRef } from '../../shared/pipeline/ports';
import { refusalKey } from '../../shared/pipeline/refusal';
import { parseDepositKey } from '../../shared/pipeline/submission-key';
import { objectCreatedEvent } from './s3-events';

/**
 * What a restart on a kept state (`--state`) finds after a crash (`kill -9`, a power cut), and puts
 * right before anything else runs. The objects and the table are on disk (written through); the
 * queues and the handlers' work in flight are not. So:
 * - claims and output locks held by the dead process are released (no judge runs yet: they are
 *   nobody's), so that a judgement it had started is done again instead of waiting out its lease;
 * - a deposit whose S3 event was lost (neither recorded by its submission nor refused) gets its
 *   event again;
 * - a submission still waiting has its arrival checked again (the intake asks for its judgement if
 *   it is complete; otherwise the sweeper's grace period applies);
 * - a judged submission whose email never went out (the mailbox records each) is replayed: the same
 *   recorded objects, verdict, numbers and impId, its returns written again and its email sent.
 * On AWS none of this is needed: SQS keeps messages, and leases expire.
 */
export interface Recovery {
  readonly leasesReleased: number;
  readonly arrivalsRedelivered: number;
  readonly submissionsRechecked: number;
  readonly verdictsResent: number;
}

export interface RecoveryDeps {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  deliver(event: ReturnType<typeof objectCreatedEvent>): Promise<void>;
  sendJudgeRequest(request: JudgeRequest): Promise<void>;
}

type Item = Record<string, unknown>;

export async function reconcileAfterRestart(deps: RecoveryDeps): Promise<Recovery> {
  const doc = DynamoDBDocumentClient.from(deps.dynamo);
  const items = await scanAll(doc);
  let leasesReleased = 0;
  const metas = new Map<string, Item>();
  const zips = new Map<string, Map<string, StoredObjectRef>>();
  for (const item of items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (sk.startsWith('JUDGEMENT#') && item.status === 'claimed') {
      await doc.send(new DeleteCommand({ TableName: TABLE.name, Key: { pk, sk } }));
      leasesReleased++;
    } else if (sk === 'META' && pk.startsWith('SUB#')) {
      metas.set(String(item.id), item);
      if (item.writer !== undefined) {
        await doc.send(
          new UpdateCommand({
            TableName: TABLE.name,
            Key: { pk, sk },
            UpdateExpression: 'REMOVE #writer, #until',
            ExpressionAttributeNames: { '#writer': 'writer', '#until': 'writerUntil' },
          }),
        );
        leasesReleased++;
      }
    } else if (sk.startsWith('ZIP#') && pk.startsWith('SUB#')) {
      const id = pk.slice(4);
      if (!zips.has(id)) zips.set(id, new Map());
      zips.get(id)?.set(String(item.name), item.ref as StoredObjectRef);
    }
  }

  let arrivalsRedelivered = 0;
  const redelivered = new Set<string>();
  for (const object of await listDeposits(deps.s3)) {
    if (isRecorded(object, metas, zips) || (await hasRefusal(deps.s3, object.key))) continue;
    await deps.deliver(objectCreatedEvent(BUCKETS.input, object));
    redelivered.add(object.key);
    arrivalsRedelivered++;
  }

  let submissionsRechecked = 0;
  let verdictsResent = 0;
  for (const [id, meta] of metas) {
    const json = meta.json as StoredObjectRef | undefined;
    if (meta.status === 'WAITING') {
      // The very event recorded (its S3 sequencer): a duplicate, 'unchanged' even if the submission
      // is judged meanwhile (a redelivered zip completed it), so the intake only checks whether it is
      // complete and asks for its judgement if it is. Never a fresh order: after a judgement, that
      // would read as a new upload under a judged name (1052).
      const order = String(meta.jsonOrder ?? '');
      if (!json || redelivered.has(json.key) || !order.startsWith('S#')) continue;
      await deps.deliver(
        objectCreatedEvent(BUCKETS.input, {
          key: json.key,
          size: json.size,
          eTag: json.etag,
          sequencer: order.slice(2),
        }),
      );
      submissionsRechecked++;
    } else if (
      meta.judgedContent &&
      !(typeof meta.notifiedAt === 'string' && meta.notifiedAt >= String(meta.judgedAt))
    ) {
      await deps.sendJudgeRequest({ submissionId: id, reason: 'replay' });
      verdictsResent++;
    }
  }
  return { leasesReleased, arrivalsRedelivered, submissionsRechecked, verdictsResent };
}

async function scanAll(doc: DynamoDBDocumentClient): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: TABLE.name, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function listDeposits(s3: S3Client): Promise<Array<{ key: string; size: number; eTag?: string }>> {
  const objects: Array<{ key: string; size: number; eTag?: string }> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKETS.input, Prefix: PREFIXES.deposit, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? [])
      if (object.Key) objects.push({ key: object.Key, size: object.Size ?? 0, eTag: object.ETag });
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

const bare = (etag: string | undefined) => etag?.replace(/"/g, '');

/** Whether the submission the key names holds this very object (by ETag), as JSON, zip or judged content. */
function isRecorded(
  object: { key: string; eTag?: string },
  metas: ReadonlyMap<string, Item>,
  zips: ReadonlyMap<string, ReadonlyMap<string, StoredObjectRef>>,
): boolean {
  const parsed = parseDepositKey(object.key);
  if (!parsed.ok) return false;
  const { submissionId, kind, name } = parsed.key;
  const meta = metas.get(submissionId);
  if (!meta) return false;
  const judged = meta.judgedContent as
    | { json?: StoredObjectRef; zips?: Record<string, StoredObjectRef> }
    | undefined;
  const refs =
    kind === 'json'
      ? [meta.json as StoredObjectRef | undefined, judged?.json]
      : [zips.get(submissionId)?.get(name), judged?.zips?.[name]];
  return refs.some((ref) => ref !== undefined && bare(ref.etag) === bare(object.eTag));
}

async function hasRefusal(s3: S3Client, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: BUCKETS.output, Key: refusalKey(key) }));
    return true;
  } catch {
    return false;
  }
}
