import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { writeMail } from '../../../local/embedded/mailbox';
import { createAttachmentChecker } from '../../../shared/domain/attachments/attachment-checker';
import { judgeFile } from '../../../shared/domain/judge-file';
import { notificationEmail } from '../../../shared/pipeline/notification-email';
import { fitResultMessage, resultMessage } from '../../../shared/pipeline/result-message';
import { mutate, SIRET, sampleName, sampleText, set } from '../../support/deposits';

/** The emails as a vendor reads them: every error, the vendor's paths, links and their expiry, readable bytes. */
const outputs = (base: string) => ({
  annotated: `s3://segur-retours/retour/${SIRET}/avance/${base}.json`,
  reportJson: `s3://segur-retours/retour/${SIRET}/avance/${base}.rapport.json`,
  reportHtml: `s3://segur-retours/retour/${SIRET}/avance/${base}.rapport.html`,
});

/** A MIME part's body decoded the way a mail client does (8bit as is, quoted-printable undone). */
function mimeParts(eml: string): Map<string, string> {
  const boundary = /boundary="([^"]+)"/.exec(eml)?.[1];
  const parts = boundary ? eml.split(`--${boundary}`).slice(1, -1) : [eml];
  const decoded = new Map<string, string>();
  for (const part of parts) {
    const [head = '', ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    // The CRLF before a boundary belongs to the boundary (RFC 2046).
    const body = rest.join('\r\n\r\n').replace(/\r\n$/, '');
    const type = /Content-Type: ([^;\r\n]+)/.exec(head)?.[1] ?? '';
    const text = /quoted-printable/.test(head)
      ? Buffer.from(
          body
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_match, hex: string) =>
              String.fromCharCode(Number.parseInt(hex, 16)),
            ),
          'latin1',
        ).toString('utf8')
      : Buffer.from(body, 'latin1').toString('utf8');
    decoded.set(type, text.replace(/\r\n/g, '\n'));
  }
  return decoded;
}

/** Zips given, none holding the documents: every declared document is missing (3001). */
const noZips = () =>
  createAttachmentChecker({ listings: [{ zipName: 'vide.zip', size: 22, entries: [] }], heads: [] });

