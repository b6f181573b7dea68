import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { JudgementLeases } from '../../pipeline/ports';
import { isConditionFailure, type StateTable } from './state-table';

/**
 * Leases (SUB#<id> / JUDGEMENT#<fingerprint>, META's output lock): one judgement per content, one
 * writer of a submission's outputs at a time; a judge that died frees them when its lease runs out.
 */
export class DynamoJudgementLeases implements JudgementLeases {
  constructor(private readonly table: StateTable) {}

  async claimJudgement(id: string, fingerprint: string, now: Date, leaseSeconds: number): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
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
    await this.table.doc.send(
      new DeleteCommand({
        TableName: this.table.name,
        Key: { pk: `SUB#${id}`, sk: `JUDGEMENT#${fingerprint}` },
      }),
    );
  }
  async lockOutputs(
    id: string,
    owner: string,
    lease: { now: Date; seconds: number; version: number },
  ): Promise<'locked' | 'busy' | 'changed'> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          UpdateExpression: 'SET #writer = :owner, #writerUntil = :until',
          // AND binds before OR: the content judged, and the lock free, ours, or its lease over.
          ConditionExpression:
            '#version = :version AND (attribute_not_exists(#writer) OR #writer = :owner OR #writerUntil < :now)',
          ExpressionAttributeNames: {
            '#writer': 'writer',
            '#writerUntil': 'writerUntil',
            '#version': 'version',
          },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': lease.now.getTime() + lease.seconds * 1000,
            ':now': lease.now.getTime(),
            ':version': lease.version,
          },
        }),
      );
      return 'locked';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Which half failed: read only on this path (another judge writing, or newer content).
      const meta = await this.table.doc.send(
        new GetCommand({
          TableName: this.table.name,
          Key: { pk: `SUB#${id}`, sk: 'META' },
          ConsistentRead: true,
        }),
      );
      return meta.Item?.version === lease.version ? 'busy' : 'changed';
    }
  }
  async unlockOutputs(id: string, owner: string): Promise<void> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
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
}
