import { ACCEPTED_CODE, ACCEPTED_LABEL } from './catalog';
import { checkFile } from './control-file';
import type { Finding, FindingDraft, RenderedFinding } from './findings';
import {
  DEFAULT_LIMITS,
  type DocumentLimits,
  type JsonDocument,
  type JsonNode,
  type ParseOutcome,
  parseJsonDocument,
  propertyOf,
} from './json/json-document';
import type { Profile } from './profiles';
import { plafondOf, type Referentiel } from './referentiel';
import { renderFinding } from './render-finding';
import { runRules, unknownKeyFindings } from './rules/engine';
import type { AttachmentChecker, DemandType, LineEnvironment, ProfileId } from './rules/line-environment';

/**
 * A deposit's judgement, pure (no I/O): control 1 on the file (control-file.ts), and when it passes,
 * control 2 on each line (the profile's rules, rules/engine.ts), findings rendered for people
 * (render-finding.ts).
 */

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

/** Control 1 then, when the file passes, control 2 on every line. Pure: no I/O. */
/** A missing tag's error (2001, 2015) that names the tag written with a typo in its place. */
function withTypo(finding: Finding, written: string): Finding {
  const faute = ` (la balise ${written.slice(written.lastIndexOf('.') + 1)} écrite à sa place est-elle une faute de frappe ?)`;
  return { ...finding, params: { ...finding.params, faute } } as Finding;
}

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
  // A tag written with a typo is both unknown and missing: the missing one's error names it.
  const typos = new Map<string, string>();
  const unknown = unknownKeyFindings(profile.shape, line, '', profile.id, (written, known) =>
    typos.set(known, written),
  );
  // Reported once: the missing tag's error names the misspelt one, which is then no warning of its own.
  const named = new Set<string>();
  for (let index = 0; typos.size > 0 && index < findings.length; index++) {
    const finding = findings[index] as Finding;
    const written = typos.get(finding.field);
    if (!written || (finding.code !== '2001' && finding.code !== '2015')) continue;
    findings[index] = withTypo(finding, written);
    named.add(written);
  }
  // A loop, not push(...spread): a hostile line of 150,000 unknown keys overflows the call stack.
  for (const finding of unknown) if (!named.has(finding.field)) findings.push(finding);
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
