import { Alias } from 'aws-cdk-lib/aws-kms';
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

  constructor(scope: Construct, id: string, emails: readonly NotificationEmail[]) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: TOPIC.name,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
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
