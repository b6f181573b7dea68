import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OPERATORS_TOPIC, TOPIC } from '../../shared/config/resources';

export interface NotificationEmail {
  readonly email: string;
  /**
   * A vendor's address: its verdicts only (a filter policy on the `siret` message attribute). An
   * address without a SIRET is an operator's: the alarms and notices, never a vendor's verdict.
   */
  readonly siret?: string;
}

/**
 * Two topics under one customer-managed key: the vendors' (one French email per result, each
 * vendor's subscription filtered on its SIRET) and the operators' (alarms, the daily heartbeat).
 * An operator never receives the vendors' ~1,000 verdicts a month; a vendor never an alarm.
 */
export class Notifications extends Construct {
  /** The vendors' verdicts. */
  readonly topic: Topic;
  /** Alarms and operational notices. */
  readonly operatorsTopic: Topic;
  readonly key: Key;

  /** `deliveryFailures`: where SNS keeps an email it could not deliver (an alarm watches it). */
  constructor(scope: Construct, id: string, emails: readonly NotificationEmail[], deliveryFailures: Queue) {
    super(scope, id);
    // A customer-managed key: CloudWatch cannot publish to a topic under the AWS-managed
    // alias/aws/sns (its policy cannot be changed), so the alarms would never arrive.
    this.key = new Key(this, 'TopicKey', {
      description: 'Chiffrement des sujets SNS Ségur (courriels des fournisseurs, alarmes des opérateurs)',
      enableKeyRotation: true,
    });
    // CloudWatch publishes the alarms, EventBridge the daily heartbeat.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsAndHeartbeatPublish',
        principals: [
          new ServicePrincipal('cloudwatch.amazonaws.com'),
          new ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: TOPIC.name,
      displayName: 'Ségur numérique',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.operatorsTopic = new Topic(this, 'OperatorsTopic', {
      topicName: OPERATORS_TOPIC.name,
      displayName: 'Ségur exploitation',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const { email, siret } of emails) {
      if (siret)
        this.topic.addSubscription(
          new EmailSubscription(email, {
            filterPolicy: { [TOPIC.siretAttribute]: SubscriptionFilter.stringFilter({ allowlist: [siret] }) },
            deadLetterQueue: deliveryFailures,
          }),
        );
      else
        this.operatorsTopic.addSubscription(
          new EmailSubscription(email, { deadLetterQueue: deliveryFailures }),
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
