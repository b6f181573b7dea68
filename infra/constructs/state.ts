import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/config/resources';

/**
 * One table for the pipeline's state: submissions and their arrivals, the numeroASP sequences, the
 * numeroEditeur used per vendor, the accepted avances, and the judgements already made (idempotency).
 */
export class State extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      tableName: TABLE.name,
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: TABLE.pendingIndex.name,
          partitionKey: { name: TABLE.pendingIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: TABLE.pendingIndex.sortKey, type: AttributeType.STRING },
        },
      ],
    });
  }
}
