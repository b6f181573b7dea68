import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AvanceLineClaim,
  AvanceLineClaims,
  ClaimOwner,
  EditeurScope,
  Registry,
} from '../../pipeline/ports';
import { inBatches, isConditionFailure, type StateTable } from './state-table';

/** Conditional writes in flight at once for one judgement: 200 lines in a few rounds, within a table's burst. */
const CLAIMS_IN_FLIGHT = 50;

/**
 * The registry (<registry> / <key>): each key (a numeroEditeur of a software, an avance closed by a
 * solde, a FINESS paid) held by one submission, taken by a conditional write at the moment of the
 * decision, never a read then a write; an avance line's claim holds its numeroASP, so that a judged
 * line costs one write. Numbers come from the sequences (SEQ#<name>), never given twice.
 */
export class DynamoRegistry implements Registry {
  constructor(private readonly table: StateTable) {}

  async registryOwners(registry: string, keys: readonly string[]): Promise<Map<string, ClaimOwner>> {
    const items = await this.table.batchGet([...new Set(keys)].map((sk) => ({ pk: registry, sk })));
    return new Map(items.map((item) => [item.sk as string, ownerOf(item)]));
  }
  async registryAll(registry: string): Promise<Map<string, ClaimOwner>> {
    const items = await this.table.queryPartition(registry);
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
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.name,
            Item: { pk: registry, sk: key, submissionId: owner.submissionId, fileName: owner.fileName },
            ConditionExpression: 'attribute_not_exists(pk) OR #submission = :me',
            ExpressionAttributeNames: { '#submission': 'submissionId' },
            ExpressionAttributeValues: { ':me': owner.submissionId },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const holder = await this.table.doc.send(
          new GetCommand({
            TableName: this.table.name,
            Key: { pk: registry, sk: key },
            ConsistentRead: true,
          }),
        );
        if (holder.Item) lost.set(key, ownerOf(holder.Item));
      }
    });
    return lost;
  }
  async release(registry: string, keys: readonly string[], owner: ClaimOwner): Promise<void> {
    await inBatches([...new Set(keys)], 16, async (key) => {
      try {
        await this.table.doc.send(
          new DeleteCommand({
            TableName: this.table.name,
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
    const last = needing.length > 0 ? await this.table.next(`ASP#${couloir}`, needing.length) : 0;
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
        const result = await this.table.doc.send(
          new UpdateCommand({
            TableName: this.table.name,
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
        const holder = await this.table.doc.send(
          new GetCommand({
            TableName: this.table.name,
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
    const items = await this.table.batchGet([...new Set(numerosEditeur)].map((sk) => ({ pk, sk })));
    return new Map(items.map((item) => [item.sk as string, item.numeroASP as string]));
  }
  async nextImpId(): Promise<string> {
    return `IMP${String(await this.table.next('IMPID')).padStart(9, '0')}`;
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
