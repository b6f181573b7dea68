import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { Upload } from '@aws-sdk/lib-storage';
import { readCappedFile } from '../shared/adapters/capped-file-read';
import { createS3Client } from '../shared/adapters/s3-client';
import { BUCKETS, ENV, PREFIXES, SCHEDULE, VENDORS } from '../shared/config/resources';
import { DEFAULT_LIMITS, parseJsonDocument } from '../shared/domain/json/json-document';
import { frenchDateTime } from '../shared/domain/reports';
import { checkDeposit, reportNames } from '../shared/pipeline/check-deposit';
import { UPLOAD_LIMIT_BYTES } from '../shared/pipeline/check-upload';
import type { CappedBytes } from '../shared/pipeline/ports';
import { refusalKey } from '../shared/pipeline/refusal';
import { parseDepositKey } from '../shared/pipeline/submission-key';
import { assumedRoleCredentials } from './assumed-role';
import { type CliIo, UsageError } from './cli-io';
import { parseOptions } from './cli-options';
import { localPathFor, writeLocalCopy } from './local-copy';
import { md5Of, PART_BYTES, s3EtagOf } from './s3-etag';

/**
 * The vendors' commands: deposit a JSON and its zips under the right keys of the input bucket and
 * wait for the verdict, fetch the returns. On AWS with the vendor's credentials and the role the
 * operators gave (`--role-arn`: assumed with the SIRET as session tag, which the role's policies
 * confine to depot/<SIRET>/ and retour/<SIRET>/); on the embedded stack with `--endpoint`.
 */
export const VENDOR_USAGE = `Commandes des fournisseurs (sur AWS avec --role-arn, ou sur la pile embarquée avec --endpoint) :
  segur-pipeline deposer <fichier.json> [--zip <fichier.zip>]... --siret <SIRET> [--type avance|solde]
                         [--attendre] [--delai <s>] [--out <dossier>]
      dépose les .zip puis le JSON sous depot/<SIRET>/<type>/ ; --attendre attend le verdict (défaut
      ${SCHEDULE.gracePeriodMinutes + 5} min au plus) et copie les retours dans <out> (défaut ./retour) ;
      code de sortie 0 tout accepté, 1 fichier ou demande rejeté (ou refusé), 2 erreur ou délai dépassé
  segur-pipeline recuperer --siret <SIRET> [--out <dossier>]
      copie tout retour/<SIRET>/ dans <out> (défaut ./retour), sans recopier ce qui est déjà là
Options : --role-arn <arn> (sortie VendorRoleArn de la pile), --region <région>, --endpoint <url>,
          --input-bucket <nom> (défaut : $${ENV.inputBucket} ou ${BUCKETS.input}),
          --output-bucket <nom> (défaut : $${ENV.outputBucket} ou ${BUCKETS.output})`;

const CONNECTION_OPTIONS = {
  siret: { type: 'string' },
  'role-arn': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'input-bucket': { type: 'string' },
  'output-bucket': { type: 'string' },
  out: { type: 'string', default: 'retour' },
} as const;

interface VendorConnection {
  readonly s3: S3Client;
  readonly siret: string;
  readonly inputBucket: string;
  readonly outputBucket: string;
}

type ConnectionValues = {
  siret?: string;
  'role-arn'?: string;
  region?: string;
  endpoint?: string;
  'input-bucket'?: string;
  'output-bucket'?: string;
};

function requireSiret(value: string | undefined): string {
  if (!value) throw new UsageError('indiquez --siret <SIRET> : le dossier du fournisseur');
  if (!/^\d{14}$/.test(value)) throw new UsageError(`--siret « ${value} » : 14 chiffres attendus`);
  return value;
}

/**
 * The S3 client a vendor uses: with `--role-arn`, the credentials of a session of that role tagged
 * with the SIRET (the only tag the role's trust accepts is the user's own); with `--endpoint`, the
 * emulator's; otherwise the default provider chain.
 */
async function connect(values: ConnectionValues, sts?: STSClient): Promise<VendorConnection> {
  const siret = requireSiret(values.siret);
  const region = values.region ?? process.env.AWS_REGION ?? 'eu-west-3';
  const endpoint = values.endpoint;
  let credentials: S3Client['config']['credentials'] | undefined;
  if (values['role-arn']) {
    credentials = await assumedRoleCredentials({
      roleArn: values['role-arn'],
      sessionName: `fournisseur-${siret}`,
      region,
      durationSeconds: VENDORS.sessionHours * 3600,
      tags: [{ Key: VENDORS.tag, Value: siret }],
      asking: `pour le SIRET ${siret}`,
      refusalHint: 'votre utilisateur porte-t-il ce SIRET ?',
      ...(sts ? { sts } : {}),
    });
  } else if (endpoint) {
    credentials = async () => ({ accessKeyId: 'local', secretAccessKey: 'local' });
  }
  return {
    s3: createS3Client({
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    }),
    siret,
    inputBucket: values['input-bucket'] ?? process.env[ENV.inputBucket] ?? BUCKETS.input,
    outputBucket: values['output-bucket'] ?? process.env[ENV.outputBucket] ?? BUCKETS.output,
  };
}

