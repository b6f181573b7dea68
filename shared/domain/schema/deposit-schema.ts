import { MAX_LINES, NUMERO_ANS_LENGTH, SIRET_PATTERN } from '../control-file';
import type { Profile } from '../profiles';
import { capitalised } from '../render-finding';
import {
  type ConditionalPresenceSchema,
  type FieldRule,
  type JsonType,
  MAX_LIST_ITEMS,
  type Presence,
  type Rule,
  type SiblingCondition,
  type ValueCheck,
} from '../rules/engine';

/**
 * A JSON Schema (2020-12) of a profile's deposit, generated from the very rules `controler` runs,
 * so that it cannot drift from them. It says what a schema can say (types, presence, lengths,
 * patterns, enumerations, conditions on sibling values) and never more: every deposit the controls
 * accept validates. What it cannot say is listed (`unexpressed`), for the guide and the bench.
 */
export type JsonSchema = { [keyword: string]: unknown };

export interface Unexpressed {
  /** The field, as the reports name it (`beneficiaires.liberal[].RPPS`); '' for the whole line. */
  readonly field: string;
  readonly rule: string;
}

export interface DepositSchema {
  readonly schema: JsonSchema;
  readonly unexpressed: readonly Unexpressed[];
}

export const SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** A stable identifier per profile: it names the schema, it is not a download address. */
export function schemaId(profile: Profile): string {
  return `urn:segur-numerique:depot:${profile.id}:1`;
}

/** Rules between lines, files or the référentiel: no schema of one file can check them. */
const BEYOND_ONE_VALUE: readonly Unexpressed[] = [
  { field: 'lignesImport[].numLigne', rule: 'la numérotation des lignes de 1 à n, dans l’ordre (1024)' },
  { field: '', rule: 'le nom du fichier et son numéro ANS (1030 à 1032)' },
  { field: '', rule: 'le profil, le SIRET et le numéro ANS d’après le référentiel (1040 à 1043)' },
  { field: 'piecesJustificatives', rule: 'les pièces dans les .zip : présence, taille, format réel (3xxx)' },
];

export function depositSchema(profile: Profile): DepositSchema {
  const unexpressed: Unexpressed[] = [...BEYOND_ONE_VALUE];
  const line = objectSchema(profile.rules, '', unexpressed);
  const header = (text: string) => `${text} (contrôle 1 : une erreur rejette le fichier entier)`;
  const siret = {
    type: 'string',
    pattern: SIRET_PATTERN.source.replace('\\d', '[0-9]'),
    description: header('SIRET de l’éditeur, 14 chiffres'),
  };
  const schema: JsonSchema = {
    $schema: SCHEMA_DRAFT,
    $id: schemaId(profile),
    title: `Dépôt Ségur numérique – ${profile.title}`,
    description:
      `Fichier JSON de demandes ${profile.type === 'avance' ? 'd’avance' : 'de solde'} du profil ${profile.id} ` +
      `(document ${profile.seed}). Généré depuis les règles de controler : un fichier que ce schéma refuse ` +
      'est refusé par controler ; controler reste la référence pour ce que le schéma ne peut pas vérifier.',
    type: 'object',
    properties: {
      impId: { type: 'null', description: header('null à l’envoi : l’ASP le renseigne') },
      numeroAns: {
        type: 'string',
        minLength: NUMERO_ANS_LENGTH,
        maxLength: NUMERO_ANS_LENGTH,
        description: header(`numéro ANS du logiciel, ${NUMERO_ANS_LENGTH} caractères`),
      },
      SIRET: siret,
      siret: { ...siret, description: header('variante acceptée de SIRET (une seule des deux)') },
      lignesImport: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_LINES,
        description: header(`les demandes, de 1 à ${MAX_LINES}`),
        items: { $ref: '#/$defs/ligne' },
      },
    },
    required: ['impId', 'numeroAns', 'lignesImport'],
    anyOf: [requires(['SIRET']), requires(['siret'])],
    not: requires(['SIRET', 'siret']),
    $defs: {
      ligne: {
        ...line,
        type: 'object',
        description: 'Une demande (contrôle 2 : une erreur rejette la demande seule).',
      },
    },
  };
  return { schema, unexpressed: dedupe(unexpressed) };
}

/** Every JSON type: no constraint, yet a type a strict validator sees beside array keywords. */
const ANY_TYPE = ['array', 'boolean', 'null', 'number', 'object', 'string'];

interface ObjectParts {
  properties: Record<string, JsonSchema>;
  required: string[];
  allOf: JsonSchema[];
}

/** The rules of one object (the line, a block, a list item) as an object schema without its type. */
function objectSchema(rules: readonly Rule[], path: string, unexpressed: Unexpressed[]): JsonSchema {
  const parts: ObjectParts = { properties: {}, required: [], allOf: [] };
  for (const rule of rules) addRule(parts, rule, path, unexpressed);
  return {
    ...(Object.keys(parts.properties).length > 0 ? { properties: parts.properties } : {}),
    ...(parts.required.length > 0 ? { required: [...new Set(parts.required)] } : {}),
    ...(parts.allOf.length > 0 ? { allOf: parts.allOf } : {}),
  };
}

