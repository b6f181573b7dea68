import type { SubmissionStory } from '../shared/adapters/dynamo-deposit-journal';
import { printable } from '../shared/domain/printable';
import { frenchDateTime } from '../shared/domain/reports';
import type { OutcomeRecord } from '../shared/pipeline/outcome-record';

/**
 * The operators' view of deposits (`lister-soumissions`, `montrer-soumission`): one row per
 * submission from its story, the filters, and the French text. No I/O here.
 */
export const DEPOSIT_STATUSES = {
  'en-attente': 'en attente',
  traitee: 'traitée',
  rejetee: 'rejetée (contrôle 1)',
  refusee: 'refusée',
  'rejet-technique': 'rejet technique',
  jugee: 'jugée (courriel à venir)',
} as const;
export type DepositStatus = keyof typeof DEPOSIT_STATUSES;

export interface DepositRow {
  readonly id: string;
  readonly siret: string;
  readonly type: 'avance' | 'solde' | null;
  /** The first arrival, or for a refused key that never became a submission, its refusal. */
  readonly at: string;
  readonly status: DepositStatus;
  readonly waitingReason?: string;
  readonly profile: string | null;
  readonly accepted: number | null;
  readonly rejected: number | null;
  /** Codes of the file's own outcomes: control 1 errors, refusals (1052…), technical rejections. */
  readonly codes: readonly string[];
  readonly numerosAsp: { readonly first: string; readonly last: string; readonly count: number } | null;
  readonly files: readonly string[];
  /** Keys of the returns under retour/ (annotated file, reports, refusals). */
  readonly returns: readonly string[];
}

export function depositRow(story: SubmissionStory): DepositRow {
  const { submission, outcomes } = story;
  // The verdict is the last judgement or technical rejection; a later refusal (a re-sent file) leaves it standing.
  const verdict = [...outcomes].reverse().find((outcome) => outcome.outcome !== 'refus');
  const first = outcomes[0];
  const numbers = (verdict?.numbered ?? []).map((line) => line.numeroASP).sort();
  return {
    id: story.id,
    siret: submission?.siret ?? first?.siret ?? '',
    type: submission?.type ?? first?.type ?? null,
    at: submission?.firstArrivalAt ?? first?.publishedAt ?? '',
    status: statusOf(story, verdict),
    ...(submission?.waitingReason ? { waitingReason: submission.waitingReason } : {}),
    profile: verdict?.profile ?? null,
    // Counted only when control 2 ran: a file rejected at control 1 has no line judged.
    accepted: verdict?.outcome === 'jugement' && verdict.status === 'processed' ? verdict.accepted : null,
    rejected: verdict?.outcome === 'jugement' && verdict.status === 'processed' ? verdict.rejected : null,
    codes: [...new Set(outcomes.flatMap((outcome) => outcome.fileCodes))],
    numerosAsp:
      numbers.length > 0
        ? { first: numbers[0] as string, last: numbers[numbers.length - 1] as string, count: numbers.length }
        : null,
    files: story.arrivals.map((arrival) => baseName(arrival.ref.key)),
    returns: [
      ...new Set(
        [...(verdict ? [verdict] : []), ...outcomes.filter((outcome) => outcome.outcome === 'refus')]
          .flatMap((outcome) => [
            outcome.outputs.annotated,
            outcome.outputs.reportHtml,
            outcome.outputs.reportJson,
          ])
          .filter((uri): uri is string => uri !== null)
          .map(keyOf),
      ),
    ],
  };
}

function statusOf(story: SubmissionStory, verdict: OutcomeRecord | undefined): DepositStatus {
  if (story.submission?.status === 'waiting') return 'en-attente';
  if (verdict?.outcome === 'rejet-technique') return 'rejet-technique';
  if (verdict) return verdict.status === 'processed' ? 'traitee' : 'rejetee';
  if (story.outcomes.length > 0) return 'refusee';
  return 'jugee';
}

export interface DepositFilter {
  readonly status?: DepositStatus;
  /** MDV-LGC matches MDV-LGC-avance: a profile's name with or without its type. */
  readonly profile?: string;
}

export function matchesFilter(row: DepositRow, filter: DepositFilter): boolean {
  if (filter.status && row.status !== filter.status) return false;
  if (filter.profile && !(row.profile ?? '').toUpperCase().startsWith(filter.profile.toUpperCase()))
    return false;
  return true;
}

