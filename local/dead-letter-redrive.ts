import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { deadLetterQueueName, QUEUES } from '../shared/config/resources';
import { printable } from '../shared/domain/printable';
import { frenchDateTime } from '../shared/domain/reports';
import { decodeS3Key } from '../shared/pipeline/submission-key';

export type WorkQueueName = keyof typeof QUEUES;

/** One dead letter, as an operator reads it before deciding. */
export interface DeadLetter {
  readonly messageId: string;
  /** What the message was about, in French: the deposit, the submission to judge, the result to mail. */
  readonly subject: string;
  readonly receiveCount: number;
  readonly firstSentAt?: string;
}

/** How long a dry run hides the messages it reads before putting them back (it never keeps them). */
const DRY_RUN_VISIBILITY_SECONDS = 30;

/**
 * Moves a work queue's dead letters back to it, each sent again then deleted from the DLQ (a
 * failure between the two leaves a copy in the DLQ, never a message lost); the dry run reads them,
 * says what they are and leaves them where they were. Works on AWS and on the embedded SQS alike
 * (the native StartMessageMoveTask is AWS's alone).
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  queue: WorkQueueName,
  options: { dryRun: boolean; max: number },
): Promise<DeadLetter[]> {
  const urlOf = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  const deadLetterUrl = await urlOf(deadLetterQueueName(QUEUES[queue]));
  const workUrl = await urlOf(QUEUES[queue].name);
  const seen = new Map<string, DeadLetter>();
  const hidden: Message[] = [];
  try {
    while (seen.size < options.max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetterUrl,
          MaxNumberOfMessages: Math.min(10, options.max - seen.size),
          WaitTimeSeconds: 1,
          VisibilityTimeout: DRY_RUN_VISIBILITY_SECONDS,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = Messages.filter((message) => message.MessageId && !seen.has(message.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.set(message.MessageId as string, describe(queue, message));
        if (options.dryRun) {
          hidden.push(message);
          continue;
        }
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: workUrl,
            MessageBody: message.Body ?? '',
            ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
          }),
        );
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  } finally {
    // The dry run gives back at once what it read: an alarm or a real redrive finds them all.
    for (let start = 0; start < hidden.length; start += 10)
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: deadLetterUrl,
          Entries: hidden.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
  }
  return [...seen.values()];
}

function describe(queue: WorkQueueName, message: Message): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId as string,
    subject: subjectOf(queue, message.Body ?? ''),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) && sent > 0 ? { firstSentAt: new Date(sent).toISOString() } : {}),
  };
}

/** The message's subject from its body: each queue carries one kind (contracts §2). */
function subjectOf(queue: WorkQueueName, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `message illisible (${Buffer.byteLength(body)} octets)`;
  }
  const value = parsed as {
    Records?: Array<{ s3?: { object?: { key?: string } } }>;
    submissionId?: string;
    reason?: string;
    outcome?: string;
  };
  if (queue === 'intake' && Array.isArray(value.Records))
    return `dépôt ${value.Records.map((record) => printable(decodedKey(record.s3?.object?.key ?? '?'), 200)).join(', ')}`;
  if (queue === 'judge' && typeof value.submissionId === 'string')
    return `jugement de ${printable(value.submissionId, 200)} (${printable(String(value.reason ?? '?'), 30)})`;
  if (queue === 'results' && typeof value.submissionId === 'string')
    return `courriel du résultat de ${printable(value.submissionId, 200)} (${printable(String(value.outcome ?? '?'), 30)})`;
  return `message inattendu (${Buffer.byteLength(body)} octets)`;
}

/** An S3 event's key as the vendor wrote it; one that does not decode is shown as it came. */
function decodedKey(key: string): string {
  try {
    return decodeS3Key(key);
  } catch {
    return key;
  }
}

/** The French lines a person reads. */
export function deadLetterText(
  letters: readonly DeadLetter[],
  queue: WorkQueueName,
  dryRun: boolean,
): string {
  const lines = letters.map(
    (letter) =>
      `  ${letter.subject} — reçu ${letter.receiveCount} fois${letter.firstSentAt ? `, envoyé le ${frenchDateTime(letter.firstSentAt)}` : ''}`,
  );
  const head =
    letters.length === 0
      ? `aucun message dans la file de lettres mortes ${deadLetterQueueName(QUEUES[queue])}`
      : dryRun
        ? `${letters.length} message(s) dans ${deadLetterQueueName(QUEUES[queue])} (essai : rien n'a bougé ; sans --essai, ils retournent dans ${QUEUES[queue].name}) :`
        : `${letters.length} message(s) remis dans ${QUEUES[queue].name} :`;
  return `${[head, ...lines].join('\n')}\n`;
}
