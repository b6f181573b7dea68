import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who gets the embedded stack's emails: like the stack's `notificationEmails` context. */
export interface Recipient {
  readonly email: string;
  readonly siret?: string;
}

/** RFC 2047: a UTF-8 subject in a header. */
function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/**
 * One email as an .eml file (RFC 5322, UTF-8 body in base64), readable by any mail client: what SNS
 * would have sent to the subscription.
 */
export async function writeMail(
  dir: string,
  index: number,
  to: string,
  subject: string,
  body: string,
  siret?: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${String(index).padStart(5, '0')}-${to.replace(/[^\w.@-]/g, '_')}.eml`);
  const lines = [
    'From: Segur numerique <no-reply@segur.localhost>',
    `To: <${to}>`,
    `Subject: ${encodedWord(subject)}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    ...(siret ? [`X-Segur-Siret: ${siret}`] : []),
    '',
    ...(Buffer.from(body, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []),
    '',
  ];
  await writeFile(path, lines.join('\r\n'));
  return path;
}