/** The listing for people: one block per submission, times in Paris. */
export function depositTable(rows: readonly DepositRow[]): string {
  return rows
    .map((row) => {
      const counts = row.accepted === null ? '' : `  ${row.accepted} acceptée(s), ${row.rejected} rejetée(s)`;
      const numbers = row.numerosAsp
        ? `  n° ASP ${row.numerosAsp.first}${row.numerosAsp.count > 1 ? ` → ${row.numerosAsp.last} (${row.numerosAsp.count})` : ''}`
        : '';
      const status = `${DEPOSIT_STATUSES[row.status]}${row.waitingReason ? ` (${printable(row.waitingReason, 200)})` : ''}`;
      return [
        `${shortDateTime(row.at)}  ${printable(row.id, 200)}  ${status}${row.profile ? `  ${row.profile}` : ''}${counts}${numbers}`,
        ...(row.codes.length > 0 ? [`    codes : ${row.codes.join(', ')}`] : []),
        ...(row.files.length > 0
          ? [`    fichiers : ${row.files.map((name) => printable(name, 120)).join(', ')}`]
          : []),
        ...(row.returns.length > 0
          ? [`    retours : ${row.returns.map((key) => printable(key, 200)).join(', ')}`]
          : []),
      ].join('\n');
    })
    .join('\n');
}

/** One submission's whole story, for `montrer-soumission`. */
export function storyText(story: SubmissionStory): string {
  const { submission } = story;
  const lines = [`Soumission ${printable(story.id, 200)}`];
  if (submission) {
    lines.push(
      `  SIRET ${submission.siret}, ${submission.type}, première arrivée le ${frenchDateTime(submission.firstArrivalAt)}`,
      `  état : ${submission.status === 'waiting' ? `en attente${submission.waitingReason ? ` (${printable(submission.waitingReason, 200)})` : ''}` : 'jugée'}${submission.judgedAt ? `, dernier jugement le ${frenchDateTime(submission.judgedAt)}` : ''}${submission.impId ? `, impId ${submission.impId}` : ''}`,
    );
  } else {
    lines.push('  aucun fichier enregistré sous ce nom (un dépôt refusé avant toute soumission)');
  }
  lines.push('Arrivées :');
  for (const arrival of story.arrivals) {
    const version = arrival.ref.versionId ? `version ${arrival.ref.versionId}` : `ETag ${arrival.ref.etag}`;
    lines.push(
      `  ${arrival.at ? `${frenchDateTime(arrival.at)}  ` : ''}${printable(arrival.ref.key, 200)}  (${version}, ${arrival.ref.size} octets)`,
    );
  }
  if (story.arrivals.length === 0) lines.push('  aucune');
  const judged = submission?.judgedContent;
  if (judged?.json)
    lines.push(
      `Contenu jugé : ${printable(judged.json.key, 200)} (${judged.json.versionId ? `version ${judged.json.versionId}` : `ETag ${judged.json.etag}`})`,
    );
  if (submission?.missingDocuments?.length)
    lines.push(
      `Pièces manquantes au dernier jugement : ${submission.missingDocuments.map((name) => printable(name, 120)).join(', ')}`,
    );
  lines.push('Jugements :');
  for (const judgement of story.judgements)
    lines.push(
      `  ${judgement.claim}  ${judgement.status === 'done' ? 'terminé' : `en cours${judgement.until ? ` (bail jusqu'au ${frenchDateTime(judgement.until)})` : ''}`}`,
    );
  if (story.judgements.length === 0) lines.push('  aucun');
  lines.push('Résultats publiés (un courriel chacun) :');
  for (const outcome of story.outcomes) lines.push(...outcomeLines(outcome));
  if (story.outcomes.length === 0) lines.push('  aucun');
  return `${lines.join('\n')}\n`;
}

function outcomeLines(outcome: OutcomeRecord): string[] {
  const kind =
    outcome.outcome === 'refus'
      ? 'refus'
      : outcome.outcome === 'rejet-technique'
        ? 'rejet technique'
        : outcome.status === 'processed'
          ? `jugement : ${outcome.accepted} acceptée(s), ${outcome.rejected} rejetée(s)`
          : 'jugement : fichier rejeté au contrôle 1';
  return [
    `  ${frenchDateTime(outcome.publishedAt)}  ${kind}${outcome.profile ? ` (${outcome.profile})` : ''}${outcome.fileCodes.length > 0 ? `, codes ${outcome.fileCodes.join(', ')}` : ''}`,
    ...outcome.numbered.map(
      (line) =>
        `    ligne ${line.numLigne} (n° éditeur ${printable(line.numeroEditeur ?? '—', 40)}) : ${line.numeroASP}`,
    ),
    ...[outcome.outputs.annotated, outcome.outputs.reportHtml, outcome.outputs.reportJson]
      .filter((uri, index, all): uri is string => uri !== null && all.indexOf(uri) === index)
      .map((uri) => `    retour : ${printable(keyOf(uri), 200)}`),
  ];
}

/** 03/12/2026 10:42, Paris time. */
function shortDateTime(iso: string): string {
  const full = frenchDateTime(iso);
  const match = /^(\d\d\/\d\d\/\d{4}) à (\d\d) h (\d\d)/.exec(full);
  return match ? `${match[1]} ${match[2]}:${match[3]}` : full;
}

/** s3://bucket/retour/… → retour/… (what the vendor and the operators see in the bucket). */
function keyOf(uri: string): string {
  const match = /^s3:\/\/[^/]+\/(.*)$/.exec(uri);
  return match ? (match[1] as string) : uri;
}

function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
