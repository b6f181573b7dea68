import { catalogEntry } from '../shared/domain/catalog';
import type { RenderedFinding } from '../shared/domain/findings';
import type { FileVerdict } from '../shared/domain/judge-file';
import { printable } from '../shared/domain/printable';
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

/** What the text says beyond the verdict: statistics, and whether the zips were looked at. */
export interface TextContext {
  readonly stats?: string;
  /** Documents the deposit declares; with `zipsGiven` false, their checks were not done. */
  readonly declaredAttachments?: number;
  readonly zipsGiven?: boolean;
}

type Kind = 'erreur' | 'avertissement';

/**
 * A place in the deposit's text, worded so that it cannot be taken for a request's « Ligne 1 »
 * (numLigne): « texte du fichier, l. 24, col. 93 ».
 */
function textPlace(position: { line: number; column: number }): string {
  return `texte du fichier, l. ${position.line}, col. ${position.column}`;
}

export function renderText(verdict: FileVerdict, palette: Palette, context: TextContext = {}): string {
  const out: string[] = [];
  const where = (finding: RenderedFinding) =>
    // Control 1's syntax errors already say where in their message: said once.
    finding.position && !finding.message.includes(`ligne ${finding.position.line}, colonne`)
      ? palette.dim(` (${textPlace(finding.position)})`)
      : '';
  // Under the « Ligne 1 » heading, the label's own « Ligne 1 : » would say it twice.
  const withoutLinePrefix = (message: string) => message.replace(/^Ligne \d+ : /, '');
  const describe = (finding: RenderedFinding, kind: Kind, indent: string) => {
    const tone = kind === 'erreur' ? palette.ko : palette.warn;
    out.push(
      `${indent}${tone(`${kind} ${finding.code}`)} : ${withoutLinePrefix(finding.message)}${where(finding)}`,
    );
    out.push(`${indent}  ${palette.dim(`→ ${finding.hint}`)}`);
  };

  out.push(palette.bold(`${printable(verdict.file)} — ${verdict.profile ?? 'profil indéterminé'}`));
  if (verdict.status === 'rejected') {
    out.push(palette.ko('Fichier rejeté au contrôle 1 (structure du fichier) : aucune demande examinée.'));
    for (const finding of verdict.fileErrors) describe(finding, 'erreur', '  ');
  } else {
    const summary = summarize(verdict);
    const tone = summary.rejected === 0 ? palette.ok : palette.ko;
    out.push(
      `${tone(`${summary.lines} demande(s) : ${summary.accepted} acceptée(s), ${summary.rejected} rejetée(s)`)}${summary.warnings > 0 ? ` ; ${summary.warnings} avertissement(s) (sans effet sur le verdict)` : ''}`,
    );
    const declared = context.declaredAttachments ?? 0;
    if (!context.zipsGiven && declared > 0)
      out.push(
        palette.warn(
          `Pièces justificatives NON VÉRIFIÉES : ${declared} pièce(s) déclarée(s), aucun .zip fourni. Ajoutez --zip <fichier.zip> (une fois par .zip) pour contrôler leur présence, leur taille et leur format ; sans lui, le code de sortie ne porte que sur le JSON.`,
        ),
      );
  }
  for (const finding of verdict.fileWarnings) describe(finding, 'avertissement', '  ');
  if (verdict.omittedFileWarnings > 0)
    out.push(`  ${palette.dim(omittedLabel(verdict.omittedFileWarnings))}`);
  for (const line of verdict.lines) {
    const head = `Ligne ${line.numLigne}${line.numeroEditeur ? ` (n° éditeur ${printable(line.numeroEditeur, 40)})` : ''}`;
    if (line.accepted) out.push(`${palette.ok('✔')} ${head} : ${line.libelleTraitement}`);
    else out.push(`${palette.ko('✘')} ${head} : rejetée, code ${line.codeTraitement}`);
    for (const finding of line.errors) describe(finding, 'erreur', '    ');
    for (const finding of line.warnings) describe(finding, 'avertissement', '    ');
    if (line.omitted > 0) out.push(`    ${palette.dim(omittedLabel(line.omitted))}`);
    // Checks not done are the same on every line (no zip, no référentiel): one short line each.
    if (line.notices.length > 0)
      out.push(`    ${palette.dim(`non vérifié : ${countByTitle(line.notices)}`)}`);
  }
  if (context.stats) out.push(palette.dim(context.stats));
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
