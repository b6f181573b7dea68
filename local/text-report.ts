import { catalogEntry } from '../shared/domain/catalog';
import type { RenderedFinding } from '../shared/domain/findings';
import type { FileVerdict } from '../shared/domain/judge-file';
import { omittedLabel, summarize } from '../shared/domain/reports';

/** The `check` command's output for people: one block per line, the verdict first. */
export interface Palette {
  readonly ok: (text: string) => string;
  readonly ko: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const plain = (text: string) => text;
export const NO_COLOUR: Palette = { ok: plain, ko: plain, warn: plain, dim: plain, bold: plain };

const sgr = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const COLOUR: Palette = {
  ok: sgr('32'),
  ko: sgr('31'),
  warn: sgr('33'),
  dim: sgr('2'),
  bold: sgr('1'),
};

export function renderText(verdict: FileVerdict, palette: Palette, stats?: string): string {
  const out: string[] = [];
  const where = (finding: RenderedFinding) =>
    finding.position
      ? palette.dim(` (JSON ligne ${finding.position.line}, colonne ${finding.position.column})`)
      : '';
  const describe = (finding: RenderedFinding, tone: (text: string) => string, indent: string) => {
    out.push(`${indent}${tone(finding.code)} ${finding.message}${where(finding)}`);
    out.push(`${indent}     ${palette.dim(`→ ${finding.hint}`)}`);
  };

  out.push(palette.bold(`${verdict.file} — ${verdict.profile ?? 'profil indéterminé'}`));
  if (verdict.status === 'rejected') {
    out.push(palette.ko('Fichier rejeté au contrôle 1 (structure du fichier) : aucune demande examinée.'));
    for (const finding of verdict.fileErrors) describe(finding, palette.ko, '  ');
  } else {
    const summary = summarize(verdict);
    const tone = summary.rejected === 0 ? palette.ok : palette.ko;
    out.push(
      tone(`${summary.lines} demande(s) : ${summary.accepted} acceptée(s), ${summary.rejected} rejetée(s)`),
    );
  }
  for (const finding of verdict.fileWarnings) describe(finding, palette.warn, '  ');
  if (verdict.omittedFileWarnings > 0)
    out.push(`  ${palette.dim(omittedLabel(verdict.omittedFileWarnings))}`);
  for (const line of verdict.lines) {
    const head = `Ligne ${line.numLigne}${line.numeroEditeur ? ` (n° éditeur ${line.numeroEditeur})` : ''}`;
    if (line.accepted) out.push(`${palette.ok('✔')} ${head} : ${line.libelleTraitement}`);
    else out.push(`${palette.ko('✘')} ${head} : rejetée, code ${line.codeTraitement}`);
    for (const finding of line.errors) describe(finding, palette.ko, '    ');
    for (const finding of line.warnings) describe(finding, palette.warn, '    ');
    if (line.omitted > 0) out.push(`    ${palette.dim(omittedLabel(line.omitted))}`);
    // Checks not done are the same on every line (no zip, no référentiel): one short line each.
    if (line.notices.length > 0)
      out.push(`    ${palette.dim(`non vérifié : ${countByTitle(line.notices)}`)}`);
  }
  if (stats) out.push(palette.dim(stats));
  return `${out.join('\n')}\n`;
}

function countByTitle(findings: readonly RenderedFinding[]): string {
  const counts = new Map<string, number>();
  for (const finding of findings) {
    const title = catalogEntry(finding.code).title.toLowerCase();
    counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  return [...counts].map(([title, count]) => (count > 1 ? `${title} (${count})` : title)).join(', ');
}
