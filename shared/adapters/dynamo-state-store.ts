import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../config/resources';
import type { Avance, AvanceStatut } from '../domain/referentiel';
import type { Arrival, EditeurScope, StateStore, StoredObjectRef, SubmissionRecord } from '../pipeline/ports';

/**
 * The pipeline's state in one DynamoDB table (pk/sk):
 * - SUB#<id> / META: the submission (its JSON, status, first arrival; in the `pending` index while waiting);
 * - SUB#<id> / ZIP#<name>: each zip that arrived;
 * - SUB#<id> / JUDGEMENT#<fingerprint>: the claim on one judgement of one content (a lease);
 * - EDITEUR#<siret>#<numeroAns>#<type> / <numeroEditeur>: numbers used, by which submission;
 * - ASPNUM#<siret>#<numeroAns> / <numeroEditeur>: the numeroASP given to a request, for ever the same;
 * - SEQ#<name> / SEQ: atomic counters (numeroASP per couloir, impId);
 * - AVANCE#<numeroASP> / AVANCE: the accepted avances, for the solde checks.
 */
const WAITING = 'WAITING';

function editeurKey(scope: EditeurScope): string {
  return `EDITEUR#${scope.siret}#${scope.numeroAns}#${scope.type}`;
}

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
   * event's order): a duplicate event or an identical re-upload leaves a judged submission judged,
   * and an event older than the recorded one never replaces its reference (S3 does not order events).
   */
  async recordArrival(arrival: Arrival): Promise<SubmissionRecord> {
    const pk = `SUB#${arrival.submissionId}`;
    const newer = 'attribute_not_exists(#order) OR #order < :order';
    try {
      if (arrival.kind === 'zip') {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk,
              sk: `ZIP#${arrival.name}`,
              name: arrival.name,
              ref: arrival.object,
              order: arrival.order,
            },
            ConditionExpression: newer,
            ExpressionAttributeNames: { '#order': 'order' },
            ExpressionAttributeValues: { ':order': arrival.order },
          }),
        );
      }
      const json = arrival.kind === 'json';
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk: 'META' },
          // Every name aliased: id, base, status, type… are DynamoDB reserved words.
          UpdateExpression: `SET #id = :id, #siret = :siret, #type = :type, #base = :base, #status = :waiting, #gsi1pk = :waiting,
          #first = if_not_exists(#first, :at), #gsi1sk = if_not_exists(#first, :at)${json ? ', #json = :json, #order = :order' : ''}`,
          ...(json ? { ConditionExpression: newer } : {}),
          ExpressionAttributeNames: {
            '#id': 'id',
            '#siret': 'siret',
            '#type': 'type',
            '#base': 'base',
            '#status': 'status',
            '#gsi1pk': 'gsi1pk',
            '#gsi1sk': 'gsi1sk',
            '#first': 'firstArrivalAt',
            ...(json ? { '#json': 'json', '#order': 'jsonOrder' } : {}),
          },
          ExpressionAttributeValues: {
            ':id': arrival.submissionId,
            ':siret': arrival.siret,
            ':type': arrival.type,
            ':base': arrival.base,
            ':waiting': WAITING,
            ':at': arrival.at,
            ...(json ? { ':json': arrival.object, ':order': arrival.order } : {}),
          },
        }),
      );
    } catch (error) {
      // The same object again, or an older one: the submission stays as it is.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.getSubmission(arrival.submissionId);
      if (current) return current;
      throw error;
    }
    return (await this.getSubmission(arrival.submissionId)) as SubmissionRecord;
  }

  async getSubmission(id: string): Promise<SubmissionRecord | undefined> {
    const items = await this.queryAll({ pk: `SUB#${id}` });
    const meta = items.find((item) => item.sk === 'META');
    if (!meta) return undefined;
    const zips: Record<string, StoredObjectRef> = {};
    for (const item of items)
      if (String(item.sk).startsWith('ZIP#')) zips[item.name as string] = item.ref as StoredObjectRef;
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
    };
  }

  async listWaiting(before: string): Promise<string[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.pendingIndex.name,
        KeyConditionExpression: '#gsi1pk = :waiting AND #gsi1sk < :before',
        ExpressionAttributeNames: { '#gsi1pk': 'gsi1pk', '#gsi1sk': 'gsi1sk' },
        ExpressionAttributeValues: { ':waiting': WAITING, ':before': before },
      }),
    );
    return (result.Items ?? []).map((item) => item.id as string);
  }

  async listSubmissions(): Promise<SubmissionRecord[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :meta',
          ExpressionAttributeValues: { ':meta': 'META' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(item.id as string);
      start = page.LastEvaluatedKey;
    } while (start);
    const records = await Promise.all(ids.map((id) => this.getSubmission(id)));
    return records.filter((record): record is SubmissionRecord => record !== undefined);
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
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async completeJudgement(id: string, fingerprint: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
        UpdateExpression: 'SET #status = :done',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `SUB#${id}`, sk: 'META' },
        UpdateExpression: 'SET #judged = :fingerprint, #status = :judged REMOVE #gsi1pk',
        ExpressionAttributeNames: {
          '#judged': 'judgedFingerprint',
          '#status': 'status',
          '#gsi1pk': 'gsi1pk',
        },
        ExpressionAttributeValues: { ':fingerprint': fingerprint, ':judged': 'JUDGED' },
      }),
    );
  }

  async releaseJudgement(id: string, fingerprint: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
      }),
    );
  }

  async usedNumerosEditeur(scope: EditeurScope): Promise<Map<string, string>> {
    const items = await this.queryAll({ pk: editeurKey(scope) });
    return new Map(items.map((item) => [item.sk as string, item.submissionId as string]));
  }

  /**
   * Records the numbers a submission used. The judge already refused those another submission
   * holds (usedNumerosEditeur), so plain batch writes of 25 suffice; a number already recorded for
   * another submission is left to it.
   */
  async markNumerosEditeur(
    scope: EditeurScope,
    numeros: readonly string[],
    submissionId: string,
  ): Promise<void> {
    const owners = await this.usedNumerosEditeur(scope);
    const items = [...new Set(numeros)]
      .filter((numero) => owners.get(numero) === undefined)
      .map((numero) => ({ pk: editeurKey(scope), sk: numero, submissionId }));
    await this.batchPut(items);
  }

  /**
   * The numeroASP of each request, the same every time it is asked again: existing ones in one
   * BatchGet, the missing ones from one atomic increment of the couloir's sequence (numbers are
   * never given twice), each written under a condition so that a concurrent judgement's number wins.
   */
  async numerosAspFor(
    scope: EditeurScope,
    numerosEditeur: readonly string[],
    couloir: string,
  ): Promise<Map<string, string>> {
    const pk = `ASPNUM#${scope.siret}#${scope.numeroAns}`;
    const unique = [...new Set(numerosEditeur)];
    const given = new Map<string, string>();
    for (let start = 0; start < unique.length; start += 100) {
      const keys = unique.slice(start, start + 100).map((sk) => ({ pk, sk }));
      const result = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? [])
        given.set(item.sk as string, item.numeroASP as string);
    }
    const missing = unique.filter((numero) => !given.has(numero));
    if (missing.length === 0) return given;
    const last = await this.next(`ASP#${couloir}`, missing.length);
    await Promise.all(
      missing.map(async (numero, index) => {
        const numeroASP = `FIN${couloir}${String(last - missing.length + 1 + index).padStart(6, '0')}`;
        try {
          await this.doc.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { pk, sk: numero, numeroASP },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          given.set(numero, numeroASP);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          // A concurrent judgement of the same request won: its number stands (ours is never reused).
          const winner = await this.doc.send(
            new GetCommand({ TableName: this.tableName, Key: { pk, sk: numero }, ConsistentRead: true }),
          );
          given.set(numero, winner.Item?.numeroASP as string);
        }
      }),
    );
    return given;
  }

  async nextImpId(): Promise<string> {
    return `IMP${String(await this.next('IMPID')).padStart(9, '0')}`;
  }

  /** New avances only: a re-judgement must not reset a status an operator set (PAYEE…). */
  async recordAvances(avances: readonly Avance[]): Promise<void> {
    const known = new Set(
      (await this.findAvances(avances.map((avance) => avance.numeroASP))).map((avance) => avance.numeroASP),
    );
    await this.batchPut(
      avances
        .filter((avance) => !known.has(avance.numeroASP))
        .map((avance) => ({ pk: `AVANCE#${avance.numeroASP}`, sk: 'AVANCE', ...avance })),
    );
  }

  /** BatchWriteItem by 25, retrying what DynamoDB leaves unprocessed (throttling). */
  private async batchPut(items: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const chunks: Array<Array<Record<string, unknown>>> = [];
    for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
    await Promise.all(
      chunks.map(async (chunk) => {
        let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 5) throw new Error(`${requests.length} écriture(s) non traitée(s) par DynamoDB`);
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
          const result = await this.doc.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
          );
          requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        }
      }),
    );
  }

  async findAvances(numerosASP: readonly string[]): Promise<Avance[]> {
    const unique = [...new Set(numerosASP)];
    const found: Avance[] = [];
    for (let start = 0; start < unique.length; start += 100) {
      const keys = unique
        .slice(start, start + 100)
        .map((numeroASP) => ({ pk: `AVANCE#${numeroASP}`, sk: 'AVANCE' }));
      const result = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const { pk: _pk, sk: _sk, ...avance } = item;
        found.push(avance as Avance);
      }
    }
    return found;
  }

  async setAvanceStatus(numeroASP: string, statut: AvanceStatut): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `AVANCE#${numeroASP}`, sk: 'AVANCE' },
          UpdateExpression: 'SET #statut = :statut',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#statut': 'statut' },
          ExpressionAttributeValues: { ':statut': statut },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': key.pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