/** Tests pass an STS client (mocked); the command line never does. */
export interface VendorDeps {
  readonly sts?: STSClient;
  /** Seconds between two looks at the returns. */
  readonly pollSeconds?: number;
}

export async function runDeposit(args: readonly string[], io: CliIo, deps: VendorDeps = {}): Promise<number> {
  const { values, positionals } = parseOptions('deposer', args, {
    ...CONNECTION_OPTIONS,
    zip: { type: 'string', multiple: true },
    type: { type: 'string' },
    attendre: { type: 'boolean', default: false },
    delai: { type: 'string', default: String((SCHEDULE.gracePeriodMinutes + 5) * 60) },
  });
  if (positionals.length !== 1) throw new UsageError('indiquez un et un seul fichier JSON à déposer');
  const siret = requireSiret(values.siret);
  const jsonPath = positionals[0] as string;
  const delaySeconds = Number(values.delai);
  if (!Number.isFinite(delaySeconds) || delaySeconds <= 0)
    throw new UsageError(`--delai « ${values.delai} » : un nombre de secondes est attendu`);
  // Read capped, as the pipeline reads it: a file over the limit is still sent, and refused there (1004).
  const head = await readCappedFile(jsonPath, UPLOAD_LIMIT_BYTES).catch(() => {
    throw new UsageError(`fichier « ${jsonPath} » illisible`);
  });
  const type = values.type ?? inferType(head, jsonPath);
  if (type !== 'avance' && type !== 'solde')
    throw new UsageError(`--type « ${type} » : avance ou solde attendu`);
  refuseAnotherSiret(head.bytes, siret);

  // Every key checked before anything leaves: a name the pipeline would refuse is said here.
  const folder = `${PREFIXES.deposit}${siret}/${type}/`;
  const jsonKey = `${folder}${basename(jsonPath)}`;
  const zips = values.zip ?? [];
  const base = await depositBase(folder, jsonPath, zips);

  const connection = await connect(values, deps.sts);
  try {
    // A judged name is frozen: nothing is sent under it that the pipeline would refuse (1052).
    const judged = await judgedDeposit(connection, siret, type, base);
    const { replaced, identical } = judged
      ? await compareWithDeposited(connection, folder, [jsonPath, ...zips])
      : { replaced: [], identical: new Set<string>() };
    if (judged) {
      if (replaced.length > 0) {
        io.stderr.write(
          `segur-pipeline : ${base} a déjà été jugé le ${frenchDateTime(judged.toISOString())} ; ` +
            `${replaced.join(', ')} ${replaced.length > 1 ? 'remplaceraient les fichiers jugés et seraient refusés' : 'remplacerait le fichier jugé et serait refusé'} (1052), le premier jugement restant valable. Rien n'a été envoyé.\n` +
            `  À faire : déposez la correction sous un nouveau numéro de fichier (${await nextFileName(connection, folder, base)}) avec ses .zip, et de nouveaux numéros éditeur pour les demandes d'avance rejetées.\n`,
        );
        return 1;
      }
    }
    // The zips first: when the JSON arrives, its documents are already there to be checked.
    await sendZips(connection, folder, zips, identical, io);
    const since = await sendJson(connection, jsonKey, jsonPath, io);
    if (!values.attendre) return 0;
    io.stdout.write('en attente du verdict…\n');
    const verdict = await waitForVerdict(connection, type, basename(jsonPath), since, delaySeconds, deps);
    if (!verdict) {
      io.stderr.write(
        `segur-pipeline : aucun verdict après ${delaySeconds} s ; « segur-pipeline recuperer --siret ${siret} » le copiera quand il sera là\n`,
      );
      return 2;
    }
    const { copied, notices } = await copyReturns(
      connection,
      `${PREFIXES.output}${siret}/${type}/`,
      values.out,
      (key) => key.includes(`/${base}`),
    );
    for (const notice of notices) io.stdout.write(`${notice}\n`);
    io.stdout.write(`${verdict.line}\nretours copiés dans ${values.out} : ${copied.length} fichier(s)\n`);
    return verdict.accepted ? 0 : 1;
  } finally {
    connection.s3.destroy();
  }
}

