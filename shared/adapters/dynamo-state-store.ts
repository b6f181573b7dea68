import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../config/resources';
import type { Avance, AvanceStatut } from '../domain/referentiel';
import {
  type Arrival,
  type ArrivalOutcome,
  type AvanceLineClaim,
  type AvanceLineClaims,
  type ClaimOwner,
  contentEtag,
  type EditeurScope,
  type JudgementDone,
  type StateStore,
  type SubmissionRecord,
} from '../pipeline/ports';
import { dayIndexPartition } from './day-index';
import { queryPartition, submissionOfItems, WAITING } from './submission-items';

/**
 * The pipeline's state in one DynamoDB table (pk/sk):
 * - SUB#<id> / META: the submission (its JSON, status, first arrival, content version; in the
 *   `pending` index while waiting), and the lease of its outputs' writer;
 * - SUB#<id> / ZIP#<name>: each zip that arrived;
 * - SUB#<id> / JUDGEMENT#<fingerprint>: the claim on one judgement of one content (a lease);
 * - <registry> / <key>: a key of a registry (numeroEditeur of a software, avance closed, FINESS
 *   paid) and the submission that holds it, taken by a conditional write; an avance line's claim
 *   also holds its numeroASP (`line: 2`), so that a judged line costs one write;
 * - ASPNUM#<siret>#<numeroAns> / <numeroEditeur>: the numeroASP of claims written before numbers
 *   lived in them (read only for such claims, never written any more);
 * - SEQ#<name> / SEQ: atomic counters (numeroASP per couloir, impId);
 * - AVANCE#<numeroASP> / AVANCE: the accepted avances' facts, for the solde checks, written in
 *   batches; AVANCE#<numeroASP> / STATUT: the status operators set (it overrides the facts' own).
 * Every decision of uniqueness is a conditional write at the moment of the decision, never a read
 * then a write; every batch read retries what DynamoDB leaves unprocessed; every query paginates.
 */

/** A submission's place in the operators' day index: the Paris day of its first arrival, then SIRET and time. */
function dayIndexKeys(at: string, siret: string, id: string): { ':day': string; ':daySort': string } {
  return { ':day': dayIndexPartition(new Date(at)), ':daySort': `${siret}#${at}#${id}` };
}
const BATCH_ATTEMPTS = 10;

/** Conditional writes in flight at once for one judgement: 200 lines in a few rounds, within a table's burst. */
const CLAIMS_IN_FLIGHT = 50;
const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));

