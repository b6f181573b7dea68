import { ZipArchive } from '../adapters/zip/zip-archive';
import { PREFIXES } from '../config/resources';
import { depositFacts } from '../domain/deposit-facts';
import { DEFAULT_LIMITS, parseJsonDocument } from '../domain/json/json-document';
import { frenchDateTime } from '../domain/reports';
import { SourceReadError } from '../errors';
import type { Logger } from '../observability/logger';
import type { ArrivalMemo } from './arrival-memo';
import {
  contentEtag,
  type ObjectStore,
  type StoredObjectRef,
  type SubmissionRecord,
  type SubmissionStore,
  type WorkQueues,
} from './ports';
import { type RefusalSubject, refuse } from './refusal';
import { contentToJudge } from './submission-content';
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
      /** S3's order of the events of one key (hexadecimal, compared once padded to one length). */
      readonly sequencer?: string;
    };
  };
}

export interface IntakeDeps {
  readonly store: SubmissionStore;
  readonly objects: ObjectStore;
  readonly queues: WorkQueues;
  readonly logger: Logger;
  /** Names already read from these very bytes by an earlier arrival (the function's, while warm). */
  readonly memo?: ArrivalMemo;
}

export type IntakeOutcome = 'ignored' | 'refused' | 'waiting' | 'ready';

/**
 * Records one arrival and decides whether its submission is ready: its JSON is there and every
 * attachment it declares is in its zips (read by their central directories). Duplicate events and
 * any order of arrival end in the same state; the judge makes one judgement per content.
 */
export async function recordArrival(deps: IntakeDeps, record: S3ObjectEvent): Promise<IntakeOutcome> {
  if (!record.eventName.startsWith('ObjectCreated')) return 'ignored';
  const key = decodeS3Key(record.s3.object.key);
  const unsafe = unsafeCharacter(key);
  const parsed = unsafe
    ? {
        ok: false as const,
        reason: `son nom contient un caractère que la plateforme ne peut pas transmettre (${unsafe})`,
      }
    : parseDepositKey(key);
  if (!parsed.ok) {
    // Nothing is silently dropped: the vendor finds why beside where the outputs would be, and by email.
    const result = await refuse(
      deps,
      refusalSubject(key),
      { code: '1050', params: { fichier: fileNameOf(key), raison: parsed.reason } },
      record.eventTime,
    );
    deps.logger.warn('objet déposé hors nomenclature, refusé', {
      key,
      reason: parsed.reason,
      refusal: result.outputs.reportJson,
    });
    return 'refused';
  }
  const { submissionId, siret, type, base, kind, name } = parsed.key;
  const object: StoredObjectRef = {
    key,
    versionId: record.s3.object.versionId,
    size: record.s3.object.size ?? 0,
    etag: record.s3.object.eTag,
  };
  const log = deps.logger.child({ submissionId });
  // A zip's arrival reads its submission once: for the check below, and for its recording.
  const before = kind === 'zip' ? ((await deps.store.getSubmission(submissionId)) ?? null) : undefined;
  if (before !== undefined) {
    const late = await lateZipWithoutMissingDocuments(deps, before, name, object);
    if (late) {
      await refuse(
        deps,
        refusalSubject(key),
        {
          code: '1053',
          params: {
            fichier: name,
            date: frenchDateTime(late.judgedAt),
            manquantes: late.missing.length > 0 ? late.missing.join(', ') : 'aucune',
          },
        },
        record.eventTime,
      );
      log.warn('zip arrivé après le jugement sans pièce manquante : refusé', { file: name });
      return 'refused';
    }
  }
  const { submission, effect } = await deps.store.recordArrival(
    {
      submissionId,
      siret,
      type,
      base,
      kind,
      name,
      object,
      at: record.eventTime,
      order: arrivalOrder(record),
    },
    before,
  );
  if (effect === 'replaced-after-judgement') {
    // An event is a claim about the store: one whose object is not there (a stale or forged
    // eTag) is no upload, and the judged deposit stays untouched without a word to the vendor.
    if (!(await describesStoredObject(deps, object))) {
      log.warn('événement sans objet correspondant dans le dépôt : ignoré', {
        file: name,
        etag: object.etag,
      });
      return 'ignored';
    }
    // The first judgement stands; the vendor is told to send the correction under a new number.
    await refuse(
      deps,
      refusalSubject(key),
      {
        code: '1052',
        params: { fichier: name, date: frenchDateTime(submission.judgedAt ?? record.eventTime) },
      },
      record.eventTime,
    );
    log.warn('fichier déjà jugé remplacé : refusé, le premier jugement reste', { file: name });
    return 'refused';
  }
  if (submission.status === 'judged') {
    // The same object again (a duplicate event, the same bytes uploaded twice): already judged.
    log.info('arrivée déjà jugée, rien à refaire', { file: name });
    return 'waiting';
  }
  if (!(await isReady(deps, submission))) {
    log.info('arrivée enregistrée, soumission incomplète', { file: name });
    return 'waiting';
  }
  await deps.queues.sendJudgeRequest({ submissionId, reason: 'ready' });
  log.info('soumission prête, jugement demandé', { file: name });
  return 'ready';
}