function addRule(parts: ObjectParts, rule: Rule, path: string, unexpressed: Unexpressed[]): void {
  const at = (key: string) => (path === '' ? key : key === '' ? path : `${path}.${key}`);
  switch (rule.kind) {
    case 'field':
      addField(parts, rule, at(rule.key), unexpressed);
      return;
    case 'object': {
      const inner = objectSchema(rule.rules, at(rule.key), unexpressed);
      const type = parts.properties[rule.key]?.type ?? ANY_TYPE;
      parts.properties[rule.key] = merge(parts.properties[rule.key], { type, ...inner });
      return;
    }
    case 'each': {
      const items = rule.rules
        ? { type: 'object', ...objectSchema(rule.rules, `${at(rule.key)}[]`, unexpressed) }
        : valueSchema(rule.item?.type, rule.item?.checks ?? [], `${at(rule.key)}[]`, unexpressed).schema;
      // The list's own type is its field rule's; here (a branch of a condition) any type may come.
      const type = parts.properties[rule.key]?.type ?? ANY_TYPE;
      parts.properties[rule.key] = merge(parts.properties[rule.key], {
        type,
        maxItems: MAX_LIST_ITEMS,
        items,
      });
      return;
    }
    case 'relation': {
      for (const item of rule.schema?.cases ?? []) {
        const then = rule.key === '' ? item.keywords : { properties: { [rule.key]: item.keywords } };
        parts.allOf.push(conditional(item.when, { type: 'object', ...then }));
      }
      if (!rule.schema || rule.schema.unexpressed)
        unexpressed.push({
          field: at(rule.key),
          rule: rule.schema?.unexpressed ?? 'une règle entre plusieurs champs de la demande',
        });
      return;
    }
    case 'when': {
      if (!rule.schemaIf) {
        unexpressed.push({ field: path, rule: 'des règles qui ne valent que sous une condition' });
        return;
      }
      const then = { type: 'object', ...objectSchema(rule.rules, path, unexpressed) };
      const otherwise = rule.otherwise && {
        type: 'object',
        ...objectSchema(rule.otherwise, path, unexpressed),
      };
      parts.allOf.push({ ...conditional(rule.schemaIf, then), ...(otherwise ? { else: otherwise } : {}) });
      return;
    }
  }
}

function addField(parts: ObjectParts, rule: FieldRule, path: string, unexpressed: Unexpressed[]): void {
  const value = valueSchema(rule.type, rule.checks ?? [], path, unexpressed);
  const presence = presenceOf(rule, value.schema, unexpressed, path);
  const description = capitalised([presence.wording, ...value.formats].filter(Boolean).join(' ; '));
  const schema: JsonSchema = { ...presence.schema, description };
  const keys = [rule.key, ...(rule.aliases ?? [])];
  for (const key of keys) parts.properties[key] = merge(parts.properties[key], schema);
  if (presence.required) {
    if (keys.length === 1) parts.required.push(rule.key);
    else parts.allOf.push({ anyOf: keys.map((key) => requires([key])) });
  }
  // Spelling variants (formats.md decision 6): one of them at most.
  for (const alias of rule.aliases ?? []) parts.allOf.push({ not: requires([rule.key, alias]) });
  for (const item of presence.cases) parts.allOf.push(conditionalPresence(item, rule.key, value.schema));
}

interface ValueParts {
  /** The value's schema when it is filled (never null). */
  readonly schema: JsonSchema;
  readonly formats: readonly string[];
}

const TYPE_WORDING: Readonly<Record<JsonType, string>> = {
  string: 'texte',
  number: 'nombre',
  boolean: 'BOOLEAN (true ou false)',
  object: 'objet',
  array: 'liste',
};

function valueSchema(
  type: JsonType | undefined,
  checks: readonly ValueCheck[],
  path: string,
  unexpressed: Unexpressed[],
): ValueParts {
  let schema: JsonSchema = type ? { type } : {};
  const formats: string[] = [];
  for (const check of checks) {
    const said = check.schema;
    if (!said) {
      unexpressed.push({ field: path, rule: 'une vérification propre à controler' });
      continue;
    }
    if (said.format) formats.push(said.format);
    if (said.unexpressed) unexpressed.push({ field: path, rule: said.unexpressed });
    if (said.keywords && !said.warningOnly) schema = merge(schema, said.keywords);
  }
  if (formats.length === 0 && type) formats.push(TYPE_WORDING[type]);
  return { schema, formats };
}

interface PresenceParts {
  readonly schema: JsonSchema;
  readonly required: boolean;
  readonly wording: string;
  readonly cases: ConditionalPresenceSchema['cases'];
}

