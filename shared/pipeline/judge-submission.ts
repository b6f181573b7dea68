import { createHash } from 'node:crypto';
import { PREFIXES, SERVICES } from '../config/resources';
import { annotate } from '../domain/annotate';
import { depositFacts, NUMERO_EDITEUR_PATTERN } from '../domain/deposit-facts';
import {
  DEFAULT_LIMITS,
  type JsonDocument,
  parseJsonDocument,
  sourceTextOf,
} from '../domain/json/json-document';
import { type FileVerdict, judgeParsed } from '../domain/judge-file';
import { parisDay } from '../domain/paris-day';
import { PROFILES } from '../domain/profiles';
import type { Referentiel } from '../domain/referentiel';
import type { ProfileId } from '../domain/rules/line-environment';
import { ReferentielUnavailable } from '../errors';
import { emitMetrics, type Logger } from '../observability/logger';
import { inspectZips } from './inspect-zips';
import {
  type AvanceLedger,
  contentEtag,
  type JudgedContent,
  type JudgeRequest,
  type ObjectStore,
  type ReferentielSource,
  type StateStore,
  type StoredObjectRef,
  type SubmissionRecord,
  type WorkQueues,
} from './ports';
import { refuse } from './refusal';
import {
  avanceLineClaim,
  type ClaimContext,
  claimAvanceLines,
  claimDecisions,
  type History,
  readHistory,
} from './registry-claims';
import { type ResultMessage, resultMessage } from './result-message';
import { contentToJudge } from './submission-content';
import { outputFolder, writeReports } from './write-reports';

export interface JudgeDeps {
  readonly store: StateStore;
  readonly objects: ObjectStore;
  readonly queues: WorkQueues;
  readonly referentiel: ReferentielSource;
  readonly logger: Logger;
  readonly now: () => Date;
  /** How long a claim on a judgement holds before another try may take it over. */
  readonly leaseSeconds: number;
}

