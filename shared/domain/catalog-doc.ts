import { ACCEPTED_CODE, ACCEPTED_LABEL, CATALOG } from './catalog';

/** docs/codes.md, rendered from the catalog so that the documentation cannot drift from the code. */
export function renderCodesMarkdown(): string {
  const sections: Array<[string, string]> = [
    ['1', 'Contrôle 1 – structure du fichier (le fichier entier est rejeté)'],
    ['2', 'Contrôle 2 – chaque demande (la demande est rejetée)'],
    ['3', 'Pièces justificatives dans les .zip (la demande est rejetée)'],
    ['8', 'Avertissements et vérifications non faites (rien n’est rejeté)'],
  ];
  const out = [
    '# Catalogue des codes de traitement',
    '',
    '<!-- Généré par `npm run docs:codes` depuis shared/domain/catalog.ts ; ne pas modifier à la main. -->',
    '',
    `Une demande acceptée reçoit le code \`${ACCEPTED_CODE}\` et le libellé « ${ACCEPTED_LABEL} ». Une demande rejetée reçoit le code de sa`,
    'première erreur (dans l’ordre du tableau de la section 3.2 du document de son profil) et un libellé',
    '« Ligne n : <message> » qui nomme le champ (chemin relatif à la demande) et ce qui était attendu.',
    'Les codes sont stables : un code n’est jamais réutilisé pour un autre sens.',
    '',
    'Dans les messages, `{field}` est le chemin du champ et `{nom}` un paramètre de l’erreur.',
  ];
  for (const [prefix, title] of sections) {
    out.push(
      '',
      `## ${prefix}xxx – ${title}`,
      '',
      '| Code | Gravité | Intitulé | Message | Comment corriger |',
      '|---|---|---|---|---|',
    );
    for (const [code, entry] of Object.entries(CATALOG).filter(([key]) => key.startsWith(prefix))) {
      const cell = (text: string) => text.replace(/\|/g, '\\|');
      // A retired code stays listed (it is never reused), marked so that nobody expects it.
      const retired: string | undefined = 'retired' in entry ? entry.retired : undefined;
      const title = retired ? `~~${entry.title}~~ **retiré, plus jamais donné** : ${retired}` : entry.title;
      out.push(
        `| \`${code}\` | ${entry.severity} | ${cell(title)} | ${cell(entry.message)} | ${cell(entry.hint)} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
