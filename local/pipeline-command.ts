import { watch } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PREFIXES } from '../shared/config/resources';
import { printable } from '../shared/domain/printable';
import type { ResultMessage } from '../shared/pipeline/result-message';
import { loadReferentiel, readInput } from './check-command';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';
import { type EmbeddedOptions, EmbeddedStack } from './embedded/embedded-stack';
import type { Recipient } from './embedded/mailbox';
import type { Recovery } from './embedded/reconcile';
import { synthesizedFunctions } from './embedded/synthesized-functions';
import { s3EtagOf } from './s3-etag';
import { serveSimulator } from './web-server';

export const PIPELINE_USAGE = `Pile embarquée (S3, SQS, SNS et DynamoDB émulés sur cette machine, aucun compte AWS) :
  segur-pipeline traiter <dossier-de-dépôt> [--out <dossier>] [--referentiel <fichier>] [--timeout <s>] [--chaos] [--state <dossier>] [--cdk-out <dossier>]
      (ancien nom : pipeline) dépose tout le dossier (<SIRET>/<avance|solde>/<fichiers>), attend chaque
      jugement, copie retour/ dans <out> (défaut ./out), écrit <out>/summary.json et les courriels dans <out>/mail/ ;
      --cdk-out : fait tourner les fonctions empaquetées par « npm run synth » (cdk.out) au lieu des sources
  segur-pipeline demarrer [--drop <dossier>] [--out <dossier>] [--referentiel <fichier>] [--grace <s>] [--chaos] [--state <dossier>] [--port-simulateur <port>]
      (ancien nom : start) garde la pile en marche et dépose ce qui arrive dans le dossier surveillé (défaut ./drop) ;
      sert le simulateur de dépôt sur http://127.0.0.1:<port>/ (défaut 8080, 0 : un port libre)
  Chaque lancement repart d'une sortie propre : <out>/retour, <out>/mail, summary.json et pipeline.log
  de la fois précédente sont effacés (rien d'autre dans <out>).`;

export interface DropScan {
  readonly files: Array<{ path: string; key: string }>;
  /** What the scan left out, and why: nothing is skipped without a word. */
  readonly skipped: Array<{ path: string; reason: string }>;
}

/** Every file of a drop folder with its S3 key (depot/<path relative to the folder>). */
async function listDrop(dir: string): Promise<DropScan> {
  const files: DropScan['files'] = [];
  const skipped: DropScan['skipped'] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.name.startsWith('.'))
        skipped.push({ path, reason: 'fichier ou dossier caché (nom commençant par « . »)' });
      else if (entry.isSymbolicLink()) skipped.push({ path, reason: 'lien symbolique, non suivi' });
      else if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        files.push({ path, key: `${PREFIXES.deposit}${relative(dir, path).split(sep).join('/')}` });
      else skipped.push({ path, reason: 'ni fichier ni dossier (tube, périphérique…)' });
    }
  };
  await walk(dir);
  // JSON first, then the zips: the order of a careful vendor (any order works, this one is quicker).
  files.sort(
    (a, b) => Number(a.key.endsWith('.zip')) - Number(b.key.endsWith('.zip')) || a.key.localeCompare(b.key),
  );
  return { files, skipped };
}

/** One recipient for the agency, and one per vendor folder, filtered on its SIRET like an SNS filter policy. */
function recipientsFor(keys: readonly string[]): Recipient[] {
  const sirets = [
    ...new Set(
      keys.map((key) => key.split('/')[1]).filter((siret): siret is string => /^\d{14}$/.test(siret ?? '')),
    ),
  ];
  return [
    { email: 'operateur@asp.localhost' },
    ...sirets.map((siret) => ({ email: `editeur-${siret}@localhost`, siret })),
  ];
}

/** ✔ every line accepted, ✘ the file or every line rejected, ◐ some of each. */
function verdictMark(result: ResultMessage): string {
  if (result.status === 'rejected' || result.accepted === 0) return '✘';
  return result.rejected === 0 ? '✔' : '◐';
}

function statusWord(result: ResultMessage): string {
  if (result.outcome === 'refus') return 'refusé';
  if (result.outcome === 'rejet-technique') return 'rejet technique';
  if (result.status === 'rejected') return 'rejeté';
  return result.rejected === 0 ? 'accepté' : result.accepted === 0 ? 'rejeté' : 'partiel';
}

