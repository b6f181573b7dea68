import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { RETENTION, retentionDays, TABLE } from '../../shared/config/resources';
import { acknowledge } from '../compliance';

/**
 * One table for the pipeline's state: submissions and their arrivals, the numeroASP sequences, the
 * numeroEditeur used per vendor, the accepted avances, and the judgements already made (idempotency).
 * It is the numbering registry, part of the record: it cannot be deleted by a stack change or a
 * console click (deletion protection, retained), point-in-time recovery covers the last 35 days, and
 * AWS Backup keeps a daily copy for the legal retention (a vault kept on stack deletion).
 */
export class State extends Construct {
  readonly table: TableV2;
  readonly backupPlan: BackupPlan;

  constructor(scope: Construct, id: string, retentionYears: number = RETENTION.defaultYears) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      tableName: TABLE.name,
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: TABLE.pendingIndex.name,
          partitionKey: { name: TABLE.pendingIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: TABLE.pendingIndex.sortKey, type: AttributeType.STRING },
        },
        {
          indexName: TABLE.dayIndex.name,
          partitionKey: { name: TABLE.dayIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: TABLE.dayIndex.sortKey, type: AttributeType.STRING },
        },
      ],
    });
    const vault = new BackupVault(this, 'BackupVault', {
      backupVaultName: `${TABLE.name}-sauvegardes`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new BackupPlan(this, 'BackupPlan', {
      backupPlanName: `${TABLE.name}-quotidienne`,
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'quotidienne-conservee-duree-legale',
          // 03:00 UTC, after the day's deposits.
          scheduleExpression: Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: Duration.days(retentionDays(retentionYears)),
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Registre', {
      resources: [BackupResource.fromArn(this.table.tableArn)],
    });
    acknowledge(
      selection,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'Le rôle de sauvegarde d’AWS Backup : sa politique gérée est celle qu’AWS tient à jour pour chaque service sauvegardé',
    );
  }
}
