import { CATALOG, toWellFormedText } from '../domain/catalog';
import { printable } from '../domain/printable';
import { escapeHtml, frenchDateTime } from '../domain/reports';
import type { ResultLine, ResultMessage } from './result-message';

/** How many rejected lines an email lists before pointing to the report. */
const LISTED_REJECTIONS = 10;

/** An HTTPS link to one output, valid until `expiresAt` (presigned on AWS). */
export interface OutputLink {
  readonly url: string;
  readonly expiresAt: string;
}

/** The links of a result's outputs, by their `s3://` address; absent ones are given as paths only. */
export type OutputLinks = ReadonlyMap<string, OutputLink>;

export interface NotificationEmail {
  /** ASCII, under 100 characters (what SNS accepts). */
  readonly subject: string;
  /** The plain-text body (UTF-8), what an SNS email subscription delivers. */
  readonly text: string;
  /** The same content as a small page in the report's style, for a mail client that shows HTML. */
  readonly html: string;
}

interface Section {
  readonly title?: string;
  readonly paragraphs: readonly string[];
  readonly items?: ReadonlyArray<{
    readonly text: string;
    readonly sub?: readonly string[];
    readonly href?: string;
  }>;
  /** Said after the list. */
  readonly notes?: readonly string[];
}

/**
 * The French email of one outcome: the counts in the subject; in the body, every error of each
 * rejected line (the first 10 lines, each with its errors in the report's wording), where the
 * returns are in the vendor's own space (`retour/<SIRET>/…`) and, when given, HTTPS links that expire.
 */
export function notificationEmail(result: ResultMessage, links: OutputLinks = new Map()): NotificationEmail {
  const sections = emailSections(result, links);
  const text = toWellFormedText(`${sections.map(sectionText).join('\n\n')}\n`);
  return {
    subject: emailSubject(subjectOf(result)),
    text,
    html: toWellFormedText(emailHtml(result, sections)),
  };
}

function subjectOf(result: ResultMessage): string {
  if (result.outcome === 'refus') return `Ségur numérique – ${result.fileName} : fichier non traité`;
  if (result.outcome === 'rejet-technique') return `Ségur numérique – ${result.fileName} : rejet technique`;
  if (result.status === 'rejected') return `Ségur numérique – ${result.fileName} : fichier rejeté`;
  return `Ségur numérique – ${result.fileName} : ${result.accepted} demande(s) acceptée(s), ${result.rejected} rejetée(s)`;
}

function emailSections(result: ResultMessage, links: OutputLinks): Section[] {
  const sections: Section[] = [{ paragraphs: ['Bonjour,'] }];
  const fileErrors = result.fileErrors.map((error) => ({
    text: `[${error.code}] ${error.message}`,
    sub: toDo(error.code),
  }));
  if (result.outcome === 'refus' || result.outcome === 'rejet-technique') {
    sections.push({
      paragraphs: [
        result.outcome === 'refus'
          ? `Le fichier ${result.fileName} déposé n'a pas été traité ; aucune demande n'a été examinée :`
          : `Le contrôle du fichier ${result.fileName} n'a pas pu aboutir ; aucune demande n'a été examinée :`,
      ],
      items: fileErrors,
    });
  } else if (result.status === 'rejected') {
    sections.push({
      paragraphs: [
        `Le fichier ${result.fileName} (${result.type}) a été rejeté au contrôle de sa structure ; aucune demande n'a été examinée :`,
      ],
      items: fileErrors,
    });
  } else {
    sections.push({
      paragraphs: [
        `Le fichier ${result.fileName} (${result.type}, ${result.profile ?? 'profil inconnu'}) a été contrôlé : ${result.accepted} demande(s) acceptée(s), ${result.rejected} rejetée(s).`,
      ],
    });
    const rejected = result.lines.filter((line) => line.codeTraitement !== '0000');
    if (rejected.length > 0) {
      const more = rejected.length - LISTED_REJECTIONS + (result.linesOmitted ?? 0);
      sections.push({
        title: 'Demandes rejetées, avec chacune de leurs erreurs :',
        paragraphs: [],
        items: rejected.slice(0, LISTED_REJECTIONS).map(rejectedItem),
      });
      sections.push({
        paragraphs: [
          ...(more > 0 ? [`… et ${more} autre(s) demande(s) rejetée(s), détaillées dans le rapport.`] : []),
          'Une demande rejetée se soumet à nouveau, corrigée, avec un nouveau numéro éditeur.',
        ],
      });
    }
  }
  sections.push(returnsSection(result, links));
  sections.push({
    paragraphs: [
      `Référence de la soumission : ${printable(result.submissionId)}`,
      'Ce message est envoyé automatiquement.',
    ],
  });
  return sections;
}

