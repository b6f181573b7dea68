import { toWellFormedText } from '../domain/catalog';
import type { ResultMessage } from './result-message';

/** How many rejected lines an email lists before pointing to the report. */
const LISTED_REJECTIONS = 10;

/** The French email of one judgement: the counts in the subject, the first rejections in the body. */
export function notificationEmail(result: ResultMessage): { subject: string; body: string } {
  const subject =
    result.outcome === 'refus'
      ? `Ségur numérique – ${result.fileName} : fichier non traité`
      : result.outcome === 'rejet-technique'
        ? `Ségur numérique – ${result.fileName} : rejet technique`
        : result.status === 'rejected'
          ? `Ségur numérique – ${result.fileName} : fichier rejeté`
          : `Ségur numérique – ${result.fileName} : ${result.accepted} demande(s) acceptée(s), ${result.rejected} rejetée(s)`;
  const lines: string[] = ['Bonjour,', ''];
  if (result.outcome === 'refus' || result.outcome === 'rejet-technique') {
    lines.push(
      result.outcome === 'refus'
        ? `Le fichier ${result.fileName} déposé n'a pas été traité ; aucune demande n'a été examinée :`
        : `Le contrôle du fichier ${result.fileName} n'a pas pu aboutir ; aucune demande n'a été examinée :`,
    );
    for (const error of result.fileErrors) lines.push(`  - [${error.code}] ${error.message}`);
  } else if (result.status === 'rejected') {
    lines.push(
      `Le fichier ${result.fileName} (${result.type}) a été rejeté au contrôle de sa structure ; aucune demande n'a été examinée :`,
    );
    for (const error of result.fileErrors) lines.push(`  - [${error.code}] ${error.message}`);
  } else {
    lines.push(
      `Le fichier ${result.fileName} (${result.type}, ${result.profile ?? 'profil inconnu'}) a été contrôlé : ${result.accepted} demande(s) acceptée(s), ${result.rejected} rejetée(s).`,
    );
    const rejected = result.lines.filter((line) => line.codeTraitement !== '0000');
    if (rejected.length > 0) {
      lines.push('', 'Demandes rejetées :');
      for (const line of rejected.slice(0, LISTED_REJECTIONS))
        lines.push(`  - [${line.codeTraitement}] ${line.libelleTraitement}`);
      if (rejected.length > LISTED_REJECTIONS)
        lines.push(`  … et ${rejected.length - LISTED_REJECTIONS} autre(s), détaillées dans le rapport.`);
      lines.push('', 'Une demande rejetée se soumet à nouveau, corrigée, avec un nouveau numéro éditeur.');
    }
  }
  if (result.outputs.reportHtml === result.outputs.reportJson) {
    lines.push('', `Retrouvez le détail : ${result.outputs.reportJson}`);
  } else {
    lines.push('', 'Retrouvez le fichier annoté et les rapports complets :');
    if (result.outputs.annotated) lines.push(`  - fichier annoté : ${result.outputs.annotated}`);
    lines.push(
      `  - rapport (page) : ${result.outputs.reportHtml}`,
      `  - rapport (JSON) : ${result.outputs.reportJson}`,
    );
  }
  lines.push(
    '',
    `Référence de la soumission : ${result.submissionId}`,
    '',
    'Ce message est envoyé automatiquement.',
  );
  // Well-formed whatever the deposit held: SNS URL-encodes the body, and a lone surrogate throws there.
  return { subject: asciiSubject(subject), body: toWellFormedText(`${lines.join('\n')}\n`) };
}

/** SNS takes an ASCII subject of fewer than 100 characters: accents dropped, dashes plain. */
export function asciiSubject(text: string): string {
  const ascii = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
  return ascii.length < 100 ? ascii : `${ascii.slice(0, 96)}...`;
}
