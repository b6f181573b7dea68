import type { ByteRangeSource } from '../adapters/byte-range-source';
import type { Avance, AvanceStatut, Referentiel } from '../domain/referentiel';
import type { OutputLinks } from './notification-email';
import type { OutcomeRecord } from './outcome-record';
import type { ResultMessage } from './result-message';

/**
 * What the pipeline needs from the outside, as small interfaces: the AWS adapters implement them,
 * and so do the embedded stack's (same adapters, other endpoints) and the tests' fakes.
 */
export interface StoredObjectRef {
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
  readonly etag?: string;
  /**
   * Where the judged bytes are kept when the store has no versions (the embedded S3): a copy taken
   * before judging, so that a later upload under the same key never changes what was judged.
   */
  readonly frozenKey?: string;
}

/** What an object under a key is now, from the store itself (not from an event). */
export interface ObjectState {
  readonly etag?: string;
  readonly versionId?: string;
  readonly size: number;
}

/** The first bytes of an object, at most the limit + 1, and the object's real size. */
export interface CappedBytes {
  readonly bytes: Uint8Array;
  readonly totalBytes: number;
  /** The ETag of the bytes read, as the store answered the read (when it says). */
  readonly etag?: string;
}

/** An object's content identity: its ETag (MD5 of the bytes for a simple upload), else version and size. */
export function contentEtag(ref: StoredObjectRef): string {
  return ref.etag?.replace(/"/g, '') ?? `${ref.versionId ?? ''}:${ref.size}`;
}

export interface ObjectStore {
  /** Reads at most `maxBytes` + 1 bytes: a deposit over the limit is refused without being read. */
  readCapped(ref: StoredObjectRef, maxBytes: number): Promise<CappedBytes>;
  openRange(ref: StoredObjectRef): Promise<ByteRangeSource>;
  putOutput(key: string, body: string, contentType: string): Promise<string>;
  /** The object as the store has it now (at the ref's version when it names one); undefined if gone. */
  describe(ref: StoredObjectRef): Promise<ObjectState | undefined>;
  /**
   * Makes sure the ref's bytes outlive a later upload under its key: a versioned store keeps them
   * (the ref is returned as is); otherwise they are copied aside and the ref names the copy. Undefined
   * when the key no longer holds the ref's content (a newer upload replaced it before the judgement).
   */
  freeze(ref: StoredObjectRef): Promise<StoredObjectRef | undefined>;
}

/** The exact objects a judgement gave its verdict on, with each zip's arrival order. */
export interface JudgedContent {
  readonly json?: StoredObjectRef;
  readonly zips: Readonly<Record<string, StoredObjectRef>>;
  readonly zipOrders: Readonly<Record<string, string>>;
}

export interface SubmissionRecord {
  readonly id: string;
  readonly siret: string;
  readonly type: 'avance' | 'solde';
  readonly base: string;
  readonly json?: StoredObjectRef;
  readonly zips: Readonly<Record<string, StoredObjectRef>>;
  readonly firstArrivalAt: string;
  readonly judgedFingerprint?: string;
  readonly status: 'waiting' | 'judged';
  /** Grows with every change of content (a newer JSON, a zip): a judgement completes only for its own. */
  readonly version: number;
  /** The ETag of the JSON a judgement gave a verdict on: a different JSON under the same name is refused. */
  readonly judgedEtag?: string;
  /** When the last judgement completed (ISO). */
  readonly judgedAt?: string;
  /** The order (S3 sequencer) of the JSON recorded. */
  readonly jsonOrder?: string;
  /** Each zip's arrival order (S3 sequencer), by name. */
  readonly zipOrders?: Readonly<Record<string, string>>;
  /** What the last judgement judged: frozen, never replaced (see `contentToJudge`). */
  readonly judgedContent?: JudgedContent;
  /** Documents the last judgement did not find in the zips: a later zip bringing one completes it. */
  readonly missingDocuments?: readonly string[];
  /** When the email of its last result went out (the embedded mailbox records it). */
  readonly notifiedAt?: string;
  /** The impId its judgement gave the file: a re-judgement (replay, completion) keeps it. */
  readonly impId?: string;
  /** Why a submission waits although it is ready (the référentiel unavailable), for operators and vendors. */
  readonly waitingReason?: string;
}

/** What recording an arrival did. */
export type ArrivalEffect =
  /** The submission holds the new object (and waits for its judgement). */
  | 'recorded'
  /** The same object again, or an older one: nothing changed. */
  | 'unchanged'
  /** A new object (JSON or zip) under a name already judged: refused, the judged one stays. */
  | 'replaced-after-judgement';

export interface ArrivalOutcome {
  readonly submission: SubmissionRecord;
  readonly effect: ArrivalEffect;
}

/** Who holds a claimed key of the registry: the submission and its file, for the messages. */
export interface ClaimOwner {
  readonly submissionId: string;
  readonly fileName: string;
  /** An avance line's numeroASP, kept in its numeroEditeur's claim (one item per line). */
  readonly numeroASP?: string;
  /** Claims written before numbers lived in them: their numeroASP is in the former ASPNUM items. */
  readonly legacy?: boolean;
}

/** An accepted avance's facts, before its numeroASP: what a solde is checked against. */
export type AvanceFacts = Omit<Avance, 'numeroASP' | 'statut'>;

/**
 * An avance line to claim: its numeroEditeur, whether it is accepted (it then gets a numeroASP),
 * and an accepted line's facts, recorded as its avance (AVANCE#<numeroASP>) in the claim's own write.
 */
export interface AvanceLineClaim {
  readonly numeroEditeur: string;
  readonly accepted: boolean;
  readonly avance?: AvanceFacts;
}

export interface AvanceLineClaims {
  /** numeroEditeur held by another submission → its holder (the line is judged again with it known). */
  readonly lost: Map<string, ClaimOwner>;
  /** numeroEditeur → the numeroASP of each accepted line claimed (the same every time it is asked). */
  readonly numerosAsp: Map<string, string>;
  /** numeroEditeur of the lines whose numeroASP this very call gave (never given before). */
  readonly givenNow: Set<string>;
}

export interface Arrival {
  readonly submissionId: string;
  readonly siret: string;
  readonly type: 'avance' | 'solde';
  readonly base: string;
  readonly kind: 'json' | 'zip';
  readonly name: string;
  readonly object: StoredObjectRef;
  readonly at: string;
  /**
   * The arrival's place in the object's history, comparable as a string: from the S3 event's
   * `sequencer` (S3's own order for one key), else its time and version.
   */
  readonly order: string;
}

/**
 * The pipeline's state, in parts by use (each implemented over the same table by its own module,
 * shared/adapters/state/): a function asks only for the parts it uses.
 */
export type StateStore = SubmissionStore & WaitingList & JudgementLeases & Registry & AvanceLedger;

/** Submissions: what arrived, why one waits, the end of its judgement. */
export interface SubmissionStore {
  /** `before`: the submission as just read (null: none yet), so that a zip's arrival reads it once. */
  recordArrival(arrival: Arrival, before?: SubmissionRecord | null): Promise<ArrivalOutcome>;
  getSubmission(id: string): Promise<SubmissionRecord | undefined>;
  /**
   * The judgement of content `version` is done: the submission leaves the waiting list. False, and
   * nothing written, when the submission holds newer content than the one judged.
   */
  completeJudgement(id: string, fingerprint: string, done: JudgementDone): Promise<boolean>;
  /** Says why a ready submission is not judged yet (undefined clears it); it stays on the waiting list. */
  setWaitingReason(id: string, reason: string | undefined): Promise<void>;
  /** Its email went out at `at` (ISO); nothing for an id that is no submission (a refused key). */
  markNotified(id: string, at: string): Promise<void>;
}

/** The sweeper's: submissions waiting for the end of their grace period. */
export interface WaitingList {
  /** Submissions not judged whose first file arrived before `before` (ISO), every page. */
  listWaiting(before: string): Promise<string[]>;
}

/** Leases: one judgement per content, one writer of a submission's outputs at a time. */
export interface JudgementLeases {
  /**
   * True for the first caller only: one judgement per submission content. The claim is a lease, so
   * that a judge that died mid-way does not block the retry for ever.
   */
  claimJudgement(id: string, fingerprint: string, now: Date, leaseSeconds: number): Promise<boolean>;
  /** The judgement failed (a fault): the next try may claim it again. */
  releaseJudgement(id: string, fingerprint: string): Promise<void>;
  /**
   * One writer of a submission's outputs at a time (a lease), and only for the content `version`
   * judged: an older judgement never writes over a newer one's outputs. `busy` while another writer
   * holds it; `changed` when the submission holds newer content (its own judgement writes).
   */
  lockOutputs(
    id: string,
    owner: string,
    lease: { now: Date; seconds: number; version: number },
  ): Promise<'locked' | 'busy' | 'changed'>;
  unlockOutputs(id: string, owner: string): Promise<void>;
}

export interface Registry {
  /**
   * The registry: keys (a numeroEditeur of a software, an avance closed by a solde, a FINESS paid)
   * taken by one submission, each by a conditional write at the moment of the decision.
   * `owners` reads who holds them; `claim` takes them for `owner` and returns those another holds.
   */
  registryOwners(registry: string, keys: readonly string[]): Promise<Map<string, ClaimOwner>>;
  registryAll(registry: string): Promise<Map<string, ClaimOwner>>;
  claim(registry: string, keys: readonly string[], owner: ClaimOwner): Promise<Map<string, ClaimOwner>>;
  /** Gives back keys `owner` holds (a line that lost another of its claims). */
  release(registry: string, keys: readonly string[], owner: ClaimOwner): Promise<void>;
  /**
   * An avance's lines, one write each: every judged line uses up its numeroEditeur (a conditional
   * write), and an accepted line gets its numeroASP in the same item, kept when it has one already
   * (`known`, or written by an earlier judgement of the submission). Numbers come from one atomic
   * increment of the couloir's sequence and are never given twice. An accepted line's avance (its
   * facts) is recorded with its claim, in the same transaction: never one without the other.
   */
  claimAvanceLines(
    scope: EditeurScope,
    couloir: string,
    lines: readonly AvanceLineClaim[],
    owner: ClaimOwner,
    known?: ReadonlyMap<string, string>,
  ): Promise<AvanceLineClaims>;
  /** The numeroASP of claims written before numbers lived in them (a state kept from then). */
  legacyNumerosAsp(scope: EditeurScope, numerosEditeur: readonly string[]): Promise<Map<string, string>>;
  nextImpId(): Promise<string>;
}

/** The accepted avances and their status, for the soldes. */
export interface AvanceLedger {
  findAvances(numerosASP: readonly string[]): Promise<Avance[]>;
  setAvanceStatus(numeroASP: string, statut: AvanceStatut): Promise<boolean>;
}

export interface JudgementDone {
  readonly version: number;
  readonly judgedEtag?: string;
  readonly at?: string;
  /** The objects judged (frozen refs), recorded with the verdict. */
  readonly content?: JudgedContent;
  readonly missingDocuments?: readonly string[];
  readonly impId?: string;
  /** The outputs lock this judge holds (lockOutputs), let go with the completion. */
  readonly writer?: string;
}

/** The registries' names: one per kind of uniqueness the documents ask for. */
export const REGISTRIES = {
  /** Avances: « un nouveau numéro unique doit être généré » after a rejection (seeds 000, 003). */
  numerosEditeur: (scope: EditeurScope) => `EDITEUR#${scope.siret}#${scope.numeroAns}#${scope.type}`,
  /** Soldes: « une et une seule demande de paiement » per avance (seed 004). */
  closedAvances: 'SOLDE#AVANCE',
  /** BIO-LOINC: one payment per instance, i.e. per FINESS géographique of a software (seed 004 §3.1). */
  paidFiness: (siret: string, numeroAns: string) => `SOLDE#FINESS#${siret}#${numeroAns}`,
} as const;

export interface EditeurScope {
  readonly siret: string;
  readonly numeroAns: string;
  readonly type: 'avance' | 'solde';
}

export interface WorkQueues {
  sendJudgeRequest(request: JudgeRequest): Promise<void>;
  sendResult(result: ResultMessage): Promise<void>;
}

export interface JudgeRequest {
  readonly submissionId: string;
  readonly reason: 'ready' | 'grace-period' | 'replay';
}

export interface ReferentielSource {
  /**
   * The référentiel in force. Throws `ReferentielUnavailable` when it is absent, unreadable or
   * invalid: the pipeline never judges without its rules.
   */
  load(): Promise<Referentiel>;
}

/** One outcome's email, as it leaves the pipeline: the vendors' filters match its attributes. */
export interface PublishedResult {
  readonly subject: string;
  readonly text: string;
  /** Left out when too large for the channel: the text says it all. */
  readonly html?: string;
  readonly siret: string;
  readonly submissionId: string;
}

/** Where results go to be read by people (SNS on AWS and in the embedded stack). */
export interface ResultPublisher {
  publish(result: PublishedResult): Promise<void>;
}

/** The operators' index of published results (`outcome-record.ts`): one record per result, written once. */
export interface OutcomeJournal {
  recordOutcome(record: OutcomeRecord): Promise<void>;
}

/** Expiring links to a result's outputs (`s3://bucket/key`), by URI; may be empty. */
export interface OutputLinkSigner {
  sign(uris: ReadonlyArray<string | null>, now: Date): Promise<OutputLinks>;
}
