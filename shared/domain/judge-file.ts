import {
  ACCEPTED_CODE,
  ACCEPTED_LABEL,
  type Code,
  catalogEntry,
  type ParamsOf,
  renderTemplate,
} from './catalog';
import { draftOf, type Finding, type FindingDraft, type Params, type RenderedFinding } from './findings';
import {
  DEFAULT_LIMITS,
  type DocumentLimits,
  excerpt,
  itemCount,
  itemsOf,
  type JsonDocument,
  type JsonNode,
  type ParseOutcome,
  parseJsonDocument,
  positionAt,
  propertiesOf,
  propertyOf,
} from './json/json-document';
import { inferProfileFromLines, PROFILES, type Profile, profileOfSoftware } from './profiles';
import { findReferencement, knowsReferencements, plafondOf, type Referentiel } from './referentiel';
import { isCalendarDate } from './rules/checks';
import { received, runRules, unknownKeyFindings } from './rules/engine';
import type { AttachmentChecker, DemandType, LineEnvironment, ProfileId } from './rules/line-environment';

const MAX_LINES = 200;
/**
 * Findings kept per line and per severity (and for the file's own warnings): a hostile line with
 * 100,000 unknown tags or a list of 1,000 bad items gets its verdict and the first findings, plus
 * how many more there are, instead of hundreds of megabytes of report. 50 is far above what a real
 * line shows (a wrong line has 1 to 5 errors).
 */
export const MAX_FINDINGS_SHOWN = 50;

export interface JudgeOptions {
  /** The deposited file's name (checked against the nomenclature of section 3.3). */
  readonly fileName: string;
  /** Demand type from the drop folder or --type; absent: the profile's own. */
  readonly type?: DemandType;
  /** Couloir-logiciel from --profile (`HOP-DPI`) or a full profile id; absent: inferred. */
  readonly profile?: string;
  readonly referentiel?: Referentiel;
  /** SIRET of the drop folder (pipeline): must be the header's. */
  readonly depositorSiret?: string;
  readonly usedNumerosEditeur?: ReadonlyMap<string, string>;
  /** Soldes: avances closed by an accepted solde of another file (numeroASP → file). */
  readonly closedAvances?: ReadonlyMap<string, string>;
  /** BIO-LOINC: FINESS géographiques paid by an accepted solde of this software (FINESS → file). */
  readonly paidFiness?: ReadonlyMap<string, string>;
  /**
   * The day of the deposit (AAAAMMJJ, Europe/Paris): the file name's date is compared with it, a
   * warning when they differ (the documents give the naming rule, not a control; replays of old
   * files stay possible). `check` passes today.
   */
  readonly depositDay?: string;
  readonly attachments?: AttachmentChecker;
  readonly limits?: DocumentLimits;
  /** The file's real size when only its first bytes were read (see parseJsonDocument). */
  readonly totalBytes?: number;
}

export interface LineVerdict {
  readonly numLigne: number;
  readonly numeroEditeur: string | null;
  readonly accepted: boolean;
  readonly codeTraitement: string;
  readonly libelleTraitement: string;
  /** Path of the first error, null when accepted. */
  readonly field: string | null;
  readonly errors: readonly RenderedFinding[];
  readonly warnings: readonly RenderedFinding[];
  /** Checks that could not be done (no référentiel, no zip): reported, never rejecting. */
  readonly notices: readonly RenderedFinding[];
  /** Findings past MAX_FINDINGS_SHOWN per severity, counted but not listed. */
  readonly omitted: number;
}

export interface FileVerdict {
  readonly file: string;
  readonly profile: ProfileId | null;
  readonly type: DemandType | null;
  readonly numeroAns: string | null;
  readonly siret: string | null;
  readonly status: 'rejected' | 'processed';
  readonly fileErrors: readonly RenderedFinding[];
  readonly fileWarnings: readonly RenderedFinding[];
  /** File warnings past MAX_FINDINGS_SHOWN, counted but not listed. */
  readonly omittedFileWarnings: number;
  readonly lines: readonly LineVerdict[];
}

