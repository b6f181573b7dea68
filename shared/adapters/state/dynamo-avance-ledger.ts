import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Avance, AvanceStatut } from '../../domain/referentiel';
import type { AvanceLedger } from '../../pipeline/ports';
import { BATCH_ATTEMPTS, inBatches, isConditionFailure, pause, type StateTable } from './state-table';

/**
 * The accepted avances (AVANCE#<numeroASP> / AVANCE: their facts, for the solde checks) and the
 * status operators set (AVANCE#<numeroASP> / STATUT, which overrides the facts' own).
 */
export class DynamoAvanceLedger implements AvanceLedger {
  constructor(private readonly table: StateTable) {}

  /** Each avance only if absent (a re-judgement): a status already there, in the item or apart, stays. */
  async recordAvances(avances: readonly Avance[]): Promise<void> {
    await inBatches(avances, 16, async (avance) => {
      try {
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.name,
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
        const result = await this.table.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.table.name]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[this.table.name] ?? []) as Array<Record<string, unknown>>;
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
    const items = await this.table.batchGet(keys);
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
    const facts = await this.table.doc.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: `AVANCE#${numeroASP}`, sk: 'AVANCE' },
        ConsistentRead: true,
      }),
    );
    if (!facts.Item) return false;
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { pk: `AVANCE#${numeroASP}`, sk: 'STATUT', statut },
      }),
    );
    return true;
  }
}