function rejectedItem(line: ResultLine): { text: string; sub: string[] } {
  const head = `Ligne ${line.numLigne}${line.numeroEditeur ? ` (n° éditeur ${line.numeroEditeur})` : ''} : rejetée, code ${line.codeTraitement}`;
  // Result messages from before the errors were carried: the label, as the annotated file has it.
  const errors = line.errors ?? [{ code: line.codeTraitement, field: '', message: line.libelleTraitement }];
  const sub = errors.flatMap((error) => [
    `[${error.code}] ${error.message.replace(/^Ligne \d+ : /, '')}`,
    ...toDo(error.code),
  ]);
  if (line.errorsOmitted) sub.push(`… et ${line.errorsOmitted} autre(s) erreur(s), dans le rapport.`);
  return { text: head, sub };
}

/** « À faire : … », the catalog's hint for a code, as the reports give it. */
function toDo(code: string): string[] {
  const entry = (CATALOG as Readonly<Record<string, { hint: string } | undefined>>)[code];
  return entry ? [`À faire : ${entry.hint}`] : [];
}

/** Where the returns are: the vendor's own folder, and the links when there are some. */
function returnsSection(result: ResultMessage, links: OutputLinks): Section {
  const outputs: Array<[string, string | null]> =
    result.outputs.reportHtml === result.outputs.reportJson
      ? [['rapport', result.outputs.reportJson]]
      : [
          ['fichier annoté', result.outputs.annotated],
          ['rapport (page)', result.outputs.reportHtml],
          ['rapport (JSON)', result.outputs.reportJson],
        ];
  const items = outputs
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([label, uri]) => {
      const link = links.get(uri);
      return { text: `${label} : ${vendorPath(uri)}`, sub: link ? [link.url] : undefined, href: link?.url };
    });
  const expiries = [...links.values()].map((link) => link.expiresAt).sort();
  return {
    title: 'Le fichier annoté et les rapports complets, dans votre espace de retour :',
    paragraphs: [],
    notes:
      expiries.length > 0
        ? [
            `Les liens ci-dessus sont valables jusqu'au ${frenchDateTime(expiries[0] as string)} ; ensuite, les fichiers restent dans votre espace retour/.`,
          ]
        : [],
    items,
  };
}

/** `s3://<bucket>/retour/<SIRET>/…` → `retour/<SIRET>/…`: the vendor knows its space, not our buckets. */
function vendorPath(uri: string): string {
  return uri.replace(/^s3:\/\/[^/]+\//, '');
}

function sectionText(section: Section): string {
  const lines: string[] = [];
  if (section.title) lines.push(section.title);
  lines.push(...section.paragraphs);
  for (const item of section.items ?? []) {
    lines.push(`  - ${item.text}`);
    for (const sub of item.sub ?? []) lines.push(`      ${sub}`);
  }
  lines.push(...(section.notes ?? []));
  return lines.join('\n');
}

function emailHtml(result: ResultMessage, sections: readonly Section[]): string {
  const e = escapeHtml;
  const tone =
    result.outcome !== 'jugement' || result.status === 'rejected' || result.rejected > 0 ? 'ko' : 'ok';
  const body = sections
    .map((section, index) => {
      const paragraphs = section.paragraphs.map((text) => `<p>${e(text)}</p>`).join('');
      const items = section.items
        ? `<ul>${section.items
            .map((item) =>
              item.href
                ? `<li><a href="${e(item.href)}">${e(item.text)}</a></li>`
                : `<li>${e(item.text)}${item.sub ? `<ul>${item.sub.map((sub) => `<li>${e(sub)}</li>`).join('')}</ul>` : ''}</li>`,
            )
            .join('')}</ul>`
        : '';
      const title = section.title ? `<h2>${e(section.title)}</h2>` : '';
      const notes = (section.notes ?? []).map((text) => `<p>${e(text)}</p>`).join('');
      // The verdict (second section) in the report's banner colours.
      const open = index === 1 ? `<div class="banner ${tone}">` : '<div>';
      return `${open}${title}${paragraphs}${items}${notes}</div>`;
    })
    .join('\n');
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${e(subjectOf(result))}</title><style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:46rem;color:#1b1b1b;line-height:1.45}
h2{font-size:1rem;margin:1.2rem 0 .3rem}.banner{padding:.6rem 1rem;border-radius:.5rem}.banner.ko{background:#fdecec}.banner.ok{background:#e8f5ec}
li{margin:.15rem 0}a{white-space:nowrap}
</style></head><body>
${body}
</body></html>
`;
}

/**
 * SNS takes a subject of UTF-8 text without line breaks or control characters, under 100
 * characters: written in French with its accents (the email's encoding, RFC 2047, is the mail
 * system's job), cut with « … » when a long file name would pass the limit.
 */
function emailSubject(text: string): string {
  const characters = [...printable(text).replace(/\s+/g, ' ')];
  return characters.length < 100 ? characters.join('') : `${characters.slice(0, 98).join('')}…`;
}