export interface Judgement {
  readonly verdict: FileVerdict;
  /** The parsed deposit, when it parsed: the annotated file is made from it. */
  readonly doc?: JsonDocument;
}

const HEADER_KEYS = new Set(['impId', 'numeroAns', 'SIRET', 'siret', 'lignesImport']);

/** Control 1 then, when the file passes, control 2 on every line. Pure: no I/O. */
export function judgeFile(bytes: Uint8Array, options: JudgeOptions): Judgement {
  return judgeParsed(parseJsonDocument(bytes, options.limits ?? DEFAULT_LIMITS, options.totalBytes), options);
}

/** The same, on a deposit already parsed (the pipeline parses once and reads the tree before judging). */
export function judgeParsed(parsed: ParseOutcome, options: JudgeOptions): Judgement {
  if (!parsed.ok) {
    return { verdict: rejected(options, null, [renderFinding(toFinding(parsed.finding))], [], {}) };
  }
  const doc = parsed.doc;
  const file = checkFile(doc, options);
  const render = (finding: Finding) => renderFinding(finding, doc);
  const shownWarnings = file.warnings.slice(0, MAX_FINDINGS_SHOWN);
  const fileWarnings = shownWarnings.map(render);
  const omittedFileWarnings = file.warnings.length - shownWarnings.length;
  if (file.errors.length > 0 || !file.profile) {
    return {
      verdict: {
        ...rejected(options, file.profile ?? null, file.errors.map(render), fileWarnings, file.header),
        omittedFileWarnings,
      },
      doc,
    };
  }
  const profile = file.profile;
  const finessPaidInFile = new Map<string, string>();
  const env: LineEnvironment = {
    profileId: profile.id,
    couloir: profile.couloir,
    logiciel: profile.logiciel,
    numeroAns: file.header.numeroAns ?? '',
    referentiel: options.referentiel,
    firstLineOfNumeroEditeur: firstLines(file.lines),
    usedNumerosEditeur: options.usedNumerosEditeur,
    closedAvances: options.closedAvances,
    paidFiness: options.paidFiness,
    finessPaidInFile,
    plafond: plafondOf(options.referentiel, profile.id),
    attachments: options.attachments,
  };
  const lines = file.lines.map((line, index) => {
    const verdict = judgeLine(doc, line, index + 1, profile, env);
    // Lines are judged in order: what an accepted line paid is refused to the lines after it.
    if (verdict.accepted)
      for (const key of profile.paidOnceOf?.(line) ?? [])
        if (!finessPaidInFile.has(key)) finessPaidInFile.set(key, `ligne ${index + 1} de ce fichier`);
    return verdict;
  });
  const attachmentFindings = options.attachments?.finish() ?? [];
  const room = Math.max(0, MAX_FINDINGS_SHOWN - fileWarnings.length);
  const attachmentWarnings = attachmentFindings.slice(0, room).map((finding) => renderFinding(finding));
  return {
    verdict: {
      file: options.fileName,
      profile: profile.id,
      type: profile.type,
      numeroAns: file.header.numeroAns ?? null,
      siret: file.header.siret ?? null,
      status: 'processed',
      fileErrors: [],
      fileWarnings: [...fileWarnings, ...attachmentWarnings],
      omittedFileWarnings: omittedFileWarnings + attachmentFindings.length - attachmentWarnings.length,
      lines,
    },
    doc,
  };
}

function rejected(
  options: JudgeOptions,
  profile: Profile | null,
  fileErrors: RenderedFinding[],
  fileWarnings: RenderedFinding[],
  header: { numeroAns?: string; siret?: string },
): FileVerdict {
  return {
    file: options.fileName,
    profile: profile?.id ?? null,
    type: profile?.type ?? options.type ?? null,
    numeroAns: header.numeroAns ?? null,
    siret: header.siret ?? null,
    status: 'rejected',
    fileErrors,
    fileWarnings,
    omittedFileWarnings: 0,
    lines: [],
  };
}

