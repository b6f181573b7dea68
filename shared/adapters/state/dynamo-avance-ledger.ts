import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Avance, AvanceStatut } from '../../domain/referentiel';
import type { AvanceLedger } from '../../pipeline/ports';
import type { StateTable } from './state-table';

/**
 * The accepted avances (AVANCE#<numeroASP> / AVANCE: their facts, for the solde checks, written
 * with their lines' claims by the registry) and the status operators set (AVANCE#<numeroASP> /
 * STATUT, which overrides the facts' own).
 */
export class DynamoAvanceLedger implements AvanceLedger {
  constructor(private readonly table: StateTable) {}

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