describe('the notification email', () => {
  // Line 1 with three errors: a 15-digit RPPS, and two documents no zip holds.
  const text = mutate(sampleText('MDV-LGC-avance'), [
    set(['lignesImport', 0, 'beneficiaires', 'liberal', 0, 'RPPS'], '"888888888888888"'),
  ]);
  const { verdict } = judgeFile(Buffer.from(text), {
    fileName: sampleName('MDV-LGC-avance'),
    attachments: noZips(),
  });

  it('lists every error of each rejected line in the report’s wording, and the vendor’s paths', () => {
    const base = sampleName('MDV-LGC-avance').replace('.json', '');
    const result = resultMessage(
      { submissionId: `${SIRET}/avance/${base}`, siret: SIRET, type: 'avance' },
      verdict,
      new Map(),
      outputs(base),
    );
    const line = verdict.lines[0];
    expect(line?.errors.length).toBeGreaterThan(1);
    const email = notificationEmail(result);
    for (const error of line?.errors ?? [])
      expect(email.text).toContain(`[${error.code}] ${error.message.replace(/^Ligne 1 : /, '')}`);
    expect(email.text).toContain(`fichier annoté : retour/${SIRET}/avance/${base}.json`);
    expect(email.text).not.toContain('s3://');
    expect(email.text).not.toContain('valables jusqu');
    expect(email.html).toContain('<html lang="fr">');
    expect(email.html).toContain(`<li>rapport (page) : retour/${SIRET}/avance/${base}.rapport.html</li>`);
  });

  it('gives the links and the time they stop working, in Paris time', () => {
    const result = resultMessage(
      { submissionId: 'x/avance/y', siret: SIRET, type: 'avance' },
      verdict,
      new Map(),
      outputs('y'),
    );
    const links = new Map(
      Object.values(result.outputs).map((uri) => [
        uri as string,
        {
          url: `https://example.test/${uri?.split('/').pop()}?X-Amz-Expires=259200`,
          expiresAt: '2026-07-04T16:30:00.000Z',
        },
      ]),
    );
    const email = notificationEmail(result, links);
    expect(email.text).toContain('      https://example.test/y.rapport.html?X-Amz-Expires=259200');
    // 16:30 UTC in July is 18:30 in Paris (summer time).
    expect(email.text).toContain(
      "Les liens ci-dessus sont valables jusqu'au 04/07/2026 à 18 h 30 (heure de Paris)",
    );
    expect(email.html).toContain(
      '<a href="https://example.test/y.rapport.html?X-Amz-Expires=259200">rapport (page)',
    );
  });

  it('counts the errors a result message could not carry', () => {
    const { verdict: many } = judgeFile(
      Buffer.from(
        mutate(sampleText('MDV-LGC-avance'), [
          set(['lignesImport', 0, 'beneficiaires', 'liberal', 0, 'RPPS'], '"1"'),
          set(['lignesImport', 0, 'commande', 'dateCommande'], '"x"'),
          set(['lignesImport', 0, 'commande', 'montantSegurHT'], '"x"'),
        ]),
      ),
      { fileName: sampleName('MDV-LGC-avance'), attachments: noZips() },
    );
    const full = resultMessage(
      { submissionId: 'x/avance/y', siret: SIRET, type: 'avance' },
      many,
      new Map(),
      outputs('y'),
    );
    // An SQS message too small for every error: each line keeps its first, the others are counted.
    const fitted = fitResultMessage(full, Buffer.byteLength(JSON.stringify(full)) + 8 * 1024 - 200);
    const line = fitted.lines[0];
    expect(line?.errors).toHaveLength(3);
    expect(line?.errorsOmitted).toBe((full.lines[0]?.errors?.length ?? 0) - 3);
    expect(notificationEmail(fitted).text).toContain(
      `… et ${line?.errorsOmitted} autre(s) erreur(s), dans le rapport.`,
    );
  });

  /** The email of this verdict, written as the embedded mailbox writes it (.eml). */
  async function writtenEmail() {
    const result = resultMessage(
      { submissionId: 'x/avance/y', siret: SIRET, type: 'avance' },
      verdict,
      new Map(),
      outputs('y'),
    );
    const email = notificationEmail(result);
    const dir = await mkdtemp(join(tmpdir(), 'segur-mail-'));
    return { result, email, path: await writeMail(dir, 1, 'editeur@localhost', email.subject, email, SIRET) };
  }

  it('reads in a mail client: subject with accents, the « À faire » of each error in both parts (mailparser)', async () => {
    const { result, path } = await writtenEmail();
    const parsed = await simpleParser(await readFile(path));
    expect(parsed.subject).toBe(
      `Ségur numérique – ${result.fileName} : 0 demande(s) acceptée(s), 2 rejetée(s)`,
    );
    expect(parsed.text).toContain(
      '[2006] beneficiaires.liberal[0].RPPS doit compter exactement 11 caractères',
    );
    expect(parsed.text).toContain(
      'À faire : Vérifiez le numéro : ni espace, ni caractère manquant ou en trop.',
    );
    const html = String(parsed.html);
    expect(html).toContain(
      '<li>À faire : Vérifiez le numéro : ni espace, ni caractère manquant ou en trop.</li>',
    );
    expect(html).toContain('a{white-space:nowrap}');
  });

  it('says in words what a refusal means and what to do', () => {
    const refusal = notificationEmail({
      submissionId: `${SIRET}/avance/JSON-1234567890-20220315-001`,
      siret: SIRET,
      type: 'avance',
      fileName: 'JSON-1234567890-20220315-001.json',
      profile: null,
      status: 'rejected',
      outcome: 'refus',
      accepted: 0,
      rejected: 0,
      fileErrors: [{ code: '1051', message: 'Le fichier JSON-1234567890-20220315-001.json est absent' }],
      lines: [],
      outputs: {
        annotated: null,
        reportJson: `s3://r/retour/${SIRET}/avance/x.refus.json`,
        reportHtml: `s3://r/retour/${SIRET}/avance/x.refus.json`,
      },
    });
    expect(refusal.subject).toBe('Ségur numérique – JSON-1234567890-20220315-001.json : fichier non traité');
    expect(refusal.text).toContain("n'a pas été traité ; aucune demande n'a été examinée");
    expect(refusal.text).toMatch(/À faire : \S/);
  });

  it('is written as an .eml whose text part reads as is and whose HTML part decodes whole', async () => {
    const { result, email, path } = await writtenEmail();
    const eml = await readFile(path, 'latin1');
    expect(eml).toContain('Content-Type: multipart/alternative;');
    expect(eml).toContain('Content-Transfer-Encoding: 8bit');
    expect(eml).not.toContain('base64');
    // What `less` shows: the French text, accents included, with no decoding.
    expect(await readFile(path, 'utf8')).toContain(
      'a été contrôlé : 0 demande(s) acceptée(s), 2 rejetée(s).',
    );
    for (const line of eml.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    // The subject in French with its accents, as RFC 2047 encoded words of at most 75 characters.
    expect(email.subject).toBe(
      `Ségur numérique – ${result.fileName} : 0 demande(s) acceptée(s), 2 rejetée(s)`,
    );
    const subject = /^Subject: (.*(?:\r\n .*)*)/m.exec(eml)?.[1] ?? '';
    const words = subject.split('\r\n ');
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = words
      .map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '', 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe(email.subject);
    const parts = mimeParts(eml);
    expect(parts.get('text/plain')).toBe(email.text);
    expect(parts.get('text/html')?.trimEnd()).toBe(email.html.trimEnd());
  });
});