function toFinding(draft: FindingDraft & { offset?: number }): Finding {
  return { ...draft, severity: 'error' };
}

// ── Control 1 ────────────────────────────────────────────────────────────────────────────────

interface FileCheck {
  errors: Finding[];
  warnings: Finding[];
  header: { numeroAns?: string; siret?: string };
  lines: JsonNode[];
  profile?: Profile;
}

function checkFile(doc: JsonDocument, options: JudgeOptions): FileCheck {
  const root = doc.root;
  const errors: Finding[] = [];
  const error: ErrorSink = (code, field, node, params) =>
    errors.push({ ...draftOf(code, field, params), severity: 'error', offset: (node ?? root).offset });
  const header: FileCheck['header'] = {};

  const impId = propertyOf(root, 'impId');
  if (!impId) error('1010', 'impId', root);
  else if (impId.type !== 'null') error('1011', 'impId', impId, { recu: excerpt(doc, impId) });

  const numeroAns = propertyOf(root, 'numeroAns');
  if (!numeroAns) error('1010', 'numeroAns', root);
  else if (numeroAns.type !== 'string' || [...String(numeroAns.value)].length !== 10) {
    error('1012', 'numeroAns', numeroAns, { recu: excerpt(doc, numeroAns) });
  } else header.numeroAns = numeroAns.value as string;

  const upper = propertyOf(root, 'SIRET');
  const lower = propertyOf(root, 'siret');
  if (upper && lower) error('1014', 'siret', lower);
  else if (!upper && !lower) error('1010', 'SIRET', root);
  else {
    const siret = (upper ?? lower) as JsonNode;
    if (siret.type !== 'string' || !/^\d{14}$/.test(String(siret.value))) {
      error('1013', upper ? 'SIRET' : 'siret', siret, { recu: excerpt(doc, siret) });
    } else header.siret = siret.value as string;
  }

  const lines = checkLines(doc, error);
  checkFileName(options.fileName, header.numeroAns, error);
  const dateWarning = fileDateWarning(options.fileName, options.depositDay);

  const bomWarning: Finding[] = doc.bom
    ? [{ code: '8006', field: '', params: {}, severity: 'warning', offset: 0 }]
    : [];
  const warnings = propertiesOf(root)
    .filter(({ key }) => !HEADER_KEYS.has(key))
    .map(
      ({ key, keyNode }): Finding => ({
        code: '8001',
        field: key,
        params: { profil: 'JSON' },
        severity: 'warning',
        offset: keyNode.offset,
      }),
    );
  warnings.unshift(...bomWarning, ...dateWarning);

  const profile = resolveProfile(doc, lines, header, options, error);
  if (profile && header.siret && header.numeroAns)
    checkDepositor(profile, header as Required<FileCheck['header']>, options, error);
  return { errors, warnings, header, lines, profile };
}

type ErrorSink = <C extends Code>(
  code: C,
  field: string,
  node: JsonNode | undefined,
  params?: ParamsOf<C>,
) => void;

