import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../config/resources';
import type { AvanceStatut } from '../domain/referentiel';
import type {
  Arrival,
  AvanceLineClaim,
  ClaimOwner,
  EditeurScope,
  JudgementDone,
  StateStore,
  SubmissionRecord,
} from '../pipeline/ports';
import { DynamoAvanceLedger } from './state/dynamo-avance-ledger';
import { DynamoJudgementLeases } from './state/dynamo-judgement-leases';
import { DynamoRegistry } from './state/dynamo-registry';
import { DynamoSubmissions } from './state/dynamo-submissions';
import { DynamoWaitingList } from './state/dynamo-waiting-list';
import { StateTable } from './state/state-table';

/**
 * The pipeline's state in one DynamoDB table (pk/sk), each part in its own module (state/):
 * - SUB#<id> / META: the submission (its JSON, status, first arrival, content version; in the
 *   `pending` index while waiting, in the `par-jour` index from its first arrival), and the lease of
 *   its outputs' writer (`dynamo-submissions.ts`, `dynamo-judgement-leases.ts`);
 * - SUB#<id> / ZIP#<name>: each zip that arrived;
 * - SUB#<id> / JUDGEMENT#<fingerprint>: the claim on one judgement of one content (a lease);
 * - SUB#<id> / OUTCOME#<digest>: each result published, for the operators (`dynamo-deposit-journal.ts`);
 * - <registry> / <key>: a key of a registry (numeroEditeur of a software, avance closed, FINESS
 *   paid) and the submission that holds it, taken by a conditional write; an avance line's claim
 *   also holds its numeroASP (`line: 2`), so that a judged line costs one write (`dynamo-registry.ts`);
 * - ASPNUM#<siret>#<numeroAns> / <numeroEditeur>: the numeroASP of claims written before numbers
 *   lived in them (read only for such claims, never written any more);
 * - SEQ#<name> / SEQ: atomic counters (numeroASP per couloir, impId);
 * - AVANCE#<numeroASP> / AVANCE: the accepted avances' facts, for the solde checks, written in
 *   batches; AVANCE#<numeroASP> / STATUT: the status operators set (`dynamo-avance-ledger.ts`).
 * Every decision of uniqueness is a conditional write at the moment of the decision, never a read
 * then a write; every batch read retries what DynamoDB leaves unprocessed; every query paginates.
 *
 * This class is the whole store, for the judge (which uses every part) and the tests; the other
 * functions build only the parts they use (lambdas/common/pipeline-deps.ts).
 */
export class DynamoStateStore implements StateStore {
  private readonly submissions: DynamoSubmissions;
  private readonly waiting: DynamoWaitingList;
  private readonly leases: DynamoJudgementLeases;
  private readonly registry: DynamoRegistry;
  private readonly ledger: DynamoAvanceLedger;

  constructor(client: DynamoDBClient, tableName: string = TABLE.name) {
    const table = new StateTable(client, tableName);
    this.submissions = new DynamoSubmissions(table);
    this.waiting = new DynamoWaitingList(table);
    this.leases = new DynamoJudgementLeases(table);
    this.registry = new DynamoRegistry(table);
    this.ledger = new DynamoAvanceLedger(table);
  }

  recordArrival = (arrival: Arrival, before?: SubmissionRecord | null) =>
    this.submissions.recordArrival(arrival, before);
  getSubmission = (id: string) => this.submissions.getSubmission(id);
  completeJudgement = (id: string, fingerprint: string, done: JudgementDone) =>
    this.submissions.completeJudgement(id, fingerprint, done);
  setWaitingReason = (id: string, reason: string | undefined) =>
    this.submissions.setWaitingReason(id, reason);
  markNotified = (id: string, at: string) => this.submissions.markNotified(id, at);

  listWaiting = (before: string) => this.waiting.listWaiting(before);

  claimJudgement = (id: string, fingerprint: string, now: Date, leaseSeconds: number) =>
    this.leases.claimJudgement(id, fingerprint, now, leaseSeconds);
  releaseJudgement = (id: string, fingerprint: string) => this.leases.releaseJudgement(id, fingerprint);
  lockOutputs = (id: string, owner: string, lease: { now: Date; seconds: number; version: number }) =>
    this.leases.lockOutputs(id, owner, lease);
  unlockOutputs = (id: string, owner: string) => this.leases.unlockOutputs(id, owner);

  registryOwners = (registry: string, keys: readonly string[]) =>
    this.registry.registryOwners(registry, keys);
  registryAll = (registry: string) => this.registry.registryAll(registry);
  claim = (registry: string, keys: readonly string[], owner: ClaimOwner) =>
    this.registry.claim(registry, keys, owner);
  release = (registry: string, keys: readonly string[], owner: ClaimOwner) =>
    this.registry.release(registry, keys, owner);
  claimAvanceLines = (
    scope: EditeurScope,
    couloir: string,
    lines: readonly AvanceLineClaim[],
    owner: ClaimOwner,
    known?: ReadonlyMap<string, string>,
  ) => this.registry.claimAvanceLines(scope, couloir, lines, owner, known);
  legacyNumerosAsp = (scope: EditeurScope, numerosEditeur: readonly string[]) =>
    this.registry.legacyNumerosAsp(scope, numerosEditeur);
  nextImpId = () => this.registry.nextImpId();

  findAvances = (numerosASP: readonly string[]) => this.ledger.findAvances(numerosASP);
  setAvanceStatus = (numeroASP: string, statut: AvanceStatut) =>
    this.ledger.setAvanceStatus(numeroASP, statut);
}
