import type { Code, ParamsOf } from './catalog';
import { draftOf, type Finding } from './findings';
import {
  excerpt,
  itemCount,
  itemsOf,
  type JsonDocument,
  type JsonNode,
  propertiesOf,
  propertyOf,
} from './json/json-document';
import type { JudgeOptions } from './judge-file';
import { inferProfileFromLines, PROFILES, type Profile, profileOfSoftware } from './profiles';
import { findReferencement, knowsReferencements } from './referentiel';
import { isCalendarDate } from './rules/checks';
import { received } from './rules/engine';
import type { ProfileId } from './rules/line-environment';

/**
 * Control 1: the file as a whole (its header, its name, its lines as a list, its profile and its
 * depositor). Any error here rejects the whole file; control 2 (judge-file.ts) then judges each line.
 */

/** « Le nombre exact de demandes maximum par fichier JSON est fixé à 200 » (each profile's document). */
export const MAX_LINES = 200;
/** The numero ANS of the software: 10 characters. */
export const NUMERO_ANS_LENGTH = 10;
export const SIRET_PATTERN = /^\d{14}$/;

const HEADER_KEYS = new Set(['impId', 'numeroAns', 'SIRET', 'siret', 'lignesImport']);

export interface FileCheck {
  errors: Finding[];
  warnings: Finding[];
  header: { numeroAns?: string; siret?: string };
  lines: JsonNode[];
  profile?: Profile;
}

export function checkFile(doc: JsonDocument, options: JudgeOptions): FileCheck {
  const root = doc.root;
  const errors: Finding[] = [];
  // `null`: a finding with no place in the text (the file's name); undefined: the file as a whole.
  const error: ErrorSink = (code, field, node, params) =>
    errors.push({
      ...draftOf(code, field, params),
      severity: 'error',
      ...(node === null ? {} : { offset: (node ?? root).offset }),
    });
  const header: FileCheck['header'] = {};

  const impId = propertyOf(root, 'impId');
  if (!impId) error('1010', 'impId', root);
  else if (impId.type !== 'null') error('1011', 'impId', impId, { recu: excerpt(doc, impId) });

  const numeroAns = propertyOf(root, 'numeroAns');
  if (!numeroAns) error('1010', 'numeroAns', root);
  else if (numeroAns.type !== 'string' || [...String(numeroAns.value)].length !== NUMERO_ANS_LENGTH) {
    error('1012', 'numeroAns', numeroAns, { recu: excerpt(doc, numeroAns) });
  } else header.numeroAns = numeroAns.value as string;

  const upper = propertyOf(root, 'SIRET');
  const lower = propertyOf(root, 'siret');
  if (upper && lower) error('1014', 'siret', lower);
  else if (!upper && !lower) error('1010', 'SIRET', root);
  else {
    const siret = (upper ?? lower) as JsonNode;
    if (siret.type !== 'string' || !SIRET_PATTERN.test(String(siret.value))) {
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
  node: JsonNode | undefined | null,
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
    error('1030', '', null, { nom: fileName });
    return;
  }
  const [, nameAns = '', stamp = '', number = ''] = match;
  if (numeroAns !== undefined && nameAns !== numeroAns)
    error('1031', '', null, { nomAns: nameAns, numeroAns });
  const year = Number(stamp.slice(0, 4));
  const month = Number(stamp.slice(4, 6));
  const day = Number(stamp.slice(6, 8));
  if (!isCalendarDate(year, month, day)) error('1032', '', null, { date: stamp });
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
