import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
   * under its name is not taken: `replaced-after-judgement`.
   */
  async recordArrival(arrival: Arrival): Promise<ArrivalOutcome> {
    const pk = `SUB#${arrival.submissionId}`;
    const json = arrival.kind === 'json';
    if (!json) {
      // A zip name once judged keeps the judged object: a new upload under it is a replacement.
      const before = await this.getSubmission(arrival.submissionId);
      const judgedOrder = before?.judgedContent?.zipOrders[arrival.name];
      if (before && judgedOrder !== undefined)
        return {
          submission: before,
          effect: arrival.order > judgedOrder ? 'replaced-after-judgement' : 'unchanged',
        };
    }
    if (!json && !(await this.recordZip(pk, arrival))) {
      const current = await this.getSubmission(arrival.submissionId);
      if (current) return { submission: current, effect: 'unchanged' };
    }
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk, sk: 'META' },
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
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.getSubmission(arrival.submissionId);
      if (!current) throw error;
      return { submission: current, effect: this.jsonEffect(current, arrival) };
    }
    if (!json) {
      // The zip's arrival is whole: a duplicate event of it changes nothing (best effort: without
      // the mark, a duplicate only asks for a judgement that finds the content judged).
      await this.table.doc
        .send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: { pk, sk: `ZIP#${arrival.name}` },
            UpdateExpression: 'SET #recorded = :yes',
            ConditionExpression: '#order = :order',
            ExpressionAttributeNames: { '#recorded': 'recorded', '#order': 'order' },
            ExpressionAttributeValues: { ':yes': true, ':order': arrival.order },
          }),
        )
        .catch(() => undefined);
    }
    return {
      submission: (await this.getSubmission(arrival.submissionId)) as SubmissionRecord,
      effect: 'recorded',
    };
  }
  /**
   * The zip's item, unless a newer one is there. The same arrival again (a duplicate event, or the
   * retry of one whose submission update failed: throttling) goes on to the submission's update, so
   * that a half-recorded arrival is completed, never left behind.
   */
  private async recordZip(pk: string, arrival: Arrival): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            pk,
            sk: `ZIP#${arrival.name}`,
            name: arrival.name,
            ref: arrival.object,
            order: arrival.order,
            arrivedAt: arrival.at,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #order < :order',
          ExpressionAttributeNames: { '#order': 'order' },
          ExpressionAttributeValues: { ':order': arrival.order },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.table.doc.send(
        new GetCommand({
          TableName: this.table.name,
          Key: { pk, sk: `ZIP#${arrival.name}` },
          ConsistentRead: true,
        }),
      );
      // Half-recorded (its submission's update failed): finish it. Fully recorded: a duplicate.
      return stored.Item?.order === arrival.order && stored.Item?.recorded !== true;
    }
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
  async completeJudgement(id: string, fingerprint: string, done: JudgementDone): Promise<boolean> {
    const recorded = [
      ...(done.judgedEtag ? ['#judgedEtag = :etag'] : []),
      ...(done.content ? ['#content = :content'] : []),
      ...(done.missingDocuments ? ['#missing = :missing'] : []),
      ...(done.impId ? ['#impId = :impId'] : []),
    ];
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          UpdateExpression: `SET #judged = :fingerprint, #status = :judged, #judgedAt = :at${recorded.map((part) => `, ${part}`).join('')} REMOVE #gsi1pk, #reason`,
          // Only for the content judged: a newer JSON or zip recorded meanwhile is judged on its own.
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: {
            '#judged': 'judgedFingerprint',
            '#status': 'status',
            '#gsi1pk': 'gsi1pk',
            '#version': 'version',
            '#judgedAt': 'judgedAt',
            '#reason': 'waitingReason',
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
            ...(done.judgedEtag ? { ':etag': done.judgedEtag } : {}),
            ...(done.content ? { ':content': done.content } : {}),
            ...(done.missingDocuments ? { ':missing': [...done.missingDocuments] } : {}),
            ...(done.impId ? { ':impId': done.impId } : {}),
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    // The claim's own record, for the operators: the submission above is what decides (its
    // judgedFingerprint stops another judgement of this content), so a failure here loses nothing.
    await this.table.doc
      .send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
          UpdateExpression: 'SET #status = :done',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done' },
        }),
      )
      .catch(() => undefined);
    return true;
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