function checkLines(doc: JsonDocument, error: ErrorSink): JsonNode[] {
  const lignes = propertyOf(doc.root, 'lignesImport');
  if (!lignes) {
    error('1010', 'lignesImport', doc.root);
    return [];
  }
  if (lignes.type !== 'array') {
    error('1020', 'lignesImport', lignes, { recu: received(doc, lignes) });
    return [];
  }
  const count = itemCount(lignes);
  if (count === 0) error('1021', 'lignesImport', lignes);
  // Over 200 lines the file is refused before any work per line: five million `0` are one error.
  if (count > MAX_LINES) {
    error('1022', 'lignesImport', lignes, { nombre: count });
    return [];
  }
  const items = itemsOf(lignes);
  let sequenceBroken = false;
  items.forEach((item, index) => {
    if (item.type !== 'object') {
      error('1023', `lignesImport[${index}]`, item, { index, recu: received(doc, item) });
      return;
    }
    const numLigne = propertyOf(item, 'numLigne');
    // One sequence error is enough: after a gap, every following number is "wrong" too.
    if (
      !sequenceBroken &&
      !(
        numLigne?.type === 'number' &&
        numLigne.value === index + 1 &&
        /^\d+$/.test(doc.text.substr(numLigne.offset, numLigne.length))
      )
    ) {
      sequenceBroken = true;
      error('1024', `lignesImport[${index}].numLigne`, numLigne ?? item, {
        index,
        attendu: index + 1,
        recu: numLigne ? excerpt(doc, numLigne) : 'absent',
      });
    }
  });
  return items.filter((item) => item.type === 'object');
}

const FILE_NAME = /^JSON-(.+)-(\d{8})-(\d{3})\.json$/;

function checkFileName(fileName: string, numeroAns: string | undefined, error: ErrorSink): void {
  const match = FILE_NAME.exec(fileName);
  if (!match) {
    error('1030', '', undefined, { nom: fileName });
    return;
  }
  const [, nameAns = '', stamp = '', number = ''] = match;
  if (numeroAns !== undefined && nameAns !== numeroAns)
    error('1031', '', undefined, { nomAns: nameAns, numeroAns });
  const year = Number(stamp.slice(0, 4));
  const month = Number(stamp.slice(4, 6));
  const day = Number(stamp.slice(6, 8));
  if (!isCalendarDate(year, month, day)) error('1032', '', undefined, { date: stamp });
  if (number === '000') error('1033', '', undefined, { numero: number });
}

/** « L'horodatage correspond à la date de dépôt » (seeds, §3.3): said when they differ. */
function fileDateWarning(fileName: string, depositDay: string | undefined): Finding[] {
  const stamp = FILE_NAME.exec(fileName)?.[2];
  if (!stamp || !depositDay || stamp === depositDay) return [];
  const french = (day: string) => `${day.slice(6, 8)}/${day.slice(4, 6)}/${day.slice(0, 4)}`;
  return [
    {
      code: '8009',
      field: '',
      params: { date: french(stamp), jour: french(depositDay) },
      severity: 'warning',
    },
  ];
}

/** AAAAMMJJ of an instant in Europe/Paris, the agency's time. */
export function parisDay(at: Date): string {
  const parts = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}`;
}

function resolveProfile(
  doc: JsonDocument,
  lines: readonly JsonNode[],
  header: FileCheck['header'],
  options: JudgeOptions,
  error: ErrorSink,
): Profile | undefined {
  let profile: Profile | undefined;
  if (options.profile) {
    profile = PROFILES[options.profile as ProfileId] ?? profileOfSoftware(options.profile);
    if (!profile) error('1040', '', undefined, { raison: `profil « ${options.profile} » inconnu` });
  } else {
    const entry =
      options.referentiel && header.numeroAns
        ? findReferencement(options.referentiel, header.numeroAns)
        : undefined;
    profile = entry ? profileOfSoftware(`${entry.couloir}-${entry.logiciel}`) : undefined;
    if (entry && !profile) {
      error('1040', '', undefined, {
        raison: `le référencement ${entry.numeroAns} porte sur ${entry.couloir}-${entry.logiciel}, qui n'est pas un des quatre formats documentés`,
      });
    } else if (!profile && !entry) {
      const inferred = inferProfileFromLines(lines);
      profile = inferred.profile;
      if (!profile && lines.length > 0) error('1040', '', undefined, { raison: inferred.reason });
    }
  }
  if (profile && options.type && options.type !== profile.type) {
    error('1043', '', doc.root, { profil: profile.id, attendu: profile.type, recu: options.type });
  }
  return profile;
}

