import type { RenderedFinding } from '../shared/domain/findings';
import type { FileVerdict, LineVerdict } from '../shared/domain/judge-file';
import { omittedLabel, sourceExcerpt, summarize } from '../shared/domain/reports';

/**
 * The verdict as the page shows it: a summary, one card per rejected line (each error with its
 * field, the value where it is, the message and « À faire »), the file's own errors and warnings,
 * and the accepted lines folded. The same content as the HTML report, built as DOM nodes (text
 * only: nothing the vendor wrote is ever read as HTML).
 */
export function verdictCards(verdict: FileVerdict, source: string): HTMLElement {
  const lines = source.split(/\r\n|\r|\n/);
  const root = element('div', { className: 'cartes' });
  const summary = summarize(verdict);
  const counts = element('p', { className: 'resume' });
  counts.textContent =
    verdict.status === 'rejected'
      ? 'Le fichier est rejeté au contrôle 1 (sa structure) : aucune demande n’a été examinée.'
      : `${summary.lines} demande(s) : ${summary.accepted} acceptée(s), ${summary.rejected} rejetée(s)${summary.warnings > 0 ? `, ${summary.warnings} avertissement(s) sans effet sur le verdict` : ''}.`;
  root.append(counts);
  if (verdict.fileErrors.length > 0) root.append(card('ko', 'Le fichier', verdict.fileErrors, [], lines, 0));
  if (verdict.fileWarnings.length > 0)
    root.append(
      card(
        'avert',
        'Avertissements du fichier',
        [],
        verdict.fileWarnings,
        lines,
        verdict.omittedFileWarnings,
      ),
    );
  const rejected = verdict.lines.filter((line) => !line.accepted);
  const accepted = verdict.lines.filter((line) => line.accepted);
  for (const line of rejected)
    root.append(
      card(
        'ko',
        `${lineTitle(line)} : rejetée, code ${line.codeTraitement}`,
        line.errors,
        line.warnings,
        lines,
        line.omitted,
      ),
    );
  for (const line of accepted.filter((entry) => entry.warnings.length > 0))
    root.append(
      card(
        'avert',
        `${lineTitle(line)} : acceptée, avec avertissement(s)`,
        [],
        line.warnings,
        lines,
        line.omitted,
      ),
    );
  if (accepted.length > 0) {
    const folded = element('details', { className: 'acceptees' });
    const title = element('summary');
    title.textContent = `${accepted.length} demande(s) acceptée(s)`;
    const list = element('ul');
    for (const line of accepted) {
      const item = element('li');
      item.textContent = `${lineTitle(line)} : ${line.libelleTraitement}`;
      list.append(item);
    }
    folded.append(title, list);
    root.append(folded);
  }
  return root;
}

function lineTitle(line: LineVerdict): string {
  return `Ligne ${line.numLigne}${line.numeroEditeur ? ` (n° éditeur ${line.numeroEditeur})` : ''}`;
}

function card(
  tone: 'ko' | 'avert',
  title: string,
  errors: readonly RenderedFinding[],
  warnings: readonly RenderedFinding[],
  lines: readonly string[],
  omitted: number,
): HTMLElement {
  const article = element('article', { className: `carte ${tone}` });
  const heading = element('h3');
  heading.textContent = title;
  const list = element('ul');
  for (const finding of errors) list.append(findingItem(finding, 'erreur', lines));
  for (const finding of warnings) list.append(findingItem(finding, 'avertissement', lines));
  article.append(heading, list);
  if (omitted > 0) {
    const more = element('p');
    more.textContent = omittedLabel(omitted);
    article.append(more);
  }
  return article;
}

function findingItem(finding: RenderedFinding, kind: string, lines: readonly string[]): HTMLElement {
  const item = element('li', { className: kind === 'erreur' ? 'erreur' : 'avert' });
  const head = element('p');
  const code = element('strong');
  code.textContent = `${kind} ${finding.code}${finding.field ? ` – ${finding.field}` : ''}`;
  head.append(code, ` : ${finding.message.replace(/^Ligne \d+ : /, '')}`);
  item.append(head);
  const excerpt = finding.position ? sourceExcerpt(lines, finding.position) : undefined;
  if (excerpt && finding.position) {
    const where = element('p', { className: 'valeur' });
    const mark = element('mark');
    mark.textContent = excerpt.value;
    const place = element('span', { className: 'pos' });
    place.textContent = ` (texte du fichier, l. ${finding.position.line}, col. ${finding.position.column})`;
    where.append('Valeur : ', excerpt.before, mark, excerpt.after, place);
    item.append(where);
  }
  const toDo = element('p', { className: 'afaire' });
  toDo.textContent = `À faire : ${finding.hint}`;
  item.append(toDo);
  return item;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: { className?: string } = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (properties.className) node.className = properties.className;
  return node;
}
