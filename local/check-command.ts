import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LocalFileSource } from '../shared/adapters/byte-range-source';
import { readCappedFile } from '../shared/adapters/capped-file-read';
import { DEFAULT_LIMITS, parseJsonDocument } from '../shared/domain/json/json-document';
import { profileFor, profileOfSoftware } from '../shared/domain/profiles';
import type { Referentiel } from '../shared/domain/referentiel';
import { validateReferentiel } from '../shared/domain/referentiel-validation';
import { renderFinding } from '../shared/domain/render-finding';
import { fileFindingJson, lineJson } from '../shared/domain/reports';
import type { DemandType } from '../shared/domain/rules/line-environment';
import { depositSchema } from '../shared/domain/schema/deposit-schema';
import { reportNames } from '../shared/pipeline/check-deposit';
import { checkUpload } from '../shared/pipeline/check-upload';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';
import { COLOUR, NO_COLOUR, renderText } from './text-report';

export const CHECK_USAGE = `Usage : segur-pipeline controler <fichier.json> [--zip <fichier.zip>]... [--type avance|solde]
                        [--profile MDV-LGC|HOP-DPI|BIO-SGL|BIO-LOINC] [--referentiel <referentiel.json>]
                        [--format text|json] [--out <dossier>] [--stats]
       segur-pipeline controler --schema MDV-LGC|HOP-DPI|BIO-SGL|BIO-LOINC
        (ancien nom : check)

Contrôle un dépôt avant envoi, comme le simulateur de l'ASP, mais avec toutes les erreurs de chaque demande.
Sans --zip, les pièces justificatives ne sont pas contrôlées (le résumé le dit).
--schema écrit le schéma JSON (2020-12) du profil, pour votre éditeur ou votre validateur (docs/schemas.md).
--out écrit le fichier annoté et les rapports ; jamais dans le dossier du dépôt (il écraserait l'original).
Code de sortie : 0 tout ce qui a été contrôlé est accepté, 1 fichier ou demande rejeté,
                 2 erreur d'usage ou de lecture.`;

const SOFTWARES = ['MDV-LGC', 'HOP-DPI', 'BIO-SGL', 'BIO-LOINC'];

