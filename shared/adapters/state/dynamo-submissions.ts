import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../config/resources';
import {
  type Arrival,
  type ArrivalOutcome,
  contentEtag,
  type JudgementDone,
  type SubmissionRecord,
  type SubmissionStore,
} from '../../pipeline/ports';
import { dayIndexKey } from '../day-index';
import { submissionOfItems, WAITING } from '../submission-items';
import { isConditionFailure, type StateTable } from './state-table';

/** A submission's place in the operators' day index: the Paris day of its first arrival, then SIRET and time. */
function dayIndexKeys(at: string, siret: string, id: string): { ':day': string; ':daySort': string } {
  const key = dayIndexKey(at, siret, id);
  return { ':day': key.partition, ':daySort': key.sort };
}

/**
 * Submissions (SUB#<id> / META, ZIP#<name>): their arrivals in S3's order, whatever the order of
 * the events; why one waits; the end of its judgement, for the content judged only.
 */
export class DynamoSubmissions implements SubmissionStore {
  constructor(private readonly table: StateTable) {}

  /**
   * Records an arrival unless the submission already holds this object or a newer one (by the S3
   * event's order): a duplicate event changes nothing, and an event older than the recorded one
   * never replaces its reference (S3 does not order events). Once a JSON was judged, another JSON
   * under its name is not taken: `replaced-after-judgement`. `before`: the submission as the caller
   * just read it (a zip's arrival needs it), so that it is not read twice.
   */
  async recordArrival(arrival: Arrival, before?: SubmissionRecord | null): Promise<ArrivalOutcome> {
    if (arrival.kind === 'zip') return this.recordZipArrival(arrival, before);
    try {
      await this.table.doc.send(new UpdateCommand(this.metaUpdate(arrival)));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.getSubmission(arrival.submissionId);
      if (!current) throw error;
      return { submission: current, effect: this.jsonEffect(current, arrival) };
    }
    return {
      submission: (await this.getSubmission(arrival.submissionId)) as SubmissionRecord,
      effect: 'recorded',
    };
  }