/** Pipeline and référentiel checks of the depositor (formats.md decision 1, last paragraph). */
function checkDepositor(
  profile: Profile,
  header: { numeroAns: string; siret: string },
  options: JudgeOptions,
  error: ErrorSink,
): void {
  if (options.depositorSiret !== undefined && options.depositorSiret !== header.siret) {
    error('1041', 'SIRET', undefined, { siret: header.siret, dossier: options.depositorSiret });
  }
  if (!knowsReferencements(options.referentiel)) return;
  const entry = findReferencement(options.referentiel, header.numeroAns);
  const matches =
    entry !== undefined &&
    entry.siret === header.siret &&
    entry.couloir === profile.couloir &&
    entry.logiciel === profile.logiciel;
  if (!matches) {
    error('1042', 'numeroAns', undefined, {
      numeroAns: header.numeroAns,
      siret: header.siret,
      profil: `${profile.couloir}-${profile.logiciel}`,
    });
  }
}

function firstLines(lines: readonly JsonNode[]): Map<string, number> {
  const first = new Map<string, number>();
  lines.forEach((line, index) => {
    const value = propertyOf(line, 'numeroEditeur');
    if (value?.type === 'string' && !first.has(value.value as string))
      first.set(value.value as string, index + 1);
  });
  return first;
}

// ── Control 2 ────────────────────────────────────────────────────────────────────────────────

function judgeLine(
  doc: JsonDocument,
  line: JsonNode,
  numLigne: number,
  profile: Profile,
  env: LineEnvironment,
): LineVerdict {
  const findings: Finding[] = [];
  runRules(profile.rules, { doc, line, numLigne, env, findings }, { node: line, path: '' });
  // A loop, not push(...spread): a hostile line of 150,000 unknown keys overflows the call stack.
  for (const finding of unknownKeyFindings(profile.shape, line, '', profile.id)) findings.push(finding);
  const render = (finding: Finding) => renderFinding(finding, doc, numLigne);
  let omitted = 0;
  const shown = (severity: Finding['severity']) => {
    const all = findings.filter((finding) => finding.severity === severity);
    omitted += Math.max(0, all.length - MAX_FINDINGS_SHOWN);
    return all.slice(0, MAX_FINDINGS_SHOWN).map(render);
  };
  const errors = shown('error');
  const warnings = shown('warning');
  const notices = shown('notice');
  const numeroEditeur = propertyOf(line, 'numeroEditeur');
  const first = errors[0];
  return {
    numLigne,
    numeroEditeur: numeroEditeur?.type === 'string' ? (numeroEditeur.value as string) : null,
    accepted: first === undefined,
    codeTraitement: first ? first.code : ACCEPTED_CODE,
    libelleTraitement: first ? first.message : ACCEPTED_LABEL,
    field: first ? first.field : null,
    errors,
    warnings,
    notices,
    omitted,
  };
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lineLabel(numLigne: number, message: string): string {
  return `Ligne ${numLigne} : ${message}`;
}

export function renderFinding(finding: Finding, doc?: JsonDocument, numLigne?: number): RenderedFinding {
  const entry = catalogEntry(finding.code);
  const message = renderTemplate(entry.message, finding.field, finding.params);
  return {
    code: finding.code,
    field: finding.field,
    // A line's message follows « Ligne n : »; a file's stands alone and starts with a capital.
    message: numLigne === undefined ? capitalised(message) : lineLabel(numLigne, message),
    hint: entry.hint,
    position: positionOfFinding(finding, doc),
  };
}

function positionOfFinding(finding: Finding, doc: JsonDocument | undefined): RenderedFinding['position'] {
  if (doc && finding.offset !== undefined) return positionAt(doc.lineStarts, finding.offset);
  // A file that did not parse has no document, but its syntax error carries its own position.
  const params: Params | undefined = finding.params;
  const line = params?.ligne;
  const column = params?.colonne;
  return typeof line === 'number' && typeof column === 'number' ? { line, column } : null;
}