export class DynamoStateStore implements StateStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string = TABLE.name,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

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
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
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
      await this.doc
        .send(
          new UpdateCommand({
            TableName: this.tableName,
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
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
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
      const stored = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk, sk: `ZIP#${arrival.name}` },
          ConsistentRead: true,
        }),
      );
      // Half-recorded (its submission's update failed): finish it. Fully recorded: a duplicate.
      return stored.Item?.order === arrival.order && stored.Item?.recorded !== true;
    }
  }

  /**
   * Why a JSON was not taken: the same event again or an older one, or a new upload (same bytes or
   * not) after a judgement, which is refused.
   */
  private jsonEffect(current: SubmissionRecord, arrival: Arrival): ArrivalOutcome['effect'] {
    const newer = current.jsonOrder === undefined || current.jsonOrder < arrival.order;
    return newer && current.judgedEtag !== undefined ? 'replaced-after-judgement' : 'unchanged';
  }

  async getSubmission(id: string): Promise<SubmissionRecord | undefined> {
    return submissionOfItems(await queryPartition(this.doc, this.tableName, `SUB#${id}`));
  }

  async markNotified(id: string, at: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
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
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `SUB#${id}`, sk: 'META' },
        UpdateExpression: reason === undefined ? 'REMOVE #reason' : 'SET #reason = :reason',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#reason': 'waitingReason' },
        ...(reason === undefined ? {} : { ExpressionAttributeValues: { ':reason': reason } }),
      }),
    );
  }

  async listWaiting(before: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
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

  async claimJudgement(id: string, fingerprint: string, now: Date, leaseSeconds: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `SUB#${id}`,
            sk: `JUDGEMENT#${fingerprint}`,
            status: 'claimed',
            expiresAt: now.getTime() + leaseSeconds * 1000,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND #expires < :now)',
          ExpressionAttributeNames: { '#status': 'status', '#expires': 'expiresAt' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.getTime() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseJudgement(id: string, fingerprint: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
      }),
    );
  }

  async lockOutputs(id: string, owner: string, now: Date, leaseSeconds: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          UpdateExpression: 'SET #writer = :owner, #writerUntil = :until',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#writer) OR #writer = :owner OR #writerUntil < :now)',
          ExpressionAttributeNames: { '#writer': 'writer', '#writerUntil': 'writerUntil' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': now.getTime() + leaseSeconds * 1000,
            ':now': now.getTime(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async unlockOutputs(id: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          UpdateExpression: 'REMOVE #writer, #writerUntil',
          ConditionExpression: '#writer = :owner',
          ExpressionAttributeNames: { '#writer': 'writer', '#writerUntil': 'writerUntil' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      // Our lease ran out and another writer took it: it is theirs to release.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async completeJudgement(id: string, fingerprint: string, done: JudgementDone): Promise<boolean> {
    const recorded = [
      ...(done.judgedEtag ? ['#judgedEtag = :etag'] : []),
      ...(done.content ? ['#content = :content'] : []),
      ...(done.missingDocuments ? ['#missing = :missing'] : []),
      ...(done.impId ? ['#impId = :impId'] : []),
    ];
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
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
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
          UpdateExpression: 'SET #status = :done',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done' },
        }),
      )
      .catch(() => undefined);
    return true;
  }

  async registryOwners(registry: string, keys: readonly string[]): Promise<Map<string, ClaimOwner>> {
    const items = await this.batchGet([...new Set(keys)].map((sk) => ({ pk: registry, sk })));
    return new Map(items.map((item) => [item.sk as string, ownerOf(item)]));
  }

  async registryAll(registry: string): Promise<Map<string, ClaimOwner>> {
    const items = await this.queryAll({ pk: registry });
    return new Map(items.map((item) => [item.sk as string, ownerOf(item)]));
  }

  async claim(
    registry: string,
    keys: readonly string[],
    owner: ClaimOwner,
  ): Promise<Map<string, ClaimOwner>> {
    const lost = new Map<string, ClaimOwner>();
    await inBatches([...new Set(keys)], 16, async (key) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: registry, sk: key, submissionId: owner.submissionId, fileName: owner.fileName },
            ConditionExpression: 'attribute_not_exists(pk) OR #submission = :me',
            ExpressionAttributeNames: { '#submission': 'submissionId' },
            ExpressionAttributeValues: { ':me': owner.submissionId },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const holder = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: { pk: registry, sk: key }, ConsistentRead: true }),
        );
        if (holder.Item) lost.set(key, ownerOf(holder.Item));
      }
    });
    return lost;
  }

  async release(registry: string, keys: readonly string[], owner: ClaimOwner): Promise<void> {
    await inBatches([...new Set(keys)], 16, async (key) => {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: registry, sk: key },
            ConditionExpression: '#submission = :me',
            ExpressionAttributeNames: { '#submission': 'submissionId' },
            ExpressionAttributeValues: { ':me': owner.submissionId },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  /**
   * One conditional UpdateItem per line: the claim (absent, or already this submission's) and, for
   * an accepted line, `numeroASP = if_not_exists(numeroASP, :new)`, so that a number once given
   * stays and a concurrent judgement of the same submission cannot give a second one. The new
   * numbers come from one increment of the sequence, only for the accepted lines that have none
   * (`known`): a number a race leaves unused is never given to anyone.
   */
  async claimAvanceLines(
    scope: EditeurScope,
    couloir: string,
    lines: readonly AvanceLineClaim[],
    owner: ClaimOwner,
    known: ReadonlyMap<string, string> = new Map(),
  ): Promise<AvanceLineClaims> {
    const registry = `EDITEUR#${scope.siret}#${scope.numeroAns}#${scope.type}`;
    const unique = [...new Map(lines.map((line) => [line.numeroEditeur, line])).values()];
    const needing = unique.filter((line) => line.accepted && !known.has(line.numeroEditeur));
    const last = needing.length > 0 ? await this.next(`ASP#${couloir}`, needing.length) : 0;
    const fresh = new Map(
      needing.map((line, index) => [
        line.numeroEditeur,
        `FIN${couloir}${String(last - needing.length + 1 + index).padStart(6, '0')}`,
      ]),
    );
    const lost = new Map<string, ClaimOwner>();
    const numerosAsp = new Map<string, string>();
    const givenNow = new Set<string>();
    await inBatches(unique, CLAIMS_IN_FLIGHT, async (line) => {
      const numeroASP = line.accepted
        ? (known.get(line.numeroEditeur) ?? fresh.get(line.numeroEditeur))
        : undefined;
      try {
        const result = await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: registry, sk: line.numeroEditeur },
            UpdateExpression: `SET #submission = :me, #file = :file, #line = :line${numeroASP ? ', #asp = if_not_exists(#asp, :asp)' : ''}`,
            ConditionExpression: 'attribute_not_exists(pk) OR #submission = :me',
            ExpressionAttributeNames: {
              '#submission': 'submissionId',
              '#file': 'fileName',
              '#line': 'line',
              ...(numeroASP ? { '#asp': 'numeroASP' } : {}),
            },
            ExpressionAttributeValues: {
              ':me': owner.submissionId,
              ':file': owner.fileName,
              ':line': 2,
              ...(numeroASP ? { ':asp': numeroASP } : {}),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const given = result.Attributes?.numeroASP;
        if (line.accepted && typeof given === 'string') numerosAsp.set(line.numeroEditeur, given);
        if (typeof given === 'string' && given === fresh.get(line.numeroEditeur))
          givenNow.add(line.numeroEditeur);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const holder = await this.doc.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: registry, sk: line.numeroEditeur },
            ConsistentRead: true,
          }),
        );
        if (holder.Item) lost.set(line.numeroEditeur, ownerOf(holder.Item));
      }
    });
    return { lost, numerosAsp, givenNow };
  }

  async legacyNumerosAsp(
    scope: EditeurScope,
    numerosEditeur: readonly string[],
  ): Promise<Map<string, string>> {
    const pk = `ASPNUM#${scope.siret}#${scope.numeroAns}`;
    const items = await this.batchGet([...new Set(numerosEditeur)].map((sk) => ({ pk, sk })));
    return new Map(items.map((item) => [item.sk as string, item.numeroASP as string]));
  }

  async nextImpId(): Promise<string> {
    return `IMP${String(await this.next('IMPID')).padStart(9, '0')}`;
  }

  /** Each avance only if absent (a re-judgement): a status already there, in the item or apart, stays. */
  async recordAvances(avances: readonly Avance[]): Promise<void> {
    await inBatches(avances, 16, async (avance) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: `AVANCE#${avance.numeroASP}`, sk: 'AVANCE', ...avance },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  /**
   * Avances this judgement numbered, 25 items per BatchWriteItem (unprocessed ones retried): no
   * operator can have set their status yet (marquer-avance needs the avance to exist).
   */
  async recordNewAvances(avances: readonly Avance[]): Promise<void> {
    const items = avances.map(({ statut: _statut, ...facts }) => ({
      PutRequest: { Item: { pk: `AVANCE#${facts.numeroASP}`, sk: 'AVANCE', ...facts, statut: 'ACCEPTEE' } },
    }));
    for (let start = 0; start < items.length; start += 25) {
      let pending: Array<Record<string, unknown>> = items.slice(start, start + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= BATCH_ATTEMPTS)
          throw new Error(`${pending.length} écriture(s) non traitée(s) par DynamoDB`);
        if (attempt > 0) await pause(attempt);
        const result = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as Array<Record<string, unknown>>;
      }
    }
  }

  /** Each avance's facts with the status an operator set, if any. */
  async findAvances(numerosASP: readonly string[]): Promise<Avance[]> {
    const unique = [...new Set(numerosASP)];
    const keys = unique.flatMap((numeroASP) => [
      { pk: `AVANCE#${numeroASP}`, sk: 'AVANCE' },
      { pk: `AVANCE#${numeroASP}`, sk: 'STATUT' },
    ]);
    const items = await this.batchGet(keys);
    const statuses = new Map(
      items
        .filter((item) => item.sk === 'STATUT')
        .map((item) => [item.pk as string, item.statut as AvanceStatut]),
    );
    return items
      .filter((item) => item.sk === 'AVANCE')
      .map(({ pk, sk: _sk, ...avance }) => ({
        ...(avance as unknown as Avance),
        statut: statuses.get(pk as string) ?? (avance.statut as AvanceStatut),
      }));
  }

  /** An operator's decision, kept apart from the facts a judgement writes: false for an unknown avance. */
  async setAvanceStatus(numeroASP: string, statut: AvanceStatut): Promise<boolean> {
    const facts = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `AVANCE#${numeroASP}`, sk: 'AVANCE' },
        ConsistentRead: true,
      }),
    );
    if (!facts.Item) return false;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `AVANCE#${numeroASP}`, sk: 'STATUT', statut },
      }),
    );
    return true;
  }

  /**
   * BatchGetItem by 100 (consistent reads), retrying with backoff the keys DynamoDB leaves
   * unprocessed (throttling): under throttling, a missed avance would reject a solde for good.
   */
  private async batchGet(
    keys: ReadonlyArray<{ pk: string; sk: string }>,
  ): Promise<Array<Record<string, unknown>>> {
    const found: Array<Record<string, unknown>> = [];
    for (let start = 0; start < keys.length; start += 100) {
      let pending: Array<Record<string, unknown>> = keys.slice(start, start + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= BATCH_ATTEMPTS)
          throw new Error(`${pending.length} lecture(s) non traitée(s) par DynamoDB`);
        if (attempt > 0) await pause(attempt);
        const result = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
    }
    return found;
  }

  /** Adds `count` to a counter and returns its new value: the numbers (value - count, value] are ours. */
  private async next(name: string, count = 1): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `SEQ#${name}`, sk: 'SEQ' },
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  }

  private async queryAll(key: { pk: string }): Promise<Array<Record<string, unknown>>> {
    return queryPartition(this.doc, this.tableName, key.pk);
  }
}

function ownerOf(item: Record<string, unknown>): ClaimOwner {
  return {
    submissionId: String(item.submissionId ?? ''),
    fileName: String(item.fileName ?? item.submissionId ?? ''),
    ...(typeof item.numeroASP === 'string' ? { numeroASP: item.numeroASP } : {}),
    ...(item.line === undefined && String(item.pk ?? '').startsWith('EDITEUR#') ? { legacy: true } : {}),
  };
}

/** Runs `work` on every item, `width` at a time. */
async function inBatches<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map(work));
  }
}