/** S3 says to compare sequencers as strings once padded to the same length. */
function arrivalOrder(record: S3ObjectEvent): string {
  const { sequencer, versionId, eTag } = record.s3.object;
  if (sequencer) return `S#${sequencer.toUpperCase().padStart(32, '0')}`;
  return `T#${record.eventTime}#${versionId ?? eTag ?? ''}`;
}

/**
 * Characters SQS cannot carry in a message (its allowed set is #x9 #xA #xD #x20–#xD7FF
 * #xE000–#xFFFD #x10000–#x10FFFF): a key holding one could never reach the judge or the sweeper.
 */
function unsafeCharacter(key: string): string | undefined {
  const match =
    // biome-ignore lint/suspicious/noControlCharactersInRegex: SQS's forbidden characters are these.
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(
      key,
    );
  return match
    ? `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
    : undefined;
}

/** What can be said of a refused key's place: its SIRET and type folders when they are well-formed. */
function refusalSubject(key: string): RefusalSubject {
  const inDeposit = key.startsWith(PREFIXES.deposit);
  const parts = inDeposit ? key.slice(PREFIXES.deposit.length).split('/') : [];
  const siret = /^\d{14}$/.test(parts[0] ?? '') ? (parts[0] as string) : '';
  const type = parts[1] === 'avance' || parts[1] === 'solde' ? parts[1] : null;
  return {
    key,
    submissionId: inDeposit ? key.slice(PREFIXES.deposit.length) : key,
    siret,
    type,
    fileName: fileNameOf(key),
  };
}

function fileNameOf(key: string): string {
  return key.split('/').pop() || key;
}

async function isReady(deps: IntakeDeps, submission: SubmissionRecord): Promise<boolean> {
  const content = contentToJudge(submission);
  if (!content.json) return false;
  const declared = await declaredNames(deps, content.json);
  if (declared.size === 0) return true;
  const present = new Set<string>();
  for (const zip of Object.values(content.zips))
    for (const name of await entryNames(deps, zip)) present.add(name);
  return [...declared].every((name) => present.has(name));
}

/** The attachment names the JSON declares: none for a file that does not parse. */
async function declaredNames(deps: IntakeDeps, json: StoredObjectRef): Promise<ReadonlySet<string>> {
  const known = deps.memo?.namesOf(json);
  if (known) return known;
  // Read within the deposit's limit: a file too big to judge is ready at once (to be refused, 1004).
  const { bytes, totalBytes, etag } = await deps.objects.readCapped(json, DEFAULT_LIMITS.maxBytes);
  const declared = depositFacts(parseJsonDocument(bytes, DEFAULT_LIMITS, totalBytes)).declaredNames;
  deps.memo?.remember(json.key, etag, declared);
  return declared;
}

/** The base names of the documents a zip holds, by its central directory. */
async function entryNames(deps: IntakeDeps, zip: StoredObjectRef): Promise<ReadonlySet<string>> {
  const known = deps.memo?.namesOf(zip);
  if (known) return known;
  const source = await deps.objects.openRange(zip);
  let names: ReadonlySet<string>;
  try {
    const archive = await ZipArchive.open(source);
    names = new Set(archive.listing.entries.map((entry) => entry.baseName));
  } catch (error) {
    // A read that failed is a fault (retried); a zip that cannot be read brings nothing, and the
    // judgement says why (3011…).
    if (error instanceof SourceReadError) throw error;
    names = new Set();
  } finally {
    await source.close();
  }
  deps.memo?.remember(zip.key, source.etag, names);
  return names;
}

/**
 * After a judgement, a zip under a new name is taken only to complete the submission: it must bring
 * one of the documents the judgement found missing (« demandes incomplètes »). A zip under a judged
 * name is the store's to answer (a replacement). Undefined: the zip is taken.
 */
async function lateZipWithoutMissingDocuments(
  deps: IntakeDeps,
  submission: SubmissionRecord | null,
  name: string,
  zip: StoredObjectRef,
): Promise<{ judgedAt: string; missing: readonly string[] } | undefined> {
  const judged = submission?.judgedContent;
  if (!submission || !judged || name in judged.zips) return undefined;
  if (submission.zipOrders?.[name] !== undefined) return undefined;
  const missing = submission.missingDocuments ?? [];
  const brought = await entryNames(deps, zip);
  if (missing.some((document) => brought.has(document))) return undefined;
  return { judgedAt: submission.judgedAt ?? '', missing };
}

/** Whether the store holds the object an event describes (its version, else its bytes' ETag). */
async function describesStoredObject(deps: IntakeDeps, object: StoredObjectRef): Promise<boolean> {
  const stored = await deps.objects.describe(object);
  if (!stored) return false;
  if (object.versionId) return true;
  return object.etag === undefined || contentEtag(object) === stored.etag;
}
