import operateurs from '../data/operateurs-messagerie.json';
import { itemsOf, type JsonNode, propertyOf, rawText } from '../json/json-document';
import {
  findReferencement,
  knowsReferencements,
  REFERENCEMENT_PROFILES,
  type ReferencementProfile,
} from '../referentiel';
import {
  alphanumeric,
  amount,
  bool,
  choice,
  date,
  email,
  field,
  lengthEquals,
  nullOnly,
  phone,
  text,
  truncate,
  upperName,
} from '../rules/checks';
import {
  type CheckDraft,
  type ConditionalPresenceSchema,
  type LineContext,
  type Presence,
  type PresenceFunction,
  type RelationSchema,
  type Rule,
  type Scope,
  type Shape,
  type SiblingCondition,
  type ValueCheck,
  withSchema,
} from '../rules/engine';
import type { DemandType, ProfileId } from '../rules/line-environment';

/** A documented profile: couloir + logiciel + demand type, and its rules in table order. */
export interface Profile {
  readonly id: ProfileId;
  readonly couloir: string;
  readonly logiciel: string;
  readonly type: DemandType;
  readonly title: string;
  /** The source document behind the rules, in ../shared/seeds. */
  readonly seed: string;
  readonly rules: readonly Rule[];
  readonly shape: Shape;
  /**
   * Who a request is for (RPPS, FINESS), recorded with an accepted avance so that its solde can be
   * compared with it (seed 004 §3.1: the solde covers the avance's FINESS géographiques).
   */
  readonly beneficiariesOf?: (line: JsonNode) => string[];
  /**
   * What an accepted line pays once and for all (BIO-LOINC: its FINESS géographiques, « une et une
   * seule demande de paiement » per instance, seed 004 §3.1): a later line of the same file that
   * names one again is refused as a later file would be (2069).
   */
  readonly paidOnceOf?: (line: JsonNode) => string[];
  /** The code a document's name carries for its typeFichier (BON_COMMANDE → BDC), for naming them. */
  readonly attachmentCodeOf: (typeFichier: string) => string | undefined;
}

// ── Reading other fields of the line (for conditions and relations) ────────────────────────

const splitPaths = new Map<string, readonly string[]>();

export function nodeAt(ctx: LineContext, path: string): JsonNode | undefined {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path.split('.');
    splitPaths.set(path, keys);
  }
  let node: JsonNode | undefined = ctx.line;
  for (const key of keys) node = propertyOf(node, key);
  return node;
}

/** true / false when the field holds a boolean, undefined otherwise (its own rule reports that). */
export function boolAt(ctx: LineContext, path: string): boolean | undefined {
  const node = nodeAt(ctx, path);
  return node?.type === 'boolean' ? (node.value as boolean) : undefined;
}

export function stringAt(ctx: LineContext, path: string): string | undefined {
  const node = nodeAt(ctx, path);
  return node?.type === 'string' ? (node.value as string) : undefined;
}

export function relation(
  key: string,
  run: (ctx: LineContext, scope: Scope) => CheckDraft | readonly CheckDraft[] | undefined,
  schema?: RelationSchema,
): Rule {
  return { kind: 'relation', key, run, ...(schema ? { schema } : {}) };
}

export function object(key: string, rules: readonly Rule[]): Rule {
  return { kind: 'object', key, rules };
}

export function each(key: string, rules: readonly Rule[]): Rule {
  return { kind: 'each', key, rules };
}

export function eachScalar(key: string, type: 'string', checks: readonly ValueCheck[]): Rule {
  return { kind: 'each', key, item: { type, checks } };
}

/** Rules under a condition; `schemaIf` says the same condition as sibling values, for the JSON Schema. */
export function when(
  test: (ctx: LineContext, scope: Scope) => boolean,
  rules: readonly Rule[],
  otherwise?: readonly Rule[],
  schemaIf?: SiblingCondition,
): Rule {
  return { kind: 'when', test, rules, otherwise, ...(schemaIf ? { schemaIf } : {}) };
}

export const nonEmptyArray: ValueCheck = withSchema(
  (node) => (itemsOf(node).length > 0 ? undefined : { code: '2020' }),
  { keywords: { minItems: 1 }, format: 'au moins un élément' },
);

// ── Entête demande ────────────────────────────────────────────────────────────────────────

/** numeroEditeur: VARCHAR (=5), one per request in the file, never reused by the vendor. */
export const numeroEditeurRules: readonly ValueCheck[] = [
  lengthEquals(5),
  alphanumeric,
  withSchema(
    (node, ctx) => {
      const value = node.value as string;
      const first = ctx.env.firstLineOfNumeroEditeur.get(value);
      return first !== undefined && first !== ctx.numLigne
        ? { code: '2030', params: { recu: value, autreLigne: first } }
        : undefined;
    },
    {
      format: 'unique dans le fichier',
      unexpressed: 'un même numeroEditeur sur deux lignes du fichier (2030)',
    },
  ),
];

