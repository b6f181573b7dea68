import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AvanceFacts,
  AvanceLineClaim,
  AvanceLineClaims,
  ClaimOwner,
  EditeurScope,
  Registry,
} from '../../pipeline/ports';
import { inBatches, isConditionFailure, type StateTable } from './state-table';

/** DynamoDB's most items in one TransactWriteItems. */
const TRANSACTION_ITEMS = 100;
/** Rounds of a chunk of claims (each one removes the lines lost, or waits out a conflict) before giving up. */
const CLAIM_ROUNDS = 10;

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
   * The lines' claims in transactions of up to 100 (TransactWriteItems: 200 lines, 2 requests),
   * each item conditional on its own: the claim is absent or already this submission's, and an
   * accepted line's numeroASP is absent or the one we expect (`known`, or a new number from one
   * increment of the sequence for the lines that have none). A transaction is all or nothing: when
   * conditions fail, DynamoDB names the items and, with ALL_OLD, gives their holder; the lines held
   * by another submission leave (lost: the file is judged again with the winner known), a line this
   * submission numbered meanwhile (a concurrent judgement of it) takes that number, and the rest is
   * sent again. A number a race leaves unused is never given to anyone.
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
    const expected = new Map<string, string>();
    for (const line of unique) {
      const numeroASP = known.get(line.numeroEditeur) ?? fresh.get(line.numeroEditeur);
      if (line.accepted && numeroASP) expected.set(line.numeroEditeur, numeroASP);
    }
    const lost = new Map<string, ClaimOwner>();
    // An accepted line with its avance's facts is two items (its claim, its avance), the others one.
    const chunks: AvanceLineClaim[][] = [[]];
    let itemsInChunk = 0;
    for (const line of unique) {
      const items = line.accepted && line.avance ? 2 : 1;
      if (itemsInChunk + items > TRANSACTION_ITEMS) {
        chunks.push([]);
        itemsInChunk = 0;
      }
      chunks[chunks.length - 1]?.push(line);
      itemsInChunk += items;
    }
    await Promise.all(
      chunks.map(async (chunk) => {
        let pending = chunk;
        // Lines lost or renumbered are known at once, and sent again without them at once (a
        // conflict with another transaction waits inside StateTable.transact).
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt >= CLAIM_ROUNDS)
            throw new Error(`${pending.length} ligne(s) non réservée(s) après ${CLAIM_ROUNDS} essais`);
          const refused = await this.writeLineClaims(registry, pending, owner, expected);
          if (!refused) return;
          pending = pending.filter((line, index) => {
            const holderItem = refused[index]?.holder;
            if (!holderItem) return true;
            const holder = ownerOf(holderItem);
            if (holder.submissionId !== owner.submissionId) {
              lost.set(line.numeroEditeur, holder);
              return false;
            }
            // Numbered meanwhile by another judgement of this submission: that number stays.
            if (line.accepted && holder.numeroASP) expected.set(line.numeroEditeur, holder.numeroASP);
            return true;
          });
        }
      }),
    );
    const numerosAsp = new Map(
      unique.flatMap((line) => {
        const numeroASP = expected.get(line.numeroEditeur);
        return line.accepted && numeroASP && !lost.has(line.numeroEditeur)
          ? [[line.numeroEditeur, numeroASP] as const]
          : [];
      }),
    );
    const givenNow = new Set(
      [...numerosAsp]
        .filter(([numero, numeroASP]) => fresh.get(numero) === numeroASP)
        .map(([numero]) => numero),
    );
    return { lost, numerosAsp, givenNow };
  }

  /**
   * One TransactWriteItems of line claims, each accepted line's avance with it. Undefined when it
   * was applied; otherwise, for each line, the holder of its claim when that claim's condition
   * failed (none for the lines that were not the cause).
   */
  private async writeLineClaims(
    registry: string,
    lines: readonly AvanceLineClaim[],
    owner: ClaimOwner,
    expected: ReadonlyMap<string, string>,
  ): Promise<Array<{ holder?: Record<string, unknown> }> | undefined> {
    // Each line's claim, then its avance when it has a number and facts; where each claim sits,
    // to read its own cancellation reason.
    const items: Array<{ Update: ReturnType<DynamoRegistry['lineClaim' | 'avanceRecord']> }> = [];
    const claimAt = lines.map((line) => {
      const numeroASP = line.accepted ? expected.get(line.numeroEditeur) : undefined;
      const at = items.length;
      items.push({ Update: this.lineClaim(registry, line, owner, numeroASP) });
      if (numeroASP && line.avance) items.push({ Update: this.avanceRecord(numeroASP, line.avance) });
      return at;
    });
    const reasons = await this.table.transact(items);
    if (!reasons) return undefined;
    return claimAt.map((at) => {
      const reason = reasons[at];
      return reason?.Code === 'ConditionalCheckFailed' && reason.Item
        ? { holder: plainStrings(reason.Item) }
        : {};
    });
  }

  /** A line's claim: absent, or ours without a number, or ours with this number (`numeroASP`). */
  private lineClaim(registry: string, line: AvanceLineClaim, owner: ClaimOwner, numeroASP?: string) {
    return {
      TableName: this.table.name,
      Key: { pk: registry, sk: line.numeroEditeur },
      UpdateExpression: `SET #submission = :me, #file = :file, #line = :line${numeroASP ? ', #asp = :asp' : ''}`,
      // AND binds before OR (DynamoDB's precedence). Written without parentheses: the embedded
      // DynamoDB's parser takes 3 ms for the nested form, against 0.3 ms (measured), per line.
      ConditionExpression: numeroASP
        ? 'attribute_not_exists(pk) OR #submission = :me AND attribute_not_exists(#asp) OR #submission = :me AND #asp = :asp'
        : 'attribute_not_exists(pk) OR #submission = :me',
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
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
  }

  /**
   * The avance an accepted line is (AVANCE#<numeroASP> / AVANCE): its facts, written again as they
   * are by a re-judgement; its status ACCEPTEE unless it has one (a state kept from before statuses
   * lived apart: an operator's PAYEE stays). No condition: the line's claim decides.
   */
  private avanceRecord(numeroASP: string, facts: AvanceFacts) {
    return {
      TableName: this.table.name,
      Key: { pk: `AVANCE#${numeroASP}`, sk: 'AVANCE' },
      UpdateExpression:
        'SET #asp = :asp, #ans = :ans, #numero = :numero, #amount = :amount, #beneficiaries = :beneficiaries, #statut = if_not_exists(#statut, :accepted)',
      ExpressionAttributeNames: {
        '#asp': 'numeroASP',
        '#ans': 'numeroAns',
        '#numero': 'numeroEditeur',
        '#amount': 'montantSegurHT',
        '#beneficiaries': 'beneficiaires',
        '#statut': 'statut',
      },
      ExpressionAttributeValues: {
        ':asp': numeroASP,
        ':ans': facts.numeroAns,
        ':numero': facts.numeroEditeur,
        ':amount': facts.montantSegurHT,
        ':beneficiaries': [...facts.beneficiaires],
        ':accepted': 'ACCEPTEE',
      },
    };
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

/** The string attributes of an item as DynamoDB sends it (a cancellation reason's Item is not unmarshalled). */
function plainStrings(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).flatMap(
      ([name, value]): Array<[string, unknown]> =>
        value.S !== undefined ? [[name, value.S]] : value.N !== undefined ? [[name, Number(value.N)]] : [],
    ),
  );
}

function ownerOf(item: Record<string, unknown>): ClaimOwner {
  return {
    submissionId: String(item.submissionId ?? ''),
    fileName: String(item.fileName ?? item.submissionId ?? ''),
    ...(typeof item.numeroASP === 'string' ? { numeroASP: item.numeroASP } : {}),
    ...(item.line === undefined && String(item.pk ?? '').startsWith('EDITEUR#') ? { legacy: true } : {}),
  };
}
