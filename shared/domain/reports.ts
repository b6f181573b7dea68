import type { RenderedFinding } from './findings';
import { type FileVerdict, type LineVerdict, MAX_FINDINGS_SHOWN } from './judge-file';

/**
 * The two full reports a vendor gets beside the annotated file: `rapport.json` for machines and
 * `rapport.html` for people. Both list every error, warning and check not done, with the source
 * position of the offending value, where the annotated file only carries the first error per line.
 */
export interface ReportContext {
  /** When the judgement was made (ISO 8601); passed in so that the domain stays clock-free. */
  readonly generatedAt: string;
  /** Extra facts (submission id, attachment statistics…), shown as given. */
  readonly facts?: Readonly<Record<string, string | number>>;
  /** The deposit's text: the HTML report shows the offending line of it beside each error. */
  readonly source?: string;
}

export interface ReportSummary {
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly warnings: number;
  readonly notices: number;
}

export function summarize(verdict: FileVerdict): ReportSummary {
  const accepted = verdict.lines.filter((line) => line.accepted).length;
  return {
    lines: verdict.lines.length,
    accepted,
    rejected: verdict.lines.length - accepted,
    warnings:
      verdict.fileWarnings.length + verdict.lines.reduce((sum, line) => sum + line.warnings.length, 0),
    notices: verdict.lines.reduce((sum, line) => sum + line.notices.length, 0),
  };
}

