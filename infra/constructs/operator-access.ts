import { Duration, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AccountPrincipal, type Group, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { OPERATORS, PREFIXES, TABLE, VENDORS } from '../../shared/config/resources';
import { acknowledge, findingFor } from '../compliance';
import type { QueueWithDlq } from './queue-with-dlq';

export interface OperatorAccessProps {
  readonly inputBucket: Bucket;
  readonly table: TableV2;
  readonly queues: Record<string, QueueWithDlq>;
  readonly vendorsTopic: Topic;
  readonly vendorsGroup: Group;
}

/**
 * The operators' role (`--role-arn` of their commands): exactly what those commands do, nothing
 * more. publier-referentiel writes the référentiel; lister-soumissions and montrer-soumission
 * query the day index and submissions' partitions; marquer-avance reads an avance and writes its
 * status; rejouer asks the judge; rejouer-dlq moves dead letters back; inscrire-fournisseur
 * creates vendors' users under their path and subscribes their emails. No console right, no read of
 * the deposits' content, no deletion. Assumed by the account's principals its identity policies
 * allow (the agency grants sts:AssumeRole to its operators' group).
 */
export class OperatorAccess extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new Role(this, 'Role', {
      roleName: OPERATORS.roleName,
      description: 'Opérateurs Ségur : référentiel, suivi des dépôts, rejeux, lettres mortes, inscriptions',
      maxSessionDuration: Duration.hours(OPERATORS.sessionHours),
      assumedBy: new AccountPrincipal(stack.account),
    });
    const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(
        new PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) }),
      );

    allow(['s3:PutObject'], [props.inputBucket.arnForObjects(PREFIXES.referentiel)]);
    // Submissions' partitions (SUB#…) and the avances (AVANCE#…) only: never the registry's claims.
    allow(['dynamodb:Query'], [props.table.tableArn], {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] },
    });
    allow(['dynamodb:Query'], [`${props.table.tableArn}/index/${TABLE.dayIndex.name}`]);
    allow(['dynamodb:GetItem', 'dynamodb:PutItem'], [props.table.tableArn], {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AVANCE#*'] },
    });
    const queues = Object.values(props.queues);
    allow(
      ['sqs:GetQueueUrl'],
      queues.flatMap(({ queue, deadLetterQueue }) => [queue.queueArn, deadLetterQueue.queueArn]),
    );
    allow(
      ['sqs:SendMessage'],
      queues.map(({ queue }) => queue.queueArn),
    );
    allow(
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      queues.map(({ deadLetterQueue }) => deadLetterQueue.queueArn),
    );
    const vendorUsers = `arn:${stack.partition}:iam::${stack.account}:user${VENDORS.userPath}*`;
    allow(['iam:GetUser', 'iam:CreateUser', 'iam:TagUser', 'iam:CreateAccessKey'], [vendorUsers]);
    acknowledge(
      this.role,
      findingFor(
        this,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user${VENDORS.userPath}*]`,
      ),
      'Les utilisateurs des fournisseurs sont créés à l’inscription, sous leur chemin : aucun autre utilisateur du compte',
    );
    allow(['iam:AddUserToGroup'], [props.vendorsGroup.groupArn]);
    allow(['sns:Subscribe'], [props.vendorsTopic.topicArn]);
  }
}