export async function runCheck(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('controler', args, {
    zip: { type: 'string', multiple: true },
    type: { type: 'string' },
    profile: { type: 'string' },
    referentiel: { type: 'string' },
    format: { type: 'string', default: 'text' },
    out: { type: 'string' },
    stats: { type: 'boolean', default: false },
    schema: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  if (values.schema !== undefined) {
    if (positionals.length > 0) throw new UsageError('--schema s’emploie seul, sans fichier à contrôler');
    const profile = profileOfSoftware(parseSoftware(values.schema, '--schema') as string);
    if (!profile) throw new UsageError(`profil inconnu : ${values.schema}`);
    io.stdout.write(`${JSON.stringify(depositSchema(profile).schema, null, 2)}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('indiquez un et un seul fichier JSON à contrôler');
  const type = parseType(values.type);
  const software = parseSoftware(values.profile);
  if (software && type && !profileFor(software.split('-')[0] ?? '', software.split('-')[1] ?? '', type)) {
    const own = profileOfSoftware(software);
    throw new UsageError(`le profil ${software} se dépose en demande de ${own?.type}, pas de ${type}`);
  }
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format accepte text ou json (reçu « ${values.format} »)`);

  const path = positionals[0] as string;
  if (values.out)
    await refuseOverwritingInputs(values.out, path, [...(values.zip ?? []), values.referentiel]);
  const started = performance.now();
  const { bytes, totalBytes } = await readCappedFile(path, DEFAULT_LIMITS.maxBytes).catch((error) =>
    Promise.reject(readError(path, 'fichier', error)),
  );
  const referentiel = values.referentiel ? await loadReferentiel(values.referentiel) : undefined;
  const fileName = basename(path);
  const zips = await openZips(values.zip ?? []);
  let checked: Awaited<ReturnType<typeof checkUpload>>;
  try {
    checked = await checkUpload({
      bytes,
      totalBytes,
      fileName,
      zips,
      referentiel,
      type,
      profile: software,
      now: new Date(),
    });
  } finally {
    await Promise.all(zips.map((zip) => zip.close()));
  }
  const { outputs } = checked;
  const elapsedMs = Math.round(performance.now() - started);
  const stats = { elapsedMs, ...checked.stats };

  if (values.out) {
    await mkdir(values.out, { recursive: true });
    const names = reportNames(fileName);
    if (outputs.annotated !== undefined) await writeFile(join(values.out, fileName), outputs.annotated);
    await writeFile(join(values.out, names.json), outputs.reportJson);
    await writeFile(join(values.out, names.html), outputs.reportHtml);
  }

  const { verdict } = outputs;
  if (values.format === 'json') {
    const document = {
      file: verdict.file,
      profile: verdict.profile,
      status: verdict.status,
      fileErrors: verdict.fileErrors.map(fileFindingJson),
      fileWarnings: verdict.fileWarnings.map(fileFindingJson),
      lines: verdict.lines.map(lineJson),
      ...(values.stats ? { stats } : {}),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    const statsLine = values.stats
      ? `Statistiques : ${elapsedMs} ms, ${stats.zipBytesRead} octets de .zip lus sur ${stats.zipBytesTotal}`
      : undefined;
    io.stdout.write(
      renderText(verdict, io.colour ? COLOUR : NO_COLOUR, {
        stats: statsLine,
        declaredAttachments: checked.declaredAttachments,
        zipsGiven: zips.length > 0,
      }),
    );
  }
  const allAccepted = verdict.status === 'processed' && verdict.lines.every((line) => line.accepted);
  return allAccepted ? 0 : 1;
}

/**
 * `--out` never overwrites an input: the annotated file keeps the deposit's name, so `--out` on the
 * deposit's own folder would replace the vendor's file with the annotated one. Refused before
 * anything is read (exit 2), rather than writing under another name the vendor would not expect.
 */
async function refuseOverwritingInputs(
  outDir: string,
  deposit: string,
  others: ReadonlyArray<string | undefined>,
): Promise<void> {
  const real = (path: string) => realpath(path).catch(() => resolve(path));
  const out = await real(outDir);
  if (out === (await real(dirname(deposit))))
    throw new UsageError(
      `--out « ${outDir} » est le dossier du dépôt : le fichier annoté y remplacerait ${basename(deposit)}. Choisissez un autre dossier (par exemple --out retour).`,
    );
  const names = reportNames(basename(deposit));
  const written = new Set([basename(deposit), names.json, names.html].map((name) => join(out, name)));
  for (const input of others)
    if (input && written.has(await real(input)))
      throw new UsageError(
        `--out « ${outDir} » écraserait ${input}, qui est une entrée : choisissez un autre dossier.`,
      );
}

function parseType(value: string | undefined): DemandType | undefined {
  if (value === undefined) return undefined;
  if (value === 'avance' || value === 'solde') return value;
  throw new UsageError(`--type accepte avance ou solde (reçu « ${value} »)`);
}

function parseSoftware(value: string | undefined, option = '--profile'): string | undefined {
  if (value === undefined) return undefined;
  if (SOFTWARES.includes(value)) return value;
  throw new UsageError(`${option} accepte ${SOFTWARES.join(', ')} (reçu « ${value} »)`);
}

async function openZips(paths: readonly string[]): Promise<LocalFileSource[]> {
  const opened: LocalFileSource[] = [];
  try {
    for (const path of paths)
      opened.push(
        await LocalFileSource.open(path).catch((error) => Promise.reject(readError(path, '.zip', error))),
      );
    return opened;
  } catch (error) {
    await Promise.all(opened.map((zip) => zip.close()));
    throw error;
  }
}

function readError(path: string, what: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'introuvable'
      : code === 'EISDIR'
        ? "c'est un dossier"
        : code === 'EACCES'
          ? 'accès refusé'
          : (code ?? 'illisible');
  return new UsageError(`${what} « ${path} » : ${reason}`);
}

export async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw readError(path, what, error);
  }
}

/** Errors of an invalid référentiel listed at once: the operator fixes them in one go. */
const REFERENTIEL_ERRORS_SHOWN = 20;

export async function loadReferentiel(path: string): Promise<Referentiel> {
  const bytes = await readInput(path, 'référentiel');
  // Read by the deposits' own parser first: its errors are in French, with the line and column.
  const tree = parseJsonDocument(bytes);
  if (!tree.ok)
    throw new UsageError(
      `référentiel « ${path} » : ${renderFinding({ ...tree.finding, severity: 'error' }).message}`,
    );
  const outcome = validateReferentiel(JSON.parse(new TextDecoder().decode(bytes)));
  if (!outcome.ok && outcome.errors.length === 1)
    throw new UsageError(`référentiel « ${path} » invalide : ${outcome.errors[0]}`);
  if (!outcome.ok) {
    const shown = outcome.errors.slice(0, REFERENTIEL_ERRORS_SHOWN);
    const more = outcome.errors.length - shown.length;
    throw new UsageError(
      `référentiel « ${path} » invalide, ${outcome.errors.length} erreur(s) :\n${shown.map((error) => `  - ${error}`).join('\n')}${more > 0 ? `\n  … et ${more} autre(s)` : ''}`,
    );
  }
  return outcome.referentiel;
}