/**
 * The deposit's base name, once every key is checked: a name the pipeline would refuse is said
 * before anything leaves (the JSON's nomenclature, each zip named after its JSON, readable files).
 */
async function depositBase(folder: string, jsonPath: string, zips: readonly string[]): Promise<string> {
  const parsedJsonKey = parseDepositKey(`${folder}${basename(jsonPath)}`);
  if (!parsedJsonKey.ok || !/^JSON-\d{10}-\d{8}-\d{3}$/.test(parsedJsonKey.key.base))
    throw new UsageError(
      `« ${basename(jsonPath)} » : nom attendu JSON-<numeroAns sur 10 chiffres>-<AAAAMMJJ>-<NNN>.json`,
    );
  const base = parsedJsonKey.key.base;
  for (const zip of zips) {
    const parsed = parseDepositKey(`${folder}${basename(zip)}`);
    if (!parsed.ok || parsed.key.kind !== 'zip' || parsed.key.base !== base)
      throw new UsageError(
        `« ${basename(zip)} » : un .zip porte le nom de son JSON (${base}.zip ou ${base}-<suffixe>.zip)`,
      );
    await stat(zip).catch(() => {
      throw new UsageError(`fichier « ${zip} » illisible`);
    });
  }
  return base;
}

/** Each zip streamed in parts (a 200 Mo zip never sits in memory whole), but those already there as they are. */
async function sendZips(
  connection: VendorConnection,
  folder: string,
  zips: readonly string[],
  identical: ReadonlySet<string>,
  io: CliIo,
): Promise<void> {
  for (const zip of zips) {
    if (identical.has(basename(zip))) continue;
    const key = `${folder}${basename(zip)}`;
    await new Upload({
      client: connection.s3,
      params: { Bucket: connection.inputBucket, Key: key, Body: createReadStream(zip) },
      partSize: PART_BYTES,
    }).done();
    io.stdout.write(`déposé : s3://${connection.inputBucket}/${key}\n`);
  }
}

/**
 * The JSON, unless the same bytes are there already (judged once: a second sending would get no
 * new verdict to wait for). Returns the deposit's own time, by S3's clock: a return written after
 * it answers this deposit.
 */
async function sendJson(
  connection: VendorConnection,
  jsonKey: string,
  jsonPath: string,
  io: CliIo,
): Promise<Date> {
  const previous = await depositedObject(connection, jsonKey);
  if (previous && previous.eTag === (await md5Of(jsonPath))) {
    io.stdout.write(
      `déjà déposé à l'identique le ${frenchDateTime(previous.lastModified.toISOString())} : pas de second envoi ; son verdict est celui de ce dépôt\n`,
    );
    return previous.lastModified;
  }
  await new Upload({
    client: connection.s3,
    params: {
      Bucket: connection.inputBucket,
      Key: jsonKey,
      Body: createReadStream(jsonPath),
      ContentType: 'application/json',
    },
    partSize: PART_BYTES,
  }).done();
  io.stdout.write(`déposé : s3://${connection.inputBucket}/${jsonKey}\n`);
  return (await depositedObject(connection, jsonKey))?.lastModified ?? new Date(0);
}

export async function runFetch(args: readonly string[], io: CliIo, deps: VendorDeps = {}): Promise<number> {
  const { values } = parseOptions('recuperer', args, CONNECTION_OPTIONS, false);
  const connection = await connect(values, deps.sts);
  try {
    const { copied, notices } = await copyReturns(
      connection,
      `${PREFIXES.output}${connection.siret}/`,
      values.out,
    );
    for (const notice of notices) io.stdout.write(`${notice}\n`);
    io.stdout.write(
      copied.length === 0
        ? `rien de nouveau dans retour/${connection.siret}/\n`
        : `${copied.map((path) => `copié : ${path}`).join('\n')}\n${copied.length} fichier(s) copié(s) dans ${values.out}\n`,
    );
    return 0;
  } finally {
    connection.s3.destroy();
  }
}

/** The type of a deposit whose --type is absent: its profile's, as `controler` infers it. */
function inferType(head: CappedBytes, path: string): string {
  const { verdict } = checkDeposit({
    parsed: parseJsonDocument(head.bytes, DEFAULT_LIMITS, head.totalBytes),
    options: { fileName: basename(path) },
    report: { generatedAt: new Date().toISOString() },
  });
  const type = verdict.profile?.split('-').at(-1);
  if (!type)
    throw new UsageError(
      `type de demande indéterminé pour « ${basename(path)} » (fichier rejeté au contrôle 1 ?) : indiquez --type avance|solde, ou lancez « segur-pipeline controler »`,
    );
  return type;
}