/** What a submission's content is: the exact versions of its JSON and zips. Same content, same judgement. */
export function fingerprintOf(submission: SubmissionRecord): string {
  const content = contentToJudge(submission);
  const version = (ref: StoredObjectRef) => `${ref.key}@${ref.versionId ?? ref.etag ?? ''}:${ref.size}`;
  const parts = [
    content.json ? version(content.json) : 'no-json',
    ...Object.values(content.zips).map(version).sort(),
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/**
 * Judges a submission once per content: controls 1 and 2 with the vendor's history and the known
 * avances, the attachments from the zips, numeroASP for accepted avance lines (the same on a
 * re-judgement), then the outputs in retour/ and one result message. Under AWS's delivery (events
 * twice and out of order, judges in parallel): every uniqueness decision is a conditional write,
 * the outputs have one writer at a time, and a judgement whose content was replaced meanwhile is
 * dropped (the newer content has its own judgement).
 */
export async function judgeSubmission(
  deps: JudgeDeps,
  request: JudgeRequest,
): Promise<ResultMessage | undefined> {
  const log = deps.logger.child({ submissionId: request.submissionId, reason: request.reason });
  const submission = await deps.store.getSubmission(request.submissionId);
  if (!submission) {
    log.warn('soumission inconnue');
    return undefined;
  }
  const fingerprint = fingerprintOf(submission);
  const done = { version: submission.version, at: deps.now().toISOString() };
  if (!submission.json) {
    if (request.reason !== 'grace-period') return undefined;
    // Zips whose JSON never came: said in the outputs and by email, then off the waiting list.
    const result = await refuseMissingJson(deps, submission);
    await deps.store.completeJudgement(submission.id, fingerprint, done);
    log.warn('délai écoulé sans fichier JSON', { zips: Object.keys(submission.zips) });
    return result;
  }
  if (request.reason !== 'replay' && submission.judgedFingerprint === fingerprint) {
    // Judged already (a duplicate event or upload put it back in the waiting list): it leaves it again.
    if (submission.status === 'waiting') await deps.store.completeJudgement(submission.id, fingerprint, done);
    log.info('contenu déjà jugé', { fingerprint });
    return undefined;
  }
  // No rules, no verdict: the submission waits (the sweeper asks again) and the operators are alarmed.
  let referentiel: Referentiel;
  try {
    referentiel = await deps.referentiel.load();
  } catch (error) {
    if (!(error instanceof ReferentielUnavailable)) throw error;
    await waitForReferentiel(deps, submission, error);
    log.error('référentiel indisponible : soumission en attente, rien n’est jugé', {
      reason: error.reason,
      error: error.message,
    });
    return undefined;
  }
  // A replay is a judgement of its own: its claim does not collide with the content's.
  const claimKey = request.reason === 'replay' ? `${fingerprint}#${deps.now().toISOString()}` : fingerprint;
  const claimed = await deps.store.claimJudgement(submission.id, claimKey, deps.now(), deps.leaseSeconds);
  if (!claimed) {
    log.info('jugement déjà en cours ou fait pour ce contenu', { fingerprint });
    return undefined;
  }
  const started = Date.now();
  try {
    const result = await judgeClaimed(deps, { submission, referentiel }, fingerprint, claimKey, log);
    if (!result) {
      log.info('contenu remplacé pendant le jugement : résultat abandonné, le plus récent est jugé', {
        fingerprint,
      });
      return undefined;
    }
    emitMetrics(
      SERVICES.judge,
      { profile: result.profile ?? 'indetermine' },
      {
        Submissions: { value: 1, unit: 'Count' },
        LinesAccepted: { value: result.accepted, unit: 'Count' },
        LinesRejected: { value: result.rejected, unit: 'Count' },
        JudgementLatency: { value: Date.now() - started, unit: 'Milliseconds' },
      },
    );
    log.info('soumission jugée', {
      status: result.status,
      accepted: result.accepted,
      rejected: result.rejected,
    });
    return result;
  } catch (error) {
    await releaseJudgement(deps, submission.id, claimKey, log);
    throw error;
  }
}

/** Attempts at giving back a judgement's claim before leaving it to expire. */
const RELEASE_ATTEMPTS = 5;

/**
 * Gives back a judgement's claim, so that the retry may judge at once. Tried again on a fault
 * (throttling): a claim left behind makes every retry of the submission stand aside until its lease
 * ends (twice the judge's timeout), and the message of each such retry is used up meanwhile.
 */
async function releaseJudgement(deps: JudgeDeps, id: string, key: string, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.store.releaseJudgement(id, key);
      return;
    } catch (error) {
      if (attempt >= RELEASE_ATTEMPTS) {
        log.error('réservation du jugement non rendue : elle expirera d’elle-même', {
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/** The verdict, its decisions taken, and the outputs written: undefined when the content changed. */
async function judgeClaimed(
  deps: JudgeDeps,
  input: { submission: SubmissionRecord; referentiel: Referentiel },
  fingerprint: string,
  writer: string,
  log: Logger,
): Promise<ResultMessage | undefined> {
  const { submission } = input;
  const content = await freezeContent(deps.objects, contentToJudge(submission));
  if (!content) {
    // A newer upload took a key before its bytes could be kept: its own arrival brings it here.
    await releaseJudgement(deps, submission.id, writer, log);
    return undefined;
  }
  const json = content.json;
  const { bytes, totalBytes } = await deps.objects.readCapped(json, DEFAULT_LIMITS.maxBytes);
  // Parsed once, within the limits: the facts needed before judging come from the same tree.
  const parsed = parseJsonDocument(bytes, DEFAULT_LIMITS, totalBytes);
  const deposit = depositFacts(parsed);
  const doc = parsed.ok ? parsed.doc : undefined;
  const fileName = `${submission.base}.json`;
  // Each software (numeroAns) numbers its requests from 00001: the scope of a numeroEditeur.
  const scope = { siret: submission.siret, numeroAns: deposit.numeroAns, type: submission.type };
  const claims = { store: deps.store, scope, owner: { submissionId: submission.id, fileName } };
  // Three reads that need only the parsed file, at once: the registry, the avances cited, the zips.
  const [history, referentiel, zipCheck] = await Promise.all([
    readHistory(claims, doc),
    withRecordedAvances(deps.store, input.referentiel, deposit.citedNumerosAsp),
    inspectSubmissionZips(deps.objects, content.zips, deposit.declaredNames),
  ]);
  const present = new Set(
    zipCheck.inspection.listings.flatMap((listing) => listing.entries.map((entry) => entry.baseName)),
  );
  const missing = [...deposit.declaredNames].filter((name) => !present.has(name)).sort();
  if (zipCheck.stats.zipBytesTotal > 0) {
    emitMetrics(SERVICES.judge, {}, { ZipBytesRead: { value: zipCheck.stats.zipBytesRead, unit: 'Bytes' } });
  }
  const judge = () =>
    judgeParsed(parsed, {
      fileName,
      type: submission.type,
      referentiel,
      depositorSiret: submission.siret,
      usedNumerosEditeur: history.usedNumerosEditeur,
      closedAvances: history.closedAvances,
      paidFiness: history.paidFiness,
      depositDay: parisDay(new Date(submission.firstArrivalAt)),
      attachments: zipCheck.checker,
    }).verdict;
  let verdict = judge();
  // A claim lost to a concurrent judgement: judged again with the winner known (2031, 2067, 2069).
  if (await claimDecisions(claims, verdict, doc, history)) {
    verdict = judge();
  }
  // The accepted avances were recorded with their claims (one transaction): nothing more to write.
  const numeroAspByLine = await giveNumerosAsp(claims, verdict, doc, history);
  const judgedContent: JudgedContent = {
    json,
    zips: content.zips,
    zipOrders: Object.fromEntries(
      Object.keys(content.zips).map((name) => [
        name,
        submission.judgedContent?.zipOrders[name] ?? submission.zipOrders?.[name] ?? '',
      ]),
    ),
  };
  // Only lines judged can be completed by documents: a file refused whole waits for a new file.
  const missingDocuments = verdict.status === 'processed' ? missing : [];
  // The file's impId is given once: a replay or a completion writes the same annotated file again.
  const impId =
    doc && verdict.status === 'processed' ? (submission.impId ?? (await deps.store.nextImpId())) : undefined;
  const judged = { submission, fingerprint, writer, fileName, json, judgedContent, missingDocuments, impId };
  return writeOutputsOnce(deps, judged, async () => {
    const generatedAt = deps.now().toISOString();
    const facts = { soumission: submission.id };
    const folder = outputFolder(submission);
    const annotated = doc && impId ? annotate(doc, verdict, { impId, numeroAspByLine }) : undefined;
    const [annotatedUri, { reportJson, reportHtml }] = await Promise.all([
      annotated === undefined
        ? Promise.resolve(null)
        : deps.objects.putOutput(`${folder}${fileName}`, annotated, 'application/json; charset=utf-8'),
      writeReports(deps.objects, folder, fileName, verdict, {
        generatedAt,
        facts,
        source: sourceTextOf(parsed, bytes),
      }),
    ]);
    log.info('retours écrits', { folder });
    return resultMessage(
      { submissionId: submission.id, siret: submission.siret, type: submission.type },
      verdict,
      numeroAspByLine,
      { annotated: annotatedUri, reportJson, reportHtml },
    );
  });
}

/** How long a judge waits for another one writing the same submission's outputs (they take < 1 s). */
const OUTPUT_LOCK_WAIT_MS = 30_000;

/**
 * The outputs of one content, written by one judge at a time and only while the submission still
 * holds that content: an older judgement never writes over a newer one's outputs, and its result
 * is dropped (undefined) when the content changed before it could complete.
 */
async function writeOutputsOnce(
  deps: JudgeDeps,
  judged: {
    submission: SubmissionRecord;
    fingerprint: string;
    writer: string;
    fileName: string;
    json: StoredObjectRef;
    judgedContent: JudgedContent;
    missingDocuments: readonly string[];
    impId?: string;
  },
  write: () => Promise<ResultMessage>,
): Promise<ResultMessage | undefined> {
  const { submission, writer } = judged;
  const waitedSince = Date.now();
  for (;;) {
    const lock = await deps.store.lockOutputs(submission.id, writer, {
      now: deps.now(),
      seconds: deps.leaseSeconds,
      version: submission.version,
    });
    if (lock === 'changed') return undefined;
    if (lock === 'locked') break;
    if (Date.now() - waitedSince > OUTPUT_LOCK_WAIT_MS)
      throw new Error(`retours de ${submission.id} en cours d'écriture par un autre jugement`);
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
  }
  let completed = false;
  try {
    const result = await write();
    // The result goes out before the submission is marked judged: if marking fails (throttling),
    // the retry judges again and sends it again; the other order could lose it for good.
    await deps.queues.sendResult(result);
    // The completion lets go of the lock in the same write.
    completed = await deps.store.completeJudgement(submission.id, judged.fingerprint, {
      version: submission.version,
      judgedEtag: contentEtag(judged.json),
      at: deps.now().toISOString(),
      content: judged.judgedContent,
      missingDocuments: judged.missingDocuments,
      impId: judged.impId,
      writer,
    });
    return completed ? result : undefined;
  } finally {
    if (!completed) await deps.store.unlockOutputs(submission.id, writer);
  }
}

/**
 * numeroASP for the accepted avance lines, from their claims. A line accepted only when judged
 * again (after a lost claim) has none yet: it is claimed now, with its number.
 */
async function giveNumerosAsp(
  claims: ClaimContext,
  verdict: FileVerdict,
  doc: JsonDocument | undefined,
  history: History,
): Promise<Map<number, string>> {
  const numeroAspByLine = new Map<number, string>();
  const profile = verdict.profile ? PROFILES[verdict.profile as ProfileId] : undefined;
  if (verdict.status !== 'processed' || profile?.type !== 'avance') return numeroAspByLine;
  const accepted = verdict.lines.filter((line) => line.accepted && isStorableNumero(line.numeroEditeur));
  const unnumbered = accepted.filter((line) => !history.ownNumerosAsp.has(line.numeroEditeur as string));
  await claimAvanceLines(
    claims,
    verdict,
    unnumbered.map((line) => avanceLineClaim(doc, verdict, line)),
    history,
  );
  for (const line of accepted) {
    const numeroASP = history.ownNumerosAsp.get(line.numeroEditeur as string);
    if (numeroASP) numeroAspByLine.set(line.numLigne, numeroASP);
  }
  return numeroAspByLine;
}

function isStorableNumero(numero: string | null): numero is string {
  return numero !== null && NUMERO_EDITEUR_PATTERN.test(numero);
}

/** Each object of the content kept as judged (see ObjectStore.freeze); undefined if one was replaced. */
async function freezeContent(
  objects: ObjectStore,
  content: ReturnType<typeof contentToJudge>,
): Promise<{ json: StoredObjectRef; zips: Record<string, StoredObjectRef> } | undefined> {
  if (!content.json) return undefined;
  const names = Object.keys(content.zips);
  const [json, ...zips] = await Promise.all(
    [content.json, ...names.map((name) => content.zips[name] as StoredObjectRef)].map((ref) =>
      objects.freeze(ref),
    ),
  );
  if (!json || zips.some((zip) => zip === undefined)) return undefined;
  return {
    json,
    zips: Object.fromEntries(names.map((name, index) => [name, zips[index] as StoredObjectRef])),
  };
}

/**
 * The référentiel is unavailable: the submission stays on the waiting list with the reason (shown
 * to operators by lister-soumissions, to the vendor in retour/<…>.en-attente.json, written once),
 * and the ReferentielUnavailable metric alarms the operators.
 */
async function waitForReferentiel(
  deps: JudgeDeps,
  submission: SubmissionRecord,
  error: ReferentielUnavailable,
): Promise<void> {
  emitMetrics(SERVICES.judge, {}, { ReferentielUnavailable: { value: 1, unit: 'Count' } });
  const reason = `référentiel ${error.reason} : contrôles suspendus jusqu’à sa publication`;
  if (submission.waitingReason === reason) return;
  await deps.store.setWaitingReason(submission.id, reason);
  const status = {
    fichier: `${submission.base}.json`,
    statut: 'en attente',
    depuis: deps.now().toISOString(),
    motif:
      'Les contrôles automatiques sont suspendus : le référentiel de la plateforme est indisponible. Votre dépôt est conservé tel quel et sera jugé dès son rétablissement.',
    aFaire: 'Rien : ne déposez pas à nouveau ce fichier. Le verdict vous parviendra par courriel.',
  };
  await deps.objects.putOutput(
    `${outputFolder(submission)}${submission.base}.en-attente.json`,
    `${JSON.stringify(status, null, 2)}\n`,
    'application/json; charset=utf-8',
  );
}

async function inspectSubmissionZips(
  objects: ObjectStore,
  zips: Readonly<Record<string, StoredObjectRef>>,
  declared: ReadonlySet<string>,
): Promise<Awaited<ReturnType<typeof inspectZips>>> {
  const sources = await Promise.all(Object.values(zips).map((zip) => objects.openRange(zip)));
  try {
    return await inspectZips(sources, declared);
  } finally {
    await Promise.all(sources.map((source) => source.close()));
  }
}

function refuseMissingJson(deps: JudgeDeps, submission: SubmissionRecord): Promise<ResultMessage> {
  const json = `${submission.base}.json`;
  return refuse(
    deps,
    {
      key: `${PREFIXES.deposit}${submission.siret}/${submission.type}/${submission.base}`,
      submissionId: submission.id,
      siret: submission.siret,
      type: submission.type,
      fileName: json,
    },
    { code: '1051', params: { zips: Object.keys(submission.zips).sort().join(', '), json } },
    deps.now().toISOString(),
  );
}

/** The référentiel's avances plus those the pipeline recorded, for the numeroASP a solde cites. */
async function withRecordedAvances(
  store: AvanceLedger,
  referentiel: Referentiel,
  cited: readonly string[],
): Promise<Referentiel> {
  const recorded = cited.length > 0 ? await store.findAvances(cited) : [];
  const known = new Map((referentiel?.avances ?? []).map((avance) => [avance.numeroASP, avance]));
  for (const avance of recorded) if (!known.has(avance.numeroASP)) known.set(avance.numeroASP, avance);
  return {
    referencements: referentiel?.referencements ?? [],
    avances: [...known.values()],
    ...(referentiel?.plafonds ? { plafonds: referentiel.plafonds } : {}),
  };
}
