import type { ByteRangeSource } from '../adapters/byte-range-source';
import type { Avance, AvanceStatut, Referentiel } from '../domain/referentiel';
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
}

/** The first bytes of an object, at most the limit + 1, and the object's real size. */
export interface CappedBytes {
  readonly bytes: Uint8Array;
  readonly totalBytes: number;
}

export interface ObjectStore {
  /** Reads at most `maxBytes` + 1 bytes: a deposit over the limit is refused without being read. */
  readCapped(ref: StoredObjectRef, maxBytes: number): Promise<CappedBytes>;
  openRange(ref: StoredObjectRef): Promise<ByteRangeSource>;
  putOutput(key: string, body: string, contentType: string): Promise<string>;
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

export interface StateStore {
  recordArrival(arrival: Arrival): Promise<SubmissionRecord>;
  getSubmission(id: string): Promise<SubmissionRecord | undefined>;
  /** Submissions not judged whose first file arrived before `before` (ISO). */
  listWaiting(before: string): Promise<string[]>;
  listSubmissions(): Promise<SubmissionRecord[]>;
  /**
   * True for the first caller only: one judgement per submission content. The claim is a lease, so
   * that a judge that died mid-way does not block the retry for ever.
   */
  claimJudgement(id: string, fingerprint: string, now: Date, leaseSeconds: number): Promise<boolean>;
  /** The judgement is done: the claim stays, and the submission leaves the waiting list. */
  completeJudgement(id: string, fingerprint: string): Promise<void>;
  /** The judgement failed (a fault): the next try may claim it again. */
  releaseJudgement(id: string, fingerprint: string): Promise<void>;
  /**
   * numeroEditeur already used by the vendor for this software (numeroAns) and type → the
   * submission that used it. Each software numbers its requests from 00001 (seeds, section 3.2).
   */
  usedNumerosEditeur(scope: EditeurScope): Promise<Map<string, string>>;
  markNumerosEditeur(scope: EditeurScope, numeros: readonly string[], submissionId: string): Promise<void>;
  /** The numeroASP of each request (by numeroEditeur): the same one every time it is asked again. */
  numerosAspFor(
    scope: EditeurScope,
    numerosEditeur: readonly string[],
    couloir: string,
  ): Promise<Map<string, string>>;
  nextImpId(): Promise<string>;
  recordAvances(avances: readonly Avance[]): Promise<void>;
  findAvances(numerosASP: readonly string[]): Promise<Avance[]>;
  setAvanceStatus(numeroASP: string, statut: AvanceStatut): Promise<boolean>;
}

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
  load(): Promise<Referentiel | undefined>;
}