/** In the pipeline a numeroEditeur once used (accepted or rejected) may not come back (seeds §1.2). */
const numeroEditeurNotUsedBefore: ValueCheck = withSchema(
  (node, ctx) => {
    const origin = ctx.env.usedNumerosEditeur?.get(node.value as string);
    return origin === undefined
      ? undefined
      : { code: '2031', params: { recu: node.value as string, origine: origin } };
  },
  {
    format: 'jamais utilisé dans un dépôt précédent',
    unexpressed:
      'un numeroEditeur déjà utilisé dans un dépôt précédent (2031, la chaîne de traitement seule le sait)',
  },
);

export function avanceHeaderRules(): readonly Rule[] {
  return [
    field('numLigne', 'number'),
    choice('typeAction', ['C']),
    nullOnly('numeroASP', " (l'ASP le renseigne après le dépôt)"),
    text('numeroEditeur', [...numeroEditeurRules, numeroEditeurNotUsedBefore]),
  ];
}

// ── Commande (the three avance profiles) ──────────────────────────────────────────────────

/** dateCommande, regimeTVA, montantSegurHT: the same three rows in the MDV, HOP and SGL tables. */
export function commandeRules(): Rule {
  return object('commande', [
    date('dateCommande'),
    choice('regimeTVA', ['TTC', 'HT']),
    amount('montantSegurHT', [notAbovePlafond]),
  ]);
}

/** The profile's plafond HT, when the référentiel gives one (contracts §4, `plafonds`). */
export const notAbovePlafond: ValueCheck = withSchema(
  (node, ctx) => {
    const plafond = ctx.env.plafond;
    if (plafond === undefined) return undefined;
    const raw = rawText(ctx.doc, node);
    return centsOf(raw) <= centsOf(plafond) ? undefined : { code: '2070', params: { recu: raw, plafond } };
  },
  { unexpressed: 'le plafond du profil, donné par le référentiel (2070)' },
);

/** Two-decimal amounts compared in whole cents: no float rounding. */
export function centsOf(amountText: string): number {
  const [units = '0', cents = '00'] = amountText.replace(/^-/, '').split('.');
  const sign = amountText.startsWith('-') ? -1 : 1;
  return sign * (Number(units) * 100 + Number(cents.padEnd(2, '0').slice(0, 2)));
}

/** isMandataire, isClientUnique and the mandataire's name, email and phone (HOP and SGL tables). */
export function mandataireRules(): readonly Rule[] {
  const mandataire = mandatairePresence('beneficiaires');
  return [
    bool('isMandataire'),
    bool('isClientUnique'),
    upperName('nomMandataire', mandataire),
    email('emailMandataire', mandataire),
    phone('telephoneMandataire', mandataire),
  ];
}

// ── Traitement ────────────────────────────────────────────────────────────────────────────

export function traitementRules(): readonly Rule[] {
  return [
    nullOnly('codeTraitement', " à l'envoi (l'ASP le renseigne)"),
    nullOnly('libelleTraitement', " à l'envoi (l'ASP le renseigne)"),
  ];
}

// ── Bénéficiaires: the mandataire block shared by the avance profiles ─────────────────────

const MANDATAIRE_REASON = ' car isClientUnique vaut false et isMandataire vaut true';

/** nom/email/telephoneMandataire: filled when isClientUnique = false and isMandataire = true, null otherwise. */
export function mandatairePresence(base: string): PresenceFunction {
  const presence = (ctx: LineContext): Presence => {
    const unique = boolAt(ctx, `${base}.isClientUnique`);
    const mandataire = boolAt(ctx, `${base}.isMandataire`);
    if (unique === undefined || mandataire === undefined) return { mode: 'nullable' };
    if (!unique && mandataire) return { mode: 'required', reason: MANDATAIRE_REASON };
    return { mode: 'null', reason: ` car isClientUnique vaut ${unique} et isMandataire vaut ${mandataire}` };
  };
  const schema: ConditionalPresenceSchema = {
    description: 'obligatoire si isClientUnique vaut false et isMandataire vaut true, null sinon',
    base: 'nullable',
    cases: [
      { when: { isClientUnique: false, isMandataire: true }, mode: 'required' },
      { when: { isClientUnique: true }, mode: 'null' },
      { when: { isMandataire: false }, mode: 'null' },
    ],
  };
  return Object.assign(presence, { schema });
}

/** Sibling conditions joined: a case of `presence` that also needs `extra`. */
export function andCondition(extra: SiblingCondition, condition: SiblingCondition): SiblingCondition {
  return { ...extra, ...condition };
}