/**
 * A deposited object's ETag and time, by listing (the vendor's role may list its folder, not read
 * its deposits back): the exact key sorts first among those it prefixes.
 */
async function depositedObject(
  connection: VendorConnection,
  key: string,
): Promise<{ eTag: string; lastModified: Date } | undefined> {
  const { Contents } = await connection.s3.send(
    new ListObjectsV2Command({ Bucket: connection.inputBucket, Prefix: key, MaxKeys: 1 }),
  );
  const object = Contents?.find((candidate) => candidate.Key === key);
  if (!object?.LastModified) return undefined;
  return { eTag: (object.ETag ?? '').replace(/"/g, ''), lastModified: object.LastModified };
}

/**
 * When the submission was judged (its report in retour/, which the vendor may read), if it was. A
 * technical rejection (1060) is no judgement: a file under the same name is still taken.
 */
async function judgedDeposit(
  connection: VendorConnection,
  siret: string,
  type: string,
  base: string,
): Promise<Date | undefined> {
  const report = `${PREFIXES.output}${siret}/${type}/${reportNames(`${base}.json`).json}`;
  const { Contents } = await connection.s3.send(
    new ListObjectsV2Command({ Bucket: connection.outputBucket, Prefix: report, MaxKeys: 1 }),
  );
  const listed = Contents?.find((object) => object.Key === report)?.LastModified;
  if (!listed) return undefined;
  const response = await connection.s3.send(
    new GetObjectCommand({ Bucket: connection.outputBucket, Key: report }),
  );
  const text = (await response.Body?.transformToString('utf-8')) ?? '';
  const technical = (() => {
    try {
      const parsed = JSON.parse(text) as { fileErrors?: Array<{ code?: string }> };
      return (parsed.fileErrors ?? []).some((error) => error.code === '1060');
    } catch {
      return false;
    }
  })();
  return technical ? undefined : listed;
}

/**
 * The local files against what the folder holds under their names: those that would replace a
 * deposited object with other bytes (for the message), and those already there byte for byte.
 */
async function compareWithDeposited(
  connection: VendorConnection,
  folder: string,
  paths: readonly string[],
): Promise<{ replaced: string[]; identical: Set<string> }> {
  const replaced: string[] = [];
  const identical = new Set<string>();
  for (const path of paths) {
    const deposited = await depositedObject(connection, `${folder}${basename(path)}`);
    if (!deposited) continue;
    if (deposited.eTag === (await s3EtagOf(path))) identical.add(basename(path));
    else replaced.push(basename(path));
  }
  return { replaced, identical };
}

/** The next free file number of the day's series (JSON-<ans>-<date>-<NNN+1>.json), from the folder's listing. */
async function nextFileName(connection: VendorConnection, folder: string, base: string): Promise<string> {
  const series = base.slice(0, -3);
  let highest = Number(base.slice(-3));
  let token: string | undefined;
  do {
    const page = await connection.s3.send(
      new ListObjectsV2Command({
        Bucket: connection.inputBucket,
        Prefix: `${folder}${series}`,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      const number = /-(\d{3})(?:-[^/]*)?\.(?:json|zip)$/.exec(object.Key ?? '')?.[1];
      if (number) highest = Math.max(highest, Number(number));
    }
    token = page.NextContinuationToken;
  } while (token);
  return `${series}${String(highest + 1).padStart(3, '0')}.json`;
}

/** A vendor deposits under its own SIRET only: a header naming another is refused before sending. */
function refuseAnotherSiret(json: Uint8Array, siret: string): void {
  const header = /"SIRET"\s*:\s*"(\d*)"/.exec(Buffer.from(json.subarray(0, 4096)).toString('utf8'))?.[1];
  if (header !== undefined && header !== siret)
    throw new UsageError(
      `le fichier porte le SIRET ${header}, pas ${siret} : un fournisseur dépose sous son seul SIRET (dossier depot/${siret}/)`,
    );
}

interface Verdict {
  readonly accepted: boolean;
  /** Rejected at control 1: there is no annotated file. */
  readonly fileRejected?: boolean;
  readonly line: string;
}

/**
 * Polls the returns until this deposit's are all there and newer than it: its refusal, or its
 * reports and (when the file passed control 1) its annotated file, written side by side.
 */
async function waitForVerdict(
  connection: VendorConnection,
  type: string,
  fileName: string,
  since: Date,
  delaySeconds: number,
  deps: VendorDeps,
): Promise<Verdict | undefined> {
  const folder = `${PREFIXES.output}${connection.siret}/${type}/`;
  const names = reportNames(fileName);
  const refusal = refusalKey(`${PREFIXES.deposit}${connection.siret}/${type}/${fileName}`);
  const deadline = Date.now() + delaySeconds * 1000;
  while (Date.now() < deadline) {
    const refused = await readIfNewer(connection, refusal, since);
    if (refused !== undefined) return refusalVerdict(refused);
    const report = await readIfNewer(connection, `${folder}${names.json}`, since);
    if (report !== undefined) {
      const verdict = reportVerdict(report, fileName);
      const others = [`${folder}${names.html}`, ...(verdict.fileRejected ? [] : [`${folder}${fileName}`])];
      const present = await Promise.all(others.map((key) => readIfNewer(connection, key, since)));
      if (present.every((body) => body !== undefined)) return verdict;
    }
    await new Promise((resolve) => setTimeout(resolve, (deps.pollSeconds ?? 2) * 1000));
  }
  return undefined;
}

/** The object's text if it exists and was written at or after `since` (S3's clock, to the second). */
async function readIfNewer(
  connection: VendorConnection,
  key: string,
  since: Date,
): Promise<string | undefined> {
  try {
    const response = await connection.s3.send(
      new GetObjectCommand({ Bucket: connection.outputBucket, Key: key }),
    );
    const body = await response.Body?.transformToString('utf-8');
    if (response.LastModified && response.LastModified.getTime() < Math.floor(since.getTime() / 1000) * 1000)
      return undefined;
    return body;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

function reportVerdict(body: string, fileName: string): Verdict {
  const report = JSON.parse(body) as {
    status: string;
    summary: { lines: number; accepted: number; rejected: number };
  };
  if (report.status === 'rejected')
    return {
      accepted: false,
      fileRejected: true,
      line: `✘ ${fileName} : fichier rejeté au contrôle 1 (voir le rapport)`,
    };
  const { lines, accepted, rejected } = report.summary;
  const mark = rejected === 0 ? '✔' : accepted === 0 ? '✘' : '◐';
  return {
    accepted: rejected === 0,
    line: `${mark} ${fileName} : ${accepted} demande(s) acceptée(s), ${rejected} rejetée(s) sur ${lines}`,
  };
}

function refusalVerdict(body: string): Verdict {
  const refusal = JSON.parse(body) as { statut?: string; code?: string; motif?: string; aFaire?: string };
  return {
    accepted: false,
    line: `✘ dépôt ${refusal.statut ?? 'refusé'} (${refusal.code ?? '?'}) : ${refusal.motif ?? 'voir le fichier .refus.json'}${refusal.aFaire ? ` — à faire : ${refusal.aFaire}` : ''}`,
  };
}

/** What a copy of the returns did: files written, kept beside a different local one, or skipped. */
interface CopyReport {
  readonly copied: string[];
  /** Lines for the vendor: a local file kept as it was, a key that cannot be a path. */
  readonly notices: string[];
}

/**
 * Copies the returns under `prefix` into `outDir` (keeping retour/<SIRET>/… below it). A local file
 * is never overwritten: the same bytes are left alone, other bytes are kept and the new version is
 * written beside it (see local-copy.ts); a key that cannot be a path is told and skipped, and the
 * others are still copied.
 */
async function copyReturns(
  connection: VendorConnection,
  prefix: string,
  outDir: string,
  keep: (key: string) => boolean = () => true,
): Promise<CopyReport> {
  const report: CopyReport = { copied: [], notices: [] };
  let token: string | undefined;
  do {
    const page = await connection.s3.send(
      new ListObjectsV2Command({ Bucket: connection.outputBucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key || !keep(object.Key)) continue;
      const relative = object.Key.slice(PREFIXES.output.length);
      const target = localPathFor(outDir, relative);
      if (!target.ok) {
        report.notices.push(`ignoré : ${target.reason}`);
        continue;
      }
      const response = await connection.s3.send(
        new GetObjectCommand({ Bucket: connection.outputBucket, Key: object.Key }),
      );
      const outcome = await writeLocalCopy(
        outDir,
        relative,
        (await response.Body?.transformToByteArray()) ?? new Uint8Array(),
      );
      if (outcome.status === 'written') report.copied.push(outcome.path);
      else if (outcome.status === 'kept-beside') {
        report.copied.push(outcome.path);
        report.notices.push(
          `conservé : ${outcome.existing} (différent du retour publié) ; nouvelle version écrite à côté : ${outcome.path}`,
        );
      } else if (outcome.status === 'skipped') report.notices.push(`ignoré : ${outcome.reason}`);
    }
    token = page.NextContinuationToken;
  } while (token);
  return report;
}