export function buildJsonReport(verdict: FileVerdict, context: ReportContext): string {
  const report = {
    rapport:
      'Contrôles automatiques du dépôt (contrôle 1 : structure du fichier ; contrôle 2 : chaque demande)',
    generatedAt: context.generatedAt,
    ...(context.facts ? { facts: context.facts } : {}),
    file: verdict.file,
    profile: verdict.profile,
    type: verdict.type,
    numeroAns: verdict.numeroAns,
    siret: verdict.siret,
    status: verdict.status,
    summary: summarize(verdict),
    fileErrors: verdict.fileErrors.map(fileFindingJson),
    fileWarnings: verdict.fileWarnings.map(fileFindingJson),
    ...(verdict.omittedFileWarnings > 0 ? { omittedFileWarnings: verdict.omittedFileWarnings } : {}),
    lines: verdict.lines.map(lineJson),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The shape of contracts §1 (`path` for file findings, `field` for line findings), plus hint and position. */
export function fileFindingJson(finding: RenderedFinding) {
  return {
    code: finding.code,
    path: finding.field,
    message: finding.message,
    hint: finding.hint,
    position: finding.position,
  };
}

function lineFindingJson(finding: RenderedFinding) {
  return {
    code: finding.code,
    field: finding.field,
    message: finding.message,
    hint: finding.hint,
    position: finding.position,
  };
}

export function lineJson(line: LineVerdict) {
  return {
    numLigne: line.numLigne,
    numeroEditeur: line.numeroEditeur,
    accepted: line.accepted,
    codeTraitement: line.codeTraitement,
    libelleTraitement: line.libelleTraitement,
    field: line.field,
    errors: line.errors.map(lineFindingJson),
    warnings: line.warnings.map(lineFindingJson),
    notices: line.notices.map(lineFindingJson),
    // Past MAX_FINDINGS_SHOWN per severity, findings are counted, not listed.
    ...(line.omitted > 0 ? { omitted: line.omitted } : {}),
  };
}

/** « … et 99 950 autres constats », for the findings counted but not listed. */
export function omittedLabel(count: number): string {
  return `… et ${count} autre(s) constat(s) du même fichier, non listé(s) : le rapport en montre ${MAX_FINDINGS_SHOWN} au plus par sorte et par demande.`;
}

// ── HTML ────────────────────────────────────────────────────────────────────────────────────

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem}
.meta{color:#555;margin:0 0 1rem}.summary{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:.5rem;padding:.75rem 1rem;min-width:8rem}.card b{display:block;font-size:1.6rem}
.ok{color:#18753c}.ko{color:#c9191e}.warn{color:#8a5a00}.info{color:#4a4a8a}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{border-bottom:1px solid #e5e5e5;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}code{background:#f3f3f3;padding:0 .2rem;border-radius:.2rem}
.finding{margin:.2rem 0}.hint{color:#555;font-size:.92em}.pos{color:#595959;font-size:.85em;white-space:nowrap}
.banner{padding:1rem;border-radius:.5rem;margin:1rem 0}.banner.ko{background:#fdecec}.banner.ok{background:#e8f5ec}
.src{margin:.3rem 0 0;padding:.3rem .5rem;background:#f7f7f9;border-left:3px solid #c9191e;font:0.85em ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
.src .at{color:#595959}.src mark{background:#ffd8d8;color:#8c0000;font-weight:600;padding:0 .1rem}
`;

export function buildHtmlReport(verdict: FileVerdict, context: ReportContext): string {
  const summary = summarize(verdict);
  const findingTable = findingTableOf(sourceLines(context.source));
  const e = escapeHtml;
  const facts = Object.entries(context.facts ?? {})
    .map(([key, value]) => `<li>${e(key)} : ${e(String(value))}</li>`)
    .join('');
  const parts: string[] = [];
  parts.push(
    `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
  );
  parts.push(`<title>Rapport de contrôle – ${e(verdict.file)}</title><style>${STYLE}</style></head><body>`);
  parts.push(`<h1>Rapport de contrôle du dépôt</h1>`);
  parts.push(
    `<p class="meta">Fichier <code>${e(verdict.file)}</code> · profil ${e(verdict.profile ?? 'indéterminé')} · numéro ANS ${e(verdict.numeroAns ?? '—')} · SIRET ${e(verdict.siret ?? '—')} · contrôlé le ${e(frenchDateTime(context.generatedAt))}</p>`,
  );
  if (facts) parts.push(`<ul class="meta">${facts}</ul>`);

  if (verdict.status === 'rejected') {
    parts.push(
      `<div class="banner ko"><strong>Fichier rejeté au contrôle de structure (contrôle 1).</strong> Aucune demande n'a été examinée : corrigez les erreurs ci-dessous puis déposez à nouveau le fichier.</div>`,
    );
    parts.push(findingTable(verdict.fileErrors, 'Erreurs du fichier', 'ko'));
  } else {
    const banner = summary.rejected === 0 ? 'ok' : 'ko';
    parts.push(
      `<div class="banner ${banner}"><strong>${summary.accepted} demande(s) acceptée(s), ${summary.rejected} rejetée(s)</strong> sur ${summary.lines}.${summary.rejected > 0 ? ' Une demande rejetée se soumet à nouveau, corrigée, dans un nouveau fichier et avec un nouveau numéro éditeur.' : ''}</div>`,
    );
    parts.push(`<div class="summary">`);
    parts.push(`<div class="card"><span>Demandes</span><b>${summary.lines}</b></div>`);
    parts.push(`<div class="card ok"><span>Acceptées</span><b>${summary.accepted}</b></div>`);
    parts.push(`<div class="card ko"><span>Rejetées</span><b>${summary.rejected}</b></div>`);
    parts.push(`<div class="card warn"><span>Avertissements</span><b>${summary.warnings}</b></div>`);
    parts.push(`<div class="card info"><span>Vérifications non faites</span><b>${summary.notices}</b></div>`);
    parts.push(`</div>`);
    parts.push(
      `<h2>Demandes</h2><table><thead><tr><th>Demande (numLigne)</th><th>N° éditeur</th><th>Verdict</th><th>Code</th><th>Libellé de traitement</th></tr></thead><tbody>`,
    );
    for (const line of verdict.lines) {
      parts.push(
        `<tr><td><a href="#ligne-${line.numLigne}">${line.numLigne}</a></td><td>${e(line.numeroEditeur ?? '—')}</td><td class="${line.accepted ? 'ok' : 'ko'}">${line.accepted ? 'Acceptée' : 'Rejetée'}</td><td><code>${e(line.codeTraitement)}</code></td><td>${e(line.libelleTraitement)}</td></tr>`,
      );
    }
    parts.push(`</tbody></table>`);
  }
  if (verdict.fileWarnings.length > 0)
    parts.push(findingTable(verdict.fileWarnings, 'Avertissements sur le fichier', 'warn'));
  if (verdict.omittedFileWarnings > 0)
    parts.push(`<p class="warn">${e(omittedLabel(verdict.omittedFileWarnings))}</p>`);

  const detailed = verdict.lines.filter(
    (line) => line.errors.length + line.warnings.length + line.notices.length + line.omitted > 0,
  );
  if (detailed.length > 0) parts.push(`<h2>Détail par demande</h2>`);
  for (const line of detailed) {
    parts.push(
      `<h3 id="ligne-${line.numLigne}">Demande n° ${line.numLigne} (numLigne ${line.numLigne})${line.numeroEditeur ? ` – n° éditeur ${e(line.numeroEditeur)}` : ''}</h3>`,
    );
    if (line.errors.length > 0)
      parts.push(findingTable(line.errors, 'Erreurs (la première donne le verdict)', 'ko'));
    if (line.warnings.length > 0) parts.push(findingTable(line.warnings, 'Avertissements', 'warn'));
    if (line.notices.length > 0) parts.push(findingTable(line.notices, 'Vérifications non faites', 'info'));
    if (line.omitted > 0) parts.push(`<p class="warn">${e(omittedLabel(line.omitted))}</p>`);
  }
  parts.push(`</body></html>\n`);
  return parts.join('\n');
}

const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant as the agency and the vendors read it, in Paris time (summer time included):
 * 2026-11-22T22:35:55.966Z → « 22/11/2026 à 23 h 35 (heure de Paris) ». Not an instant: as given.
 */
export function frenchDateTime(iso: string): string {
  const at = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(at.getTime())) return iso;
  const part = Object.fromEntries(PARIS_TIME.formatToParts(at).map((piece) => [piece.type, piece.value]));
  return `${part.day}/${part.month}/${part.year} à ${part.hour} h ${part.minute} (heure de Paris)`;
}

/** The deposit's text by line, split once for all the excerpts (a 10 MiB file at most). */
function sourceLines(source: string | undefined): readonly string[] | undefined {
  return source === undefined ? undefined : source.split(/\r?\n/);
}

/** Characters of the source line shown around the value, so that a one-line JSON stays readable. */
const EXCERPT_BEFORE = 60;
const EXCERPT_AFTER = 100;

/**
 * The offending value in its line of the deposit: the text before it, the value itself (a string
 * to its closing quote, a number or literal to its end, the first character of an object or list)
 * and what follows, clipped around it. Escaped by the caller.
 */
export function sourceExcerpt(
  lines: readonly string[],
  position: { line: number; column: number },
): { before: string; value: string; after: string } | undefined {
  const text = lines[position.line - 1];
  if (text === undefined) return undefined;
  const start = Math.min(Math.max(position.column - 1, 0), text.length);
  const end = valueEnd(text, start);
  const from = Math.max(0, start - EXCERPT_BEFORE);
  const to = Math.min(text.length, Math.max(end, start + 1) + EXCERPT_AFTER);
  return {
    before: `${from > 0 ? '…' : ''}${text.slice(from, start)}`,
    value: text.slice(start, Math.min(end, start + 200)),
    after: `${text.slice(end, to)}${to < text.length ? '…' : ''}`,
  };
}

function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') {
    for (let index = start + 1; index < text.length; index++) {
      if (text[index] === '\\') index++;
      else if (text[index] === '"') return index + 1;
    }
    return text.length;
  }
  if (first === '{' || first === '[') return start + 1;
  const match = /^[^\s,\]}]*/.exec(text.slice(start, start + 400));
  return start + (match?.[0].length ?? 0);
}

