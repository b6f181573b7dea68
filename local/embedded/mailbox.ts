import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who gets the embedded stack's emails: like the stack's `notificationEmails` context. */
export interface Recipient {
  readonly email: string;
  readonly siret?: string;
}

/** RFC 2047: a UTF-8 subject in a header. */
export function encodedWords(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  // RFC 2047: an encoded word is at most 75 characters; 45 bytes of UTF-8 make 60 of base64, plus
  // `=?UTF-8?B?` and `?=`. Cut between characters, never inside one, and folded onto new lines.
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    if (Buffer.byteLength(chunk + character, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/**
 * RFC 2045 quoted-printable: lines of at most 76 characters with soft breaks (`=` at the end),
 * bytes outside printable ASCII as `=XX`. Used for the HTML part, whose lines may be long.
 */
function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r?\n/g, '\n').split('\n')) {
    let encoded = '';
    const bytes = Buffer.from(line, 'utf8');
    bytes.forEach((byte, index) => {
      const last = index === bytes.length - 1;
      const plain =
        (byte >= 33 && byte <= 126 && byte !== 61) || (byte === 32 && !last) || (byte === 9 && !last);
      encoded += plain ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    });
    // Soft breaks, never inside an =XX escape.
    while (encoded.length > 75) {
      let cut = 75;
      const lastEscape = encoded.lastIndexOf('=', cut);
      if (lastEscape > cut - 3) cut = lastEscape;
      out.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    out.push(encoded);
  }
  return out.join('\r\n');
}

/**
 * The text part as 8bit UTF-8, readable in `less` as it is. SMTP allows 998 octets a line: a longer
 * one (never seen: the body's lines are sentences) is cut at a space.
 */
function eightBit(text: string): string {
  return text
    .replace(/\r?\n/g, '\n')
    .split('\n')
    .flatMap((line) => {
      const parts: string[] = [];
      let rest = line;
      while (Buffer.byteLength(rest) > 900) {
        const cut = rest.lastIndexOf(' ', 300) > 0 ? rest.lastIndexOf(' ', 300) : 300;
        parts.push(rest.slice(0, cut));
        rest = rest.slice(cut).trimStart();
      }
      parts.push(rest);
      return parts;
    })
    .join('\r\n');
}

/**
 * One email as an .eml file (RFC 5322), readable by any mail client and by `less`: what SNS would
 * have sent to the subscription — the text part as 8bit UTF-8 — and, when the notify function gave
 * one, the HTML alternative (quoted-printable) in a multipart/alternative.
 */
export async function writeMail(
  dir: string,
  index: number,
  to: string,
  subject: string,
  mail: { text: string; html?: string },
  siret?: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${String(index).padStart(5, '0')}-${to.replace(/[^\w.@-]/g, '_')}.eml`);
  const headers = [
    'From: Segur numerique <no-reply@segur.localhost>',
    `To: <${to}>`,
    `Subject: ${encodedWords(subject)}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    ...(siret ? [`X-Segur-Siret: ${siret}`] : []),
  ];
  const textPart = ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit'];
  let lines: string[];
  if (mail.html === undefined) {
    lines = [...headers, ...textPart, '', eightBit(mail.text), ''];
  } else {
    const boundary = `=_segur_${randomUUID()}`;
    lines = [
      ...headers,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      ...textPart,
      '',
      eightBit(mail.text),
      `--${boundary}`,
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(mail.html),
      `--${boundary}--`,
      '',
    ];
  }
  await writeFile(path, lines.join('\r\n'));
  return path;
}
