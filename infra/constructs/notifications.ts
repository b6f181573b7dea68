import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { TOPIC } from '../../shared/config/resources';

export interface NotificationEmail {
  readonly email: string;
  /** Only this vendor's submissions (a filter policy on the `siret` message attribute). */
  readonly siret?: string;
}

/** The topic of the French emails (one per judgement) and of the alarms. */
export class Notifications extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, emails: readonly NotificationEmail[]) {
    super(scope, id);
    // A customer-managed key: CloudWatch cannot publish to a topic under the AWS-managed
    // alias/aws/sns (its policy cannot be changed), so the alarms would never arrive.
    this.key = new Key(this, 'TopicKey', {
      description: 'Chiffrement du sujet SNS des courriels et des alarmes Ségur',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: TOPIC.name,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const { email, siret } of emails) {
      this.topic.addSubscription(
        new EmailSubscription(email, {
          filterPolicy: siret
            ? { [TOPIC.siretAttribute]: SubscriptionFilter.stringFilter({ allowlist: [siret] }) }
            : undefined,
        }),
      );
    }
  }
}

/** Reads and checks the `notificationEmails` context: every error at once. */
export function parseNotificationEmails(value: unknown): NotificationEmail[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(list)) throw new Error('notificationEmails doit être une liste de { email, siret? }');
  const errors: string[] = [];
  list.forEach((entry, index) => {
    if (typeof entry?.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(entry.email))
      errors.push(`notificationEmails[${index}].email invalide`);
    if (entry?.siret !== undefined && !/^\d{14}$/.test(String(entry.siret)))
      errors.push(`notificationEmails[${index}].siret doit compter 14 chiffres`);
  });
  if (errors.length > 0) throw new Error(errors.join(' ; '));
  return list as NotificationEmail[];
}
