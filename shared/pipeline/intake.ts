import { ZipArchive } from '../adapters/zip/zip-archive';
import { PREFIXES } from '../config/resources';
import { depositFacts } from '../domain/deposit-facts';
import { DEFAULT_LIMITS, parseJsonDocument } from '../domain/json/json-document';
import type { Logger } from '../observability/logger';
import type { ObjectStore, StateStore, SubmissionRecord, WorkQueues } from './ports';
import { decodeS3Key, parseDepositKey } from './submission-key';

/** The part of an S3 event record the intake needs (AWS's shape, keys URL-encoded). */
export interface S3ObjectEvent {
  readonly eventName: string;
  readonly eventTime: string;
  readonly s3: {
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly versionId?: string;
      readonly eTag?: string;
    };
  };
}

export interface IntakeDeps {
  readonly store: StateStore;
  readonly objects: ObjectStore;
  readonly queues: WorkQueues;
  readonly logger: Logger;
}

export type IntakeOutcome = 'ignored' | 'waiting' | 'ready';

/**
 * Records one arrival and decides whether its submission is ready: its JSON is there and every
 * attachment it declares is in its zips (read by their central directories). Duplicate events and
 * any order of arrival end in the same state; the judge makes one judgement per content.
 */
export async function recordArrival(deps: IntakeDeps, record: S3ObjectEvent): Promise<IntakeOutcome> {
  if (!record.eventName.startsWith('ObjectCreated')) return 'ignored';
  const key = decodeS3Key(record.s3.object.key);
  const parsed = parseDepositKey(key);
  if (!parsed.ok) {
    // Nothing is silently dropped: the vendor finds why beside where the outputs would be.
    const refusal = await writeRefusal(deps, key, parsed.reason, record.eventTime);
    deps.logger.warn('objet déposé hors nomenclature, refusé', { key, reason: parsed.reason, refusal });
    return 'ignored';
  }
  const { submissionId, siret, type, base, kind, name } = parsed.key;
  const submission = await deps.store.recordArrival({
    submissionId,
    siret,
    type,
    base,
    kind,
    name,
    object: {
      key,
      versionId: record.s3.object.versionId,
      size: record.s3.object.size ?? 0,
      etag: record.s3.object.eTag,
    },
    at: record.eventTime,
  });
  const log = deps.logger.child({ submissionId });
  if (!(await isReady(deps, submission))) {
    log.info('arrivée enregistrée, soumission incomplète', { file: name });
    return 'waiting';
  }
  await deps.queues.sendJudgeRequest({ submissionId, reason: 'ready' });
  log.info('soumission prête, jugement demandé', { file: name });
  return 'ready';
}

/** retour/<same path>.refus.json: what was deposited, when, and why it cannot be processed. */
async function writeRefusal(
  deps: IntakeDeps,
  key: string,
  reason: string,
  at: string,
): Promise<string | undefined> {
  if (!key.startsWith(PREFIXES.deposit)) return undefined;
  const relative = key.slice(PREFIXES.deposit.length);
  const refusal = {
    fichier: key,
    deposeLe: at,
    statut: 'refusé',
    motif: `Le fichier n'est pas traité : ${reason}.`,
    aFaire:
      'Déposez le fichier JSON sous depot/<SIRET>/<avance|solde>/JSON-<numeroAns>-<AAAAMMJJ>-<NNN>.json et ses pièces dans <nom du JSON>.zip ou <nom du JSON>-<suffixe>.zip.',
  };
  return deps.objects.putOutput(
    `${PREFIXES.output}${relative}.refus.json`,
    `${JSON.stringify(refusal, null, 2)}\n`,
    'application/json; charset=utf-8',
  );
}

async function isReady(deps: IntakeDeps, submission: SubmissionRecord): Promise<boolean> {
  if (!submission.json) return false;
  // Read within the deposit's limit: a file too big to judge is ready at once (to be refused, 1004).
  const { bytes, totalBytes } = await deps.objects.readCapped(submission.json, DEFAULT_LIMITS.maxBytes);
  const declared = depositFacts(parseJsonDocument(bytes, DEFAULT_LIMITS, totalBytes)).declaredNames;
  if (declared.size === 0) return true;
  const present = new Set<string>();
  for (const zip of Object.values(submission.zips)) {
    const source = await deps.objects.openRange(zip);
    try {
      const archive = await ZipArchive.open(source);
      for (const entry of archive.listing.entries) present.add(entry.baseName);
    } finally {
      await source.close();
    }
  }
  return [...declared].every((name) => present.has(name));
}
