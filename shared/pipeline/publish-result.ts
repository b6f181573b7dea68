import type { Logger } from '../observability/logger';
import { notificationEmail } from './notification-email';
import { outcomeRecordOf } from './outcome-record';
import type { OutcomeJournal, OutputLinkSigner, ResultPublisher } from './ports';
import type { ResultMessage } from './result-message';

/** SNS counts attributes in its 256 KiB: an HTML larger than this is left out (the text has it all). */
const MAX_HTML_BYTES = 96 * 1024;

export interface PublishDeps {
  readonly publisher: ResultPublisher;
  readonly links: OutputLinkSigner;
  readonly journal: OutcomeJournal;
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * One result message → one French email, with expiring links to its returns when they can be
 * signed, then its record in the operators' journal.
 */
export async function publishResult(deps: PublishDeps, result: ResultMessage): Promise<void> {
  const email = notificationEmail(result, await linksFor(deps, result));
  const html = Buffer.byteLength(email.html) <= MAX_HTML_BYTES ? email.html : undefined;
  await deps.publisher.publish({
    subject: email.subject,
    text: email.text,
    ...(html ? { html } : {}),
    siret: result.siret,
    submissionId: result.submissionId,
  });
  // Recorded once published: a failure here retries the message (one more email, never one lost).
  await deps.journal.recordOutcome(outcomeRecordOf(result, deps.now().toISOString()));
  deps.logger.info('courriel publié', { submissionId: result.submissionId, siret: result.siret });
}

/** Without links (signing failed) the email still gives the paths. */
async function linksFor(deps: PublishDeps, result: ResultMessage) {
  try {
    const { annotated, reportHtml, reportJson } = result.outputs;
    return await deps.links.sign([annotated, reportHtml, reportJson], deps.now());
  } catch (error) {
    deps.logger.warn('liens non signés : le courriel donne les chemins seuls', { error });
    return new Map();
  }
}