function findingTableOf(lines: readonly string[] | undefined) {
  return (findings: readonly RenderedFinding[], caption: string, tone: string): string => {
    const e = escapeHtml;
    const rows = findings
      .map((finding) => {
        const place = finding.position
          ? `texte l. ${finding.position.line}, col. ${finding.position.column}`
          : '';
        // Checks not done (info) point at the document, not at a mistake: no excerpt for them.
        const excerpt =
          finding.position && lines && tone !== 'info' ? sourceExcerpt(lines, finding.position) : undefined;
        const shown = excerpt
          ? `<pre class="src"><span class="at">l. ${finding.position?.line} │ </span>${e(excerpt.before)}<mark>${e(excerpt.value)}</mark>${e(excerpt.after)}</pre>`
          : '';
        return `<tr><td><code>${e(finding.code)}</code></td><td><code>${e(finding.field || '—')}</code></td><td><div class="finding ${tone}">${e(finding.message.replace(/^Ligne \d+ : /, ''))}</div><div class="hint">À faire : ${e(finding.hint)}</div>${shown}</td><td class="pos">${e(place)}</td></tr>`;
      })
      .join('');
    return `<table><caption class="${tone}" style="text-align:left;font-weight:600">${e(caption)}</caption><thead><tr><th>Code</th><th>Champ</th><th>Message</th><th>Place dans le texte du fichier</th></tr></thead><tbody>${rows}</tbody></table>`;
  };
}