/**
 * isClientUnique tells whether one or several beneficiaries carry the order; the count of distinct
 * beneficiaries (doctors, FINESS PMSI, FINESS juridiques) must agree with it.
 */
export function clientUniqueAgreement(
  base: string,
  noun: { readonly one: string; readonly many: string },
  count: (ctx: LineContext) => number | undefined,
): Rule {
  const check = (ctx: LineContext): CheckDraft | undefined => {
    const unique = boolAt(ctx, `${base}.isClientUnique`);
    const n = count(ctx);
    if (unique === undefined || n === undefined || n === 0) return undefined;
    if (unique && n > 1) {
      return {
        code: '2023',
        field: `${base}.isClientUnique`,
        params: { valeur: 'true', constat: `la demande compte ${n} ${noun.many}` },
      };
    }
    if (!unique && n === 1) {
      return {
        code: '2023',
        field: `${base}.isClientUnique`,
        params: { valeur: 'false', constat: `la demande ne compte qu'un ${noun.one}` },
      };
    }
    return undefined;
  };
  return relation('', check, {
    cases: [],
    unexpressed: `isClientUnique en accord avec le nombre de ${noun.many} (2023)`,
  });
}

/** Strings of an array of objects' field, e.g. the FINESSPMSI of every EtablissementsClients item. */
export function stringsOf(array: JsonNode | undefined, key: string): string[] {
  return itemsOf(array).flatMap((item) => {
    const value = propertyOf(item, key);
    return value?.type === 'string' ? [value.value as string] : [];
  });
}

/** A value repeated within an array of a line: each beneficiary appears once. */
export function noDuplicateAmongSiblings(
  listLabelText: string,
  keyOf: (item: JsonNode) => string | undefined,
): ValueCheck {
  // One index per list (value → first position), built on its first item: linear, where comparing
  // each item with every earlier one took 46 s on a list of 20,000.
  const indexes = new WeakMap<readonly JsonNode[], Map<string, number>>();
  const check: ValueCheck = (node, _ctx, scope) => {
    const siblings = scope.siblings ?? [];
    let index = indexes.get(siblings);
    if (!index) {
      index = firstPositions(siblings, keyOf);
      indexes.set(siblings, index);
    }
    // The item's own key (its RPPS, its FINESS, or the whole row): looked up in the list's index.
    const key = keyOf(scope.node);
    const first = key === undefined ? undefined : index.get(key);
    return first !== undefined && first < (scope.index ?? 0)
      ? { code: '2024', params: { recu: String(node.value), liste: listLabelText } }
      : undefined;
  };
  return withSchema(check, {
    format: 'sans doublon dans la liste',
    unexpressed: `un doublon dans ${listLabelText}`,
  });
}

export function firstPositions(
  items: readonly JsonNode[],
  keyOf: (item: JsonNode) => string | undefined,
): Map<string, number> {
  const positions = new Map<string, number>();
  items.forEach((item, position) => {
    const key = keyOf(item);
    if (key !== undefined && !positions.has(key)) positions.set(key, position);
  });
  return positions;
}

// ── Scénario d'installation ───────────────────────────────────────────────────────────────

const OPERATEUR_CODES = new Set(operateurs.map((entry) => entry.code));
export const MAILIZ_CODE = 'MAI_15';

export const operateurMessagerie: ValueCheck = withSchema(
  (node) =>
    OPERATEUR_CODES.has(node.value as string)
      ? undefined
      : { code: '2040', params: { recu: truncate(node.value as string) } },
  { keywords: { enum: [...OPERATEUR_CODES] }, format: 'code d’opérateur de messagerie de la liste de l’ASP' },
);

/**
 * "Focus sur les scénarios d'installation": a scenario answer that needs a référencement profile.
 * Without a référentiel the check is reported as not done (formats.md decision 11).
 */
export function requiresReferencement(
  profil: ReferencementProfile,
  applies: (node: JsonNode) => boolean,
): ValueCheck {
  const check: ValueCheck = (node, ctx) => {
    if (!applies(node)) return undefined;
    const recu = rawText(ctx.doc, node);
    const label = REFERENCEMENT_PROFILES[profil];
    const referentiel = ctx.env.referentiel;
    if (!knowsReferencements(referentiel)) return { code: '8002', params: { recu, profil: label } };
    const entry = findReferencement(referentiel, ctx.env.numeroAns);
    return entry?.profils.includes(profil)
      ? undefined
      : { code: '2041', params: { recu, profil: label, numeroAns: ctx.env.numeroAns } };
  };
  return withSchema(check, {
    unexpressed: `le référencement « ${REFERENCEMENT_PROFILES[profil]} » demandé par cette réponse, donné par le référentiel`,
  });
}

export const isTrue = (node: JsonNode): boolean => node.type === 'boolean' && node.value === true;