function describe(result: ResultMessage): string {
  const mark = verdictMark(result);
  if (result.status === 'rejected')
    return `${mark} ${result.fileName} : ${statusWord(result)} (${result.fileErrors.map((error) => error.code).join(', ')})`;
  return `${mark} ${result.fileName} : ${result.profile} — ${result.accepted} acceptée(s), ${result.rejected} rejetée(s)`;
}

/** A number of seconds given on the command line: a positive number, or a clear French refusal. */
function secondsOption(name: string, value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`--${name} attend un nombre de secondes positif (reçu « ${value} »)`);
  return seconds;
}

/**
 * The référentiel file, checked before anything starts: an invalid one would make every judgement
 * fail (a fault) instead of one clear line now.
 */
async function validReferentiel(path: string): Promise<Uint8Array> {
  await loadReferentiel(path);
  return readInput(path, 'référentiel');
}

/** What a run writes in <out>, and nothing else: a user's other files there are left alone. */
const OUTPUT_ENTRIES = ['retour', 'mail', 'summary.json', 'pipeline.log'] as const;

/**
 * Each run starts from a clean output: a second run into the same folder once kept the first
 * run's `retour/` files and overwrote part of its mail (numbering restarts at 00001). With
 * `--state`, the returns of earlier runs are in the state and are copied back again.
 */
