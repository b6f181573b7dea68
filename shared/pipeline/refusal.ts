import { createHash } from 'node:crypto';
import { PREFIXES } from '../config/resources';
import { type Code, catalogEntry, renderTemplate } from '../domain/catalog';
import type { Params } from '../domain/findings';
import { printable } from '../domain/printable';
import { capitalised } from '../domain/render-finding';
import { unsafeKeyReason } from '../domain/safe-key';
import type { ObjectStore, WorkQueues } from './ports';
import type { Outcome, ResultMessage } from './result-message';

/**
 * The outcome of a deposit that no judgement answers: a file outside the naming scheme, zips whose
 * JSON never came, a key the queues cannot carry. The vendor finds `retour/<same path>.refus.json`
 * beside where the outputs would be, and gets the result message (hence the email) like any other.
 */
export interface RefusalSubject {
  /** The deposited object's key (depot/…), or the submission's JSON key. */
  readonly key: string;
  readonly submissionId: string;
  readonly siret: string;
  readonly type: 'avance' | 'solde' | null;
  readonly fileName: string;
}

export interface RefusalDeps {
  readonly objects: ObjectStore;
  readonly queues: WorkQueues;
}

export async function refuse(
  deps: RefusalDeps,
  subject: RefusalSubject,
  finding: { code: Code; params: Params },
  at: string,
  outcome: Outcome = 'refus',
): Promise<ResultMessage> {
  const entry = catalogEntry(finding.code);
  const message = renderTemplate(entry.message, '', finding.params);
  const refusal = {
    fichier: subject.key,
    deposeLe: at,
    statut: outcome === 'rejet-technique' ? 'rejet technique' : 'refusé',
    code: finding.code,
    motif: capitalised(message),
    aFaire: entry.hint,
  };
  const uri = await deps.objects.putOutput(
    refusalKey(subject.key),
    `${JSON.stringify(refusal, null, 2)}\n`,
    'application/json; charset=utf-8',
  );
  const result: ResultMessage = {
    submissionId: subject.submissionId,
    siret: subject.siret,
    type: subject.type,
    fileName: subject.fileName,
    profile: null,
    status: 'rejected',
    outcome,
    accepted: 0,
    rejected: 0,
    fileErrors: [{ code: finding.code, message: capitalised(message) }],
    lines: [],
    outputs: { annotated: null, reportJson: uri, reportHtml: uri },
  };
  await deps.queues.sendResult(result);
  return result;
}

/**
 * retour/<path under depot/>.refus.json; a key outside depot/ is answered under retour/hors-depot/.
 * A key that cannot stand as a path (`..`, `//`, control characters, a name too long) is answered
 * in its own SIRET's folder (the first one it names), under refus/, with a readable name and a
 * digest of the whole key: never in a folder its `..` would reach.
 */
export function refusalKey(key: string): string {
  const relative = key.startsWith(PREFIXES.deposit)
    ? key.slice(PREFIXES.deposit.length)
    : `hors-depot/${key.replace(/^\/+/, '')}`;
  if (!unsafeKeyReason(relative)) return `${PREFIXES.output}${relative}.refus.json`;
  const first = key.startsWith(PREFIXES.deposit) ? relative.split('/')[0] : undefined;
  const folder = first && /^\d{14}$/.test(first) ? first : 'hors-depot';
  const last = key
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .pop();
  const readable = [...printable(last ?? 'objet').replace(/[\\/]/g, '_')].slice(0, 80).join('');
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `${PREFIXES.output}${folder}/refus/${readable}-${digest}.refus.json`;
}