  /**
   * A zip's item and its submission's update in one transaction: both or neither, so that a
   * duplicate event (the item there, as recent) changes nothing. A zip name once judged keeps the
   * judged object: a new upload under it is a replacement.
   */
  private async recordZipArrival(
    arrival: Arrival,
    known: SubmissionRecord | null | undefined,
  ): Promise<ArrivalOutcome> {
    const before = known === undefined ? await this.getSubmission(arrival.submissionId) : known;
    const judgedOrder = before?.judgedContent?.zipOrders[arrival.name];
    if (before && judgedOrder !== undefined)
      return {
        submission: before,
        effect: arrival.order > judgedOrder ? 'replaced-after-judgement' : 'unchanged',
      };
    const pk = `SUB#${arrival.submissionId}`;
    // The submission's update first: the embedded DynamoDB applies items in order, and a kill -9
    // between them leaves an update without its zip (redelivered at restart, done again), never a
    // zip recorded without its update.
    const write = (condition: string) =>
      this.table.transact([
        { Update: this.metaUpdate(arrival) },
        {
          Put: {
            TableName: this.table.name,
            Item: {
              pk,
              sk: `ZIP#${arrival.name}`,
              name: arrival.name,
              ref: arrival.object,
              order: arrival.order,
              arrivedAt: arrival.at,
              recorded: true,
            },
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#order': 'order' },
            ExpressionAttributeValues: { ':order': arrival.order },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ]);
    let refused = await write('attribute_not_exists(pk) OR #order < :order');
    const stored = refused?.[1]?.Item;
    // Half-recorded (by a version that wrote the two apart, its submission's update failed; or the
    // zip there without any submission): finish it.
    if (refused && stored?.order?.S === arrival.order && (stored.recorded?.BOOL !== true || !before))
      refused = await write('#order = :order');
    const submission = await this.getSubmission(arrival.submissionId);
    if (!submission) throw new Error(`soumission ${arrival.submissionId} introuvable après son arrivée`);
    return { submission, effect: refused ? 'unchanged' : 'recorded' };
  }

  /**
   * The submission's update for an arrival: its identity, the waiting list, the day index, a new
   * content version, and a JSON's reference, only if newer (by order) and not judged.
   */
  private metaUpdate(arrival: Arrival) {
    const json = arrival.kind === 'json';
    return {
      TableName: this.table.name,
      Key: { pk: `SUB#${arrival.submissionId}`, sk: 'META' },
      // Every name aliased: id, base, status, type… are DynamoDB reserved words.
      UpdateExpression: `SET #id = :id, #siret = :siret, #type = :type, #base = :base, #status = :waiting, #gsi1pk = :waiting,
          #first = if_not_exists(#first, :at), #gsi1sk = if_not_exists(#first, :at),
          #gsi2pk = if_not_exists(#gsi2pk, :day), #gsi2sk = if_not_exists(#gsi2sk, :daySort)${json ? ', #json = :json, #order = :order, #etag = :etag, #jsonAt = :at' : ''}
          ADD #version :one`,
      ...(json
        ? {
            ConditionExpression:
              '(attribute_not_exists(#order) OR #order < :order) AND (attribute_not_exists(#etag) OR #etag <> :etag) AND attribute_not_exists(#judgedEtag)',
          }
        : {}),
      ExpressionAttributeNames: {
        '#id': 'id',
        '#siret': 'siret',
        '#type': 'type',
        '#base': 'base',
        '#status': 'status',
        '#gsi1pk': 'gsi1pk',
        '#gsi1sk': 'gsi1sk',
        '#gsi2pk': TABLE.dayIndex.partitionKey,
        '#gsi2sk': TABLE.dayIndex.sortKey,
        '#first': 'firstArrivalAt',
        '#version': 'version',
        ...(json
          ? {
              '#json': 'json',
              '#order': 'jsonOrder',
              '#etag': 'jsonEtag',
              '#judgedEtag': 'judgedEtag',
              '#jsonAt': 'jsonArrivedAt',
            }
          : {}),
      },
      ExpressionAttributeValues: {
        ':id': arrival.submissionId,
        ':siret': arrival.siret,
        ':type': arrival.type,
        ':base': arrival.base,
        ':waiting': WAITING,
        ':at': arrival.at,
        ...dayIndexKeys(arrival.at, arrival.siret, arrival.submissionId),
        ':one': 1,
        ...(json
          ? { ':json': arrival.object, ':order': arrival.order, ':etag': contentEtag(arrival.object) }
          : {}),
      },
    };
  }
  async getSubmission(id: string): Promise<SubmissionRecord | undefined> {
    return submissionOfItems(await this.table.queryPartition(`SUB#${id}`));
  }
  async markNotified(id: string, at: string): Promise<void> {
    await this.table.doc
      .send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          UpdateExpression: 'SET #notified = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#notified': 'notifiedAt' },
          ExpressionAttributeValues: { ':at': at },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
  async setWaitingReason(id: string, reason: string | undefined): Promise<void> {
    await this.table.doc.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { pk: `SUB#${id}`, sk: 'META' },
        UpdateExpression: reason === undefined ? 'REMOVE #reason' : 'SET #reason = :reason',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#reason': 'waitingReason' },
        ...(reason === undefined ? {} : { ExpressionAttributeValues: { ':reason': reason } }),
      }),
    );
  }
  /**
   * The end of a judgement, in one transaction: the submission judged (only for the content judged:
   * `version` unchanged; a newer JSON or zip recorded meanwhile is judged on its own), the claim's
   * own record done (for the operators), and the outputs lock of `done.writer` let go. A writer
   * whose lease ran out (another took the lock) still completes, leaving that lock to its holder.
   */
  async completeJudgement(id: string, fingerprint: string, done: JudgementDone): Promise<boolean> {
    const recorded = [
      ...(done.judgedEtag ? ['#judgedEtag = :etag'] : []),
      ...(done.content ? ['#content = :content'] : []),
      ...(done.missingDocuments ? ['#missing = :missing'] : []),
      ...(done.impId ? ['#impId = :impId'] : []),
    ];
    const writer = done.writer;
    const refused = await this.table.transact([
      {
        Update: {
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          UpdateExpression: `SET #judged = :fingerprint, #status = :judged, #judgedAt = :at${recorded.map((part) => `, ${part}`).join('')} REMOVE #gsi1pk, #reason${writer ? ', #writer, #writerUntil' : ''}`,
          ConditionExpression: writer ? '#version = :version AND #writer = :writer' : '#version = :version',
          ExpressionAttributeNames: {
            '#judged': 'judgedFingerprint',
            '#status': 'status',
            '#gsi1pk': 'gsi1pk',
            '#version': 'version',
            '#judgedAt': 'judgedAt',
            '#reason': 'waitingReason',
            ...(writer ? { '#writer': 'writer', '#writerUntil': 'writerUntil' } : {}),
            ...(done.judgedEtag ? { '#judgedEtag': 'judgedEtag' } : {}),
            ...(done.content ? { '#content': 'judgedContent' } : {}),
            ...(done.missingDocuments ? { '#missing': 'missingDocuments' } : {}),
            ...(done.impId ? { '#impId': 'impId' } : {}),
          },
          ExpressionAttributeValues: {
            ':fingerprint': fingerprint,
            ':judged': 'JUDGED',
            ':version': done.version,
            ':at': done.at ?? new Date().toISOString(),
            ...(writer ? { ':writer': writer } : {}),
            ...(done.judgedEtag ? { ':etag': done.judgedEtag } : {}),
            ...(done.content ? { ':content': done.content } : {}),
            ...(done.missingDocuments ? { ':missing': [...done.missingDocuments] } : {}),
            ...(done.impId ? { ':impId': done.impId } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
          UpdateExpression: 'SET #status = :done',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done' },
        },
      },
    ]);
    if (!refused) return true;
    const meta = refused[0]?.Item;
    // The content is still the one judged, but the lock is another writer's: completed without it.
    if (writer && meta?.version?.N === String(done.version)) {
      const { writer: _lost, ...withoutLock } = done;
      return this.completeJudgement(id, fingerprint, withoutLock);
    }
    return false;
  }
  /**
   * Why a JSON was not taken: the same event again or an older one, or a new upload (same bytes or
   * not) after a judgement, which is refused.
   */
  private jsonEffect(current: SubmissionRecord, arrival: Arrival): ArrivalOutcome['effect'] {
    const newer = current.jsonOrder === undefined || current.jsonOrder < arrival.order;
    return newer && current.judgedEtag !== undefined ? 'replaced-after-judgement' : 'unchanged';
  }
}