async function cleanOutputs(outDir: string, io: CliIo): Promise<void> {
  const present: string[] = [];
  for (const entry of OUTPUT_ENTRIES)
    if (await stat(join(outDir, entry)).catch(() => undefined)) present.push(entry);
  for (const entry of present) await rm(join(outDir, entry), { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  if (present.length > 0)
    io.stdout.write(`Sortie précédente effacée dans ${outDir} : ${present.join(', ')}.\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `extra` lets the tests wrap the real handlers (fault injection); the command line never sets it. */
export async function runPipeline(
  args: readonly string[],
  io: CliIo,
  extra: Partial<EmbeddedOptions> = {},
): Promise<number> {
  const { values, positionals } = parseOptions('traiter', args, {
    out: { type: 'string', default: 'out' },
    referentiel: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    chaos: { type: 'boolean', default: false },
    state: { type: 'string' },
    'cdk-out': { type: 'string' },
  });
  if (positionals.length !== 1)
    throw new UsageError('indiquez le dossier de dépôt (<SIRET>/<avance|solde>/<fichiers>)');
  // The bundles of `npm run synth` instead of the sources: the artefacts AWS runs, tried here first.
  const handlerModules = values['cdk-out'] ? await synthesizedFunctions(values['cdk-out']) : undefined;
  const dropDir = positionals[0] as string;
  const outDir = values.out;
  const timeoutMs = secondsOption('timeout', values.timeout) * 1000;
  const { files, skipped } = await listDrop(dropDir).catch(() => {
    throw new UsageError(`dossier de dépôt « ${dropDir} » introuvable`);
  });
  const referentiel = values.referentiel ? await validReferentiel(values.referentiel) : undefined;
  await cleanOutputs(outDir, io);
  // The functions' JSON logs (CloudWatch's on AWS) go to a file: the terminal is for the progress.
  process.env.SEGUR_LOG_FILE ??= join(outDir, 'pipeline.log');

  const started = Date.now();
  io.stdout.write('Démarrage de la pile embarquée (S3, SQS, SNS, DynamoDB)…\n');
  // Batch mode: every file is uploaded before waiting, so the grace period ends when the stack is idle.
  const stack = await EmbeddedStack.start({
    outDir,
    graceSeconds: 0,
    sweepEverySeconds: 0,
    retryDelaySeconds: 1,
    recipients: recipientsFor(files.map((file) => file.key)),
    chaos: values.chaos,
    stateDir: values.state,
    handlerModules,
    ...extra,
  });
  if (handlerModules)
    io.stdout.write(`Fonctions empaquetées par cdk synth : ${values['cdk-out']} (SDK AWS inclus).\n`);
  if (values.state)
    io.stdout.write(`État conservé dans ${values.state} (registre, séquences, dépôts et retours).\n`);
  if (values.chaos)
    io.stdout.write(
      'Mode --chaos : événements en retard, désordonnés, parfois doublés ; jugements en parallèle ; DynamoDB limité par moments.\n',
    );
  // Files that could not be uploaded or copied back: reported, the run goes on and exits 1.
  const failed: Array<{ path: string; reason: string }> = [];
  const latest = new Map<string, ResultMessage>();
  const writeSummary = () =>
    writeFile(join(outDir, 'summary.json'), `${JSON.stringify([...latest.values()], null, 2)}\n`);
  try {
    for (const { path, reason } of skipped) io.stdout.write(`  ignoré : ${path} (${reason})\n`);
    if (referentiel) await stack.putReferentiel(referentiel);
    else if (!(await stack.hasReferentiel()))
      // The pipeline judges nothing without its rules: a batch run would only wait for its time-out.
      throw new UsageError(
        'aucun référentiel : la plateforme ne juge aucun dépôt sans lui ; indiquez --referentiel <fichier> (events/referentiel.json pour les exemples) ou un --state qui en contient un',
      );
    if (stack.recovery) io.stdout.write(recoveryLine(stack.recovery));
    const alreadyThere = await uploadDrop(stack, files, io, failed);
    io.stdout.write(
      `${files.length - failed.length - alreadyThere} fichier(s) déposé(s)${alreadyThere > 0 ? ` (${alreadyThere} déjà déposé(s) à l'identique, non renvoyé(s))` : ''} ; jugements en cours…\n`,
    );

    const timedOut = await awaitJudgements(stack, io, started + timeoutMs);

    for (const result of stack.results) latest.set(result.submissionId, result);
    await writeSummary();
    const notCopied: Array<{ key: string; reason: string }> = [];
    const copied = await stack.mirrorOutputs(outDir, notCopied);
    for (const { key, reason } of notCopied) {
      failed.push({ path: key, reason });
      io.stderr.write(`segur-pipeline : ${key} non copié dans ${outDir} : ${reason}\n`);
    }
    const deadLetters = await stack.deadLetters();
    const dead = Object.entries(deadLetters).filter(([, count]) => count > 0);

    io.stdout.write(summaryTable(latest.values()));
    io.stdout.write(
      `\n${latest.size} soumission(s) jugée(s) en ${((Date.now() - started) / 1000).toFixed(1)} s ; ${copied.length} fichier(s) copiés dans ${outDir}/retour, résumé dans ${outDir}/summary.json, courriels dans ${outDir}/mail/, journaux dans ${process.env.SEGUR_LOG_FILE}\n`,
    );
    if (dead.length > 0)
      io.stderr.write(
        `segur-pipeline : message(s) en file de lettres mortes : ${dead.map(([queue, count]) => `${queue} ${count}`).join(', ')}\n`,
      );
    if (timedOut)
      io.stderr.write(`segur-pipeline : délai dépassé (${values.timeout} s) avant la fin des jugements\n`);
    if (failed.length > 0)
      io.stderr.write(`segur-pipeline : ${failed.length} fichier(s) non déposé(s), voir ci-dessus\n`);
    return dead.length > 0 || timedOut || failed.length > 0 ? 1 : 0;
  } catch (error) {
    // Whatever happened, what was judged is kept: summary.json is written before the error is told.
    for (const result of stack.results) latest.set(result.submissionId, result);
    await writeSummary().catch(() => undefined);
    throw error;
  } finally {
    await stack.stop();
  }
}

/**
 * Uploads each file of the drop folder on its own: one that cannot be uploaded (an odd name the S3
 * emulator refuses…) is reported in `failed` and the run goes on. Returns how many were there
 * already: with --state, a file judged in an earlier run sent again would be a new upload under a
 * judged name (refused, 1052), so the same bytes are not sent twice.
 */
async function uploadDrop(
  stack: EmbeddedStack,
  files: DropScan['files'],
  io: CliIo,
  failed: Array<{ path: string; reason: string }>,
): Promise<number> {
  let alreadyThere = 0;
  for (const file of files) {
    try {
      if (await stack.holdsIdentical(file.key, await s3EtagOf(file.path))) {
        alreadyThere++;
        continue;
      }
      await stack.uploadFile(file.key, file.path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failed.push({ path: file.path, reason });
      io.stderr.write(`segur-pipeline : dépôt impossible de ${file.path} : ${reason}\n`);
    }
  }
  return alreadyThere;
}

/**
 * Prints each result as it comes until the stack is idle with nothing waiting (a grace period is
 * ended by a sweep, as the batch uploaded everything first), a dead letter appears (the pipeline
 * itself failed: no point waiting for the rest) or the deadline passes. Returns whether it did.
 */
async function awaitJudgements(stack: EmbeddedStack, io: CliIo, deadline: number): Promise<boolean> {
  let shown = 0;
  const showNew = () => {
    while (shown < stack.results.length)
      io.stdout.write(`  ${describe(stack.results[shown++] as ResultMessage)}\n`);
  };
  let idleRounds = 0;
  let timedOut = false;
  for (;;) {
    showNew();
    if ((await stack.pendingWork()) === 0) idleRounds++;
    else idleRounds = 0;
    if (idleRounds >= 2) {
      const waiting = await stack.store.listWaiting('9999-12-31T00:00:00Z');
      if (waiting.length === 0) break;
      await stack.sweepNow();
      idleRounds = 0;
    }
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    if (Object.values(await stack.deadLetters()).some((count) => count > 0)) break;
    await sleep(150);
  }
  showNew();
  return timedOut;
}

/** The last verdict of each submission, one row each. */
function summaryTable(results: Iterable<ResultMessage>): string {
  let table = `\n   ${'soumission'.padEnd(62)} ${'statut'.padEnd(16)} acceptées rejetées\n`;
  for (const result of results)
    table += `${verdictMark(result)}  ${printable(result.submissionId).padEnd(62)} ${statusWord(result).padEnd(16)} ${String(result.accepted).padStart(9)} ${String(result.rejected).padStart(8)}\n`;
  return table;
}

/** What a restart on a kept state did after a crash, in one line (nothing when there was nothing to do). */
function recoveryLine(recovery: Recovery): string {
  const parts = [
    recovery.leasesReleased > 0 ? `${recovery.leasesReleased} verrou(s) d'un processus arrêté libéré(s)` : '',
    recovery.arrivalsRedelivered > 0
      ? `${recovery.arrivalsRedelivered} dépôt(s) non enregistré(s) relivré(s)`
      : '',
    recovery.submissionsRechecked > 0
      ? `${recovery.submissionsRechecked} soumission(s) en attente revérifiée(s)`
      : '',
    recovery.verdictsResent > 0
      ? `${recovery.verdictsResent} verdict(s) sans courriel renvoyé(s) (mêmes numéros)`
      : '',
  ].filter(Boolean);
  return parts.length === 0 ? '' : `Reprise après un arrêt brutal : ${parts.join(', ')}.\n`;
}

/** `until` ends the run in tests; the command line ends it with Ctrl-C (SIGINT) or SIGTERM. */
export async function runStart(args: readonly string[], io: CliIo, until?: Promise<void>): Promise<number> {
  const { values } = parseOptions(
    'demarrer',
    args,
    {
      drop: { type: 'string', default: 'drop' },
      out: { type: 'string', default: 'out' },
      referentiel: { type: 'string' },
      grace: { type: 'string', default: '900' },
      chaos: { type: 'boolean', default: false },
      state: { type: 'string', default: '.segur-state' },
      'port-simulateur': { type: 'string', default: '8080' },
    },
    false,
  );
  const simulatorPort = Number(values['port-simulateur']);
  if (!Number.isInteger(simulatorPort) || simulatorPort < 0 || simulatorPort > 65535)
    throw new UsageError(
      `--port-simulateur « ${values['port-simulateur']} » : un numéro de port est attendu`,
    );
  const graceSeconds = secondsOption('grace', values.grace);
  await mkdir(values.drop, { recursive: true });
  await cleanOutputs(values.out, io);
  process.env.SEGUR_LOG_FILE ??= join(values.out, 'pipeline.log');
  const stack = await EmbeddedStack.start({
    outDir: values.out,
    graceSeconds,
    sweepEverySeconds: 10,
    retryDelaySeconds: 5,
    recipients: [{ email: 'operateur@asp.localhost' }],
    vendorMailboxes: true,
    chaos: values.chaos,
    stateDir: values.state,
    // Vendors may deposit through S3 too (segur-pipeline deposer --endpoint), as on AWS.
    notifyExternalWrites: true,
  });
  io.stdout.write(`État conservé dans ${values.state} : supprimez ce dossier pour repartir de zéro.\n`);
  if (stack.recovery) io.stdout.write(recoveryLine(stack.recovery));
  if (values.referentiel) await stack.putReferentiel(await validReferentiel(values.referentiel));
  else if (!(await stack.hasReferentiel()))
    io.stdout.write(
      `Aucun référentiel publié : les dépôts attendront sa publication (segur-pipeline publier-referentiel <fichier> --endpoint ${stack.endpoints.aws}).\n`,
    );
  const { aws, dynamodb } = stack.endpoints;
  // The deposit simulator, the same checks in the browser (it receives nothing: files stay there).
  const simulator = await serveSimulator(simulatorPort).catch((error: unknown) => {
    io.stderr.write(`simulateur non servi : ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  });
  if (simulator) io.stdout.write(`Simulateur de dépôt (dans le navigateur, hors ligne) : ${simulator.url}\n`);
  io.stdout.write(
    `Pile embarquée en marche. Déposez dans ${values.drop}/<SIRET>/<avance|solde>/ ; retours dans ${values.out}/retour/, courriels dans ${values.out}/mail/.\n` +
      `Commandes des opérateurs : segur-pipeline lister-soumissions --endpoint ${aws} --dynamodb-endpoint ${dynamodb} --region us-east-1\n` +
      `Commandes des fournisseurs : segur-pipeline deposer <fichier.json> --zip <fichier.zip> --siret <SIRET> --attendre --endpoint ${aws}\n` +
      `                             segur-pipeline recuperer --siret <SIRET> --endpoint ${aws}\nCtrl-C pour arrêter.\n`,
  );
  const uploaded = new Map<string, number>();
  // One look at a key at a time: a watch event and the periodic scan may both see a new file.
  const looking = new Set<string>();
  const uploadIfNew = async (path: string, key: string) => {
    if (looking.has(key)) return;
    looking.add(key);
    try {
      await uploadIfChanged(path, key);
    } finally {
      looking.delete(key);
    }
  };
  const uploadIfChanged = async (path: string, key: string) => {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || uploaded.get(key) === info.mtimeMs) return;
    // A file still being written changes size: wait until it is stable.
    await sleep(300);
    const again = await stat(path).catch(() => undefined);
    if (!again || again.size !== info.size) return;
    uploaded.set(key, info.mtimeMs);
    // Kept in the state from an earlier run (the same bytes): not a new deposit, not sent again.
    if (await stack.holdsIdentical(key, await s3EtagOf(path))) return;
    await stack.upload(key, await readFile(path));
    io.stdout.write(`déposé : ${printable(key)}\n`);
  };
  const initial = await listDrop(values.drop);
  for (const { path, reason } of initial.skipped) io.stdout.write(`ignoré : ${path} (${reason})\n`);
  for (const file of initial.files) await uploadIfNew(file.path, file.key);
  const watcher = watch(values.drop, { recursive: true }, (_event, name) => {
    if (!name) return;
    const path = join(values.drop, name);
    uploadIfNew(path, `${PREFIXES.deposit}${name.split(sep).join('/')}`).catch((error) =>
      io.stderr.write(`${error}\n`),
    );
  });
  let shown = 0;
  // The state needs no saving: the embedded S3 writes every object to disk as it is written.
  // fs.watch misses events (on Linux, a file written just after its folder was created, before
  // Node watches that folder; a burst): the folder is also looked at every 2 s, and only what is
  // new or changed is sent.
  let scanning: Promise<void> | undefined;
  const scanOnce = async () => {
    try {
      for (const file of (await listDrop(values.drop)).files) await uploadIfNew(file.path, file.key);
    } catch (error) {
      // A drop folder removed meanwhile has nothing to send; anything else is said.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') io.stderr.write(`${error}\n`);
    }
  };
  const rescan = () => {
    scanning ??= scanOnce().finally(() => {
      scanning = undefined;
    });
    return scanning;
  };
  const timer = setInterval(() => {
    while (shown < stack.results.length)
      io.stdout.write(`${describe(stack.results[shown++] as ResultMessage)}\n`);
    stack.mirrorOutputs(values.out).catch(() => undefined);
    void rescan();
  }, 2000);
  let onSignal = () => {};
  await Promise.race([
    until ?? new Promise<void>(() => {}),
    new Promise<void>((resolve) => {
      onSignal = resolve;
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }),
  ]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  io.stdout.write('Arrêt demandé : les derniers retours sont copiés, puis la pile s’arrête.\n');
  clearInterval(timer);
  await scanning;
  // The last judgements and outputs, so that what was judged before the stop is on disk.
  while (shown < stack.results.length)
    io.stdout.write(`${describe(stack.results[shown++] as ResultMessage)}\n`);
  await stack.mirrorOutputs(values.out).catch(() => undefined);
  watcher.close();
  await simulator?.close();
  const judged = stack.results.length;
  await stack.stop();
  io.stdout.write(
    `Pile embarquée arrêtée : ${judged} résultat(s) pendant cette session ; retours dans ${values.out}/retour/, courriels dans ${values.out}/mail/, état conservé dans ${values.state}.\n`,
  );
  return 0;
}