function presenceOf(
  rule: FieldRule,
  value: JsonSchema,
  unexpressed: Unexpressed[],
  path: string,
): PresenceParts {
  if (typeof rule.presence !== 'function') return staticPresence(rule.presence, value);
  const said = rule.presence.schema;
  if (!said) {
    unexpressed.push({ field: path, rule: 'sa présence selon d’autres champs de la demande' });
    return {
      schema: orNull(value),
      required: false,
      wording: 'selon d’autres champs de la demande',
      cases: [],
    };
  }
  if (said.unexpressed) unexpressed.push({ field: path, rule: said.unexpressed });
  // A case without condition holds always: it is the field's own presence.
  const always = said.cases.find((item) => Object.keys(item.when).length === 0);
  if (always)
    return { ...staticPresence({ mode: always.mode }, value), wording: said.description, cases: [] };
  return {
    schema: orNull(value),
    required: said.base === 'nullable',
    wording: said.description,
    cases: said.cases,
  };
}

function staticPresence(presence: Presence, value: JsonSchema): PresenceParts {
  const reason = 'reason' in presence && presence.reason ? ` ${presence.reason.trim()}` : '';
  switch (presence.mode) {
    case 'required':
      return { schema: value, required: true, wording: `obligatoire${reason}`, cases: [] };
    case 'nullable':
      return { schema: orNull(value), required: true, wording: 'obligatoire, null accepté', cases: [] };
    case 'optional':
      return {
        schema: orNull(value),
        required: false,
        wording: 'facultatif (absent ou null accepté)',
        cases: [],
      };
    case 'null':
      return { schema: { type: 'null' }, required: true, wording: `doit valoir null${reason}`, cases: [] };
    case 'false':
      return { schema: { const: false }, required: true, wording: `doit valoir false${reason}`, cases: [] };
    case 'falseOrNull':
      return {
        schema: { enum: [false, null] },
        required: true,
        wording: `false ou null${reason}`,
        cases: [],
      };
    case 'empty':
      return {
        schema: presence.allowFalse ? { enum: [false, null] } : { type: 'null' },
        required: false,
        wording: `à ne pas renseigner${reason}`,
        cases: [],
      };
  }
}

/** The value, or null: a union type, and null added to an enumeration (which would refuse it). */
function orNull(value: JsonSchema): JsonSchema {
  const type = value.type;
  const nullable: JsonSchema = { ...value };
  if (typeof type === 'string') nullable.type = [type, 'null'];
  if (Array.isArray(value.enum) && !value.enum.includes(null)) nullable.enum = [...value.enum, null];
  return nullable;
}

function conditionalPresence(
  item: ConditionalPresenceSchema['cases'][number],
  key: string,
  value: JsonSchema,
): JsonSchema {
  switch (item.mode) {
    case 'required':
      return conditional(item.when, {
        type: 'object',
        required: [key],
        properties: { [key]: { type: value.type ?? 'object' } },
      });
    case 'null':
      return conditional(item.when, {
        type: 'object',
        required: [key],
        properties: { [key]: { type: 'null' } },
      });
    case 'empty':
      return conditional(item.when, {
        type: 'object',
        properties: { [key]: item.allowFalse ? { enum: [false, null] } : { type: 'null' } },
      });
  }
}

/** `required` with its keys declared beside it, as a strict validator (Ajv's strictRequired) wants. */
function requires(keys: readonly string[]): JsonSchema {
  return { required: [...keys], properties: Object.fromEntries(keys.map((key) => [key, true])) };
}

/** `if` the siblings hold these values (present, equal) `then` … */
function conditional(when: SiblingCondition, then: JsonSchema): JsonSchema {
  const keys = Object.keys(when);
  if (keys.length === 0) return then;
  return {
    if: {
      type: 'object',
      properties: Object.fromEntries(keys.map((key) => [key, { const: when[key] }])),
      required: keys,
    },
    then,
  };
}

/** Two schemas of one value, both holding: keywords of the second win, `allOf` and `required` add up. */
function merge(first: JsonSchema | undefined, second: JsonSchema): JsonSchema {
  if (!first) return { ...second };
  const merged: JsonSchema = { ...first };
  for (const [keyword, value] of Object.entries(second)) {
    const existing = merged[keyword];
    if (existing === undefined) merged[keyword] = value;
    else if (keyword === 'allOf' || keyword === 'required')
      merged[keyword] = [...new Set([...(existing as unknown[]), ...(value as unknown[])])];
    else if (keyword === 'properties')
      merged[keyword] = mergeProperties(
        existing as Record<string, JsonSchema>,
        value as Record<string, JsonSchema>,
      );
    else if (keyword === 'pattern' && existing !== value)
      merged.allOf = [...((merged.allOf as unknown[]) ?? []), { pattern: value }];
    else if (keyword === 'description') merged[keyword] = existing;
    else merged[keyword] = value;
  }
  return merged;
}

function mergeProperties(
  first: Record<string, JsonSchema>,
  second: Record<string, JsonSchema>,
): Record<string, JsonSchema> {
  const merged = { ...first };
  for (const [key, schema] of Object.entries(second)) merged[key] = merge(merged[key], schema);
  return merged;
}

function dedupe(list: readonly Unexpressed[]): Unexpressed[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const key = `${item.field}\u0000${item.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
