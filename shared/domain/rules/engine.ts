import { CATALOG, type Code } from '../catalog';
import { closestName } from '../closest-name';
import type { DraftOf, Finding, FindingDraft } from '../findings';
import {
  describeType,
  excerpt,
  itemCount,
  itemsOf,
  type JsonDocument,
  type JsonNode,
  joinPath,
  propertyOf,
} from '../json/json-document';
import type { LineEnvironment } from './line-environment';

/**
 * The rule engine of control 2. A profile is a list of rules in the order of its seed's section 3.2
 * table; the engine walks them once per line and collects every finding in that order, so the first
 * error is the line's verdict (formats.md decision 2) and the others feed the full report.
 *
 * Array items are walked in document order, and within an item the table order applies (decision
 * documented in docs/decisions.md).
 */
/**
 * The most items a list of a request may hold (doctors, establishments, FINESS, documents): far
 * above any real order, and low enough that a line costs little whatever it contains. A longer
 * list rejects its line (2025) without its items being walked.
 */
export const MAX_LIST_ITEMS = 1000;

export interface Scope {
  readonly node: JsonNode;
  /** Path of `node` relative to the line ('' for the line itself). */
  readonly path: string;
  /** Position among its siblings when the scope is an array item. */
  readonly index?: number;
  readonly siblings?: readonly JsonNode[];
}

export interface LineContext {
  readonly doc: JsonDocument;
  readonly line: JsonNode;
  readonly numLigne: number;
  readonly env: LineEnvironment;
  readonly findings: Finding[];
}

export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/**
 * required: present and not null. nullable: present, null accepted. optional: may be absent or null.
 * null / false: present with exactly that value. empty: must not be filled (absent or null, or
 * false when `allowFalse`). `reason` explains a condition in the message (« car … »).
 */
export type Presence =
  | { readonly mode: 'required'; readonly reason?: string }
  | { readonly mode: 'nullable' }
  | { readonly mode: 'optional' }
  | { readonly mode: 'null'; readonly reason?: string }
  | { readonly mode: 'false'; readonly reason?: string }
  | { readonly mode: 'falseOrNull'; readonly reason?: string }
  | { readonly mode: 'empty'; readonly reason?: string; readonly allowFalse?: boolean };

/** A draft produced by a check: its field defaults to the field being checked. */
export type CheckDraft = { [C in Code]: Omit<DraftOf<C>, 'field'> & { readonly field?: string } }[Code];

export type ValueCheck = ((node: JsonNode, ctx: LineContext, scope: Scope) => CheckDraft | undefined) & {
  /** What the check says in a JSON Schema (schema/deposit-schema.ts); absent: it cannot be said there. */
  readonly schema?: CheckSchema;
};

/**
 * A check as a JSON Schema says it: keywords on the value, the table's wording of the format (for
 * the property's description), and what the schema cannot say of it (for the list of rules only
 * `controler` checks). A schema keyword may be weaker than the check, never stronger: a value the
 * check accepts always validates.
 */
export interface CheckSchema {
  readonly keywords?: Readonly<Record<string, unknown>>;
  readonly format?: string;
  readonly unexpressed?: string;
  /** A warning: it rejects nothing, so the schema does not hold it against the value. */
  readonly warningOnly?: boolean;
}

/** Values of sibling keys (in the same object) that make a condition hold: `{ commandePour: 'LIBERAL' }`. */
export type SiblingCondition = Readonly<Record<string, string | boolean>>;

/**
 * A presence that depends on sibling values, as a JSON Schema `if`/`then` can say it: the cases
 * where the field is required, must be null, or left empty; otherwise it may be absent or null.
 */
export interface ConditionalPresenceSchema {
  readonly description: string;
  /** When no case holds: present (maybe null), or free to be absent. */
  readonly base: 'nullable' | 'optional';
  readonly cases: ReadonlyArray<{
    readonly when: SiblingCondition;
    readonly mode: 'required' | 'null' | 'empty';
    readonly allowFalse?: boolean;
  }>;
  /** What the cases leave to controler (a condition on another block of the line). */
  readonly unexpressed?: string;
}

/** A conditional presence, with its schema when it can be said: the function is what controler runs. */
export type PresenceFunction = ((ctx: LineContext, scope: Scope) => Presence) & {
  readonly schema?: ConditionalPresenceSchema;
};

/** A check with what a JSON Schema says of it. */
export function withSchema(
  check: (node: JsonNode, ctx: LineContext, scope: Scope) => CheckDraft | undefined,
  schema: CheckSchema,
): ValueCheck {
  return Object.assign(check, { schema });
}

export interface FieldRule {
  readonly kind: 'field';
  readonly key: string;
  /** Other accepted spellings of the key (formats.md decision 6): exactly one may be present. */
  readonly aliases?: readonly string[];
  readonly presence: Presence | PresenceFunction;
  readonly type?: JsonType;
  /** Run in order once presence and type hold; the first error stops the field. */
  readonly checks?: readonly ValueCheck[];
}

/** Descends into a nested object; its own presence and type are a preceding field rule's job. */
export interface ObjectRule {
  readonly kind: 'object';
  readonly key: string;
  readonly rules: readonly Rule[];
}

/** Walks the items of an array: objects (`rules`) or scalars (`item`). */
export interface EachRule {
  readonly kind: 'each';
  readonly key: string;
  readonly rules?: readonly Rule[];
  readonly item?: { readonly type: JsonType; readonly checks: readonly ValueCheck[] };
}

/** A rule relating fields, evaluated at its place in the table order. */
export interface RelationRule {
  readonly kind: 'relation';
  /** Key (relative to the scope) the finding names by default; '' names the scope itself. */
  readonly key: string;
  readonly run: (ctx: LineContext, scope: Scope) => CheckDraft | readonly CheckDraft[] | undefined;
  /** What a JSON Schema says of the relation: keywords on the key's value when siblings hold values. */
  readonly schema?: RelationSchema;
}

export interface RelationSchema {
  readonly cases: ReadonlyArray<{
    readonly when: SiblingCondition;
    readonly keywords: Readonly<Record<string, unknown>>;
  }>;
  /** What the cases leave to controler. */
  readonly unexpressed?: string;
}

/** Rules that only apply when a condition on the line holds (e.g. commandePour = STRUCTURE). */
export interface WhenRule {
  readonly kind: 'when';
  readonly test: (ctx: LineContext, scope: Scope) => boolean;
  readonly rules: readonly Rule[];
  readonly otherwise?: readonly Rule[];
  /** The condition as sibling values, when a JSON Schema `if` can say it. */
  readonly schemaIf?: SiblingCondition;
}

export type Rule = FieldRule | ObjectRule | EachRule | RelationRule | WhenRule;

export function runRules(rules: readonly Rule[], ctx: LineContext, scope: Scope): void {
  for (const rule of rules) {
    switch (rule.kind) {
      case 'field':
        runField(rule, ctx, scope);
        break;
      case 'object': {
        const node = propertyOf(scope.node, rule.key);
        if (node?.type === 'object')
          runRules(rule.rules, ctx, { node, path: joinPath(scope.path, rule.key) });
        break;
      }
      case 'each':
        runEach(rule, ctx, scope);
        break;
      case 'relation': {
        const drafts = rule.run(ctx, scope);
        const list: readonly CheckDraft[] =
          drafts === undefined ? [] : Array.isArray(drafts) ? drafts : [drafts];
        for (const draft of list) {
          const field = draft.field ?? (rule.key === '' ? scope.path : joinPath(scope.path, rule.key));
          push(ctx, { ...draft, field }, nodeForOffset(scope, rule.key));
        }
        break;
      }
      case 'when':
        runRules(rule.test(ctx, scope) ? rule.rules : (rule.otherwise ?? []), ctx, scope);
        break;
    }
  }
}

function nodeForOffset(scope: Scope, key: string): JsonNode {
  return (key === '' ? undefined : propertyOf(scope.node, key)) ?? scope.node;
}

function runEach(rule: EachRule, ctx: LineContext, scope: Scope): void {
  const array = propertyOf(scope.node, rule.key);
  if (array?.type !== 'array') return;
  const arrayPath = joinPath(scope.path, rule.key);
  const count = itemCount(array);
  if (count > MAX_LIST_ITEMS) {
    push(ctx, { code: '2025', field: arrayPath, params: { nombre: count, max: MAX_LIST_ITEMS } }, array);
    return;
  }
  const items = itemsOf(array);
  items.forEach((item, index) => {
    const path = `${arrayPath}[${index}]`;
    if (rule.rules) {
      if (item.type !== 'object') {
        push(
          ctx,
          { code: '2002', field: path, params: { attendu: 'un objet', recu: received(ctx.doc, item) } },
          item,
        );
        return;
      }
      runRules(rule.rules, ctx, { node: item, path, index, siblings: items });
    } else if (rule.item) {
      const itemScope: Scope = { node: item, path, index, siblings: items };
      if (item.type !== rule.item.type) {
        push(
          ctx,
          {
            code: '2002',
            field: path,
            params: { attendu: typeLabel(rule.item.type), recu: received(ctx.doc, item) },
          },
          item,
        );
        return;
      }
      runChecks(rule.item.checks, item, ctx, itemScope, path);
    }
  });
}

function runField(rule: FieldRule, ctx: LineContext, scope: Scope): void {
  const located = locate(rule, scope);
  // Built only when a finding needs it: most fields pass, and a path per field is garbage.
  const field = () => joinPath(scope.path, located.key);
  if (located.duplicate) {
    push(
      ctx,
      { code: '2016', field: field(), params: { autre: joinPath(scope.path, located.duplicate) } },
      located.node ?? scope.node,
    );
    return;
  }
  const node = located.node;
  const presence = typeof rule.presence === 'function' ? rule.presence(ctx, scope) : rule.presence;
  // One space before a reason, however the reason was written (« doit valoir null (l'ASP…) »).
  const reason = 'reason' in presence && presence.reason ? ` ${presence.reason.trimStart()}` : '';

  if (!node) {
    if (presence.mode === 'optional' || presence.mode === 'empty') return;
    if (presence.mode === 'required' && presence.reason) {
      push(ctx, { code: '2015', field: field(), params: { raison: reason } }, scope.node);
    } else {
      push(ctx, { code: '2001', field: field() }, scope.node);
    }
    return;
  }
  switch (presence.mode) {
    case 'null':
      if (node.type !== 'null')
        push(
          ctx,
          { code: '2003', field: field(), params: { raison: reason, recu: excerpt(ctx.doc, node) } },
          node,
        );
      return;
    case 'false':
      if (!(node.type === 'boolean' && node.value === false)) {
        push(
          ctx,
          { code: '2004', field: field(), params: { raison: reason, recu: excerpt(ctx.doc, node) } },
          node,
        );
      }
      return;
    case 'falseOrNull':
      if (!(node.type === 'null' || (node.type === 'boolean' && node.value === false))) {
        push(
          ctx,
          { code: '2026', field: field(), params: { raison: reason, recu: excerpt(ctx.doc, node) } },
          node,
        );
      }
      return;
    case 'empty': {
      const isEmpty =
        node.type === 'null' ||
        (presence.allowFalse === true && node.type === 'boolean' && node.value === false);
      if (!isEmpty)
        push(
          ctx,
          { code: '2017', field: field(), params: { raison: reason, recu: excerpt(ctx.doc, node) } },
          node,
        );
      return;
    }
    case 'nullable':
    case 'optional':
      if (node.type === 'null') return;
      break;
    case 'required':
      if (node.type === 'null') {
        if (presence.reason) push(ctx, { code: '2015', field: field(), params: { raison: reason } }, node);
        else
          push(
            ctx,
            { code: '2002', field: field(), params: { attendu: typeLabel(rule.type), recu: 'null' } },
            node,
          );
        return;
      }
      break;
  }
  if (rule.type && node.type !== rule.type) {
    push(
      ctx,
      {
        code: '2002',
        field: field(),
        params: { attendu: typeLabel(rule.type), recu: received(ctx.doc, node) },
      },
      node,
    );
    return;
  }
  runChecks(rule.checks ?? [], node, ctx, scope, field);
}

function runChecks(
  checks: readonly ValueCheck[],
  node: JsonNode,
  ctx: LineContext,
  scope: Scope,
  field: string | (() => string),
): void {
  for (const check of checks) {
    const draft = check(node, ctx, scope);
    if (!draft) continue;
    push(ctx, { ...draft, field: draft.field ?? (typeof field === 'string' ? field : field()) }, node);
    if (CATALOG[draft.code].severity === 'error') return;
  }
}

function locate(rule: FieldRule, scope: Scope): { key: string; node?: JsonNode; duplicate?: string } {
  if (!rule.aliases) return { key: rule.key, node: propertyOf(scope.node, rule.key) };
  // Spelling variants (formats.md decision 6): the first present names the field, a second is an error.
  const present = [rule.key, ...rule.aliases].filter((key) => propertyOf(scope.node, key) !== undefined);
  const first = present[0];
  if (first === undefined) return { key: rule.key };
  return { key: first, node: propertyOf(scope.node, first), duplicate: present[1] };
}

function push(ctx: LineContext, draft: FindingDraft, node: JsonNode): void {
  const severity = CATALOG[draft.code].severity;
  ctx.findings.push({ ...draft, severity, offset: node.offset });
}

function typeLabel(type: JsonType | undefined): string {
  switch (type) {
    case 'string':
      return 'une chaîne entre guillemets';
    case 'number':
      return 'un nombre';
    case 'boolean':
      return 'un booléen true ou false';
    case 'object':
      return 'un objet { … }';
    case 'array':
      return 'un tableau [ … ]';
    default:
      return 'renseigné';
  }
}

/** How a received value is shown in a message: its type and, for scalars, its text. */
export function received(doc: JsonDocument, node: JsonNode): string {
  if (node.type === 'null') return 'null';
  if (node.type === 'object' || node.type === 'array') return describeType(node);
  return `${describeType(node)} « ${excerpt(doc, node)} »`;
}

/** The known keys of each object, derived from the rules themselves: one source of truth. */
export interface Shape {
  readonly keys: Map<string, Shape | undefined>;
}

export function shapeOf(rules: readonly Rule[]): Shape {
  const shape: Shape = { keys: new Map() };
  addToShape(shape, rules);
  return shape;
}

function addToShape(shape: Shape, rules: readonly Rule[]): void {
  for (const rule of rules) {
    switch (rule.kind) {
      case 'field':
        for (const key of [rule.key, ...(rule.aliases ?? [])]) {
          if (!shape.keys.has(key)) shape.keys.set(key, undefined);
        }
        break;
      case 'object':
      case 'each': {
        const nested = shape.keys.get(rule.key) ?? { keys: new Map() };
        if (rule.kind === 'object' || rule.rules)
          addToShape(nested, rule.kind === 'object' ? rule.rules : (rule.rules ?? []));
        shape.keys.set(rule.key, rule.kind === 'each' && !rule.rules ? undefined : nested);
        break;
      }
      case 'when':
        addToShape(shape, rule.rules);
        addToShape(shape, rule.otherwise ?? []);
        break;
      case 'relation':
        break;
    }
  }
}

/** Warnings for keys the format does not know (formats.md decision 6: reported, not rejected). */
/** Unknown keys per line looked at for a typo (as many as a report shows). */
const MAX_SUGGESTIONS = 50;

/** The known keys an object lacks: what a typo may have been meant for. */
function missingKeys(shape: Shape, children: readonly JsonNode[]): string[] {
  const present = new Set(children.map((child) => child.children?.[0]?.value as string));
  return [...shape.keys.keys()].filter((known) => !present.has(known));
}

export function unknownKeyFindings(
  shape: Shape,
  node: JsonNode,
  path: string,
  profile: string,
  /** Told of each unknown key close to a known one the object lacks (its path, the known key's path). */
  onTypo?: (unknownPath: string, knownPath: string) => void,
): Finding[] {
  const findings: Finding[] = [];
  let suggested = 0;
  // Path segments are kept on a stack and joined only for an unknown key: most lines have none.
  const segments: string[] = path === '' ? [] : [path];
  const pathNow = (key: string) => [...segments, key].join('.').replace(/\.\[/g, '[');
  const walk = (current: Shape, value: JsonNode): void => {
    const children = value.children;
    if (!children) return;
    if (value.type === 'array') {
      for (let index = 0; index < children.length; index++) {
        segments.push(`[${index}]`);
        walk(current, children[index] as JsonNode);
        segments.pop();
      }
      return;
    }
    let missing: string[] | undefined;
    for (const property of children) {
      const keyNode = property.children?.[0];
      if (!keyNode) continue;
      const key = keyNode.value as string;
      if (!current.keys.has(key)) {
        // A known key the object lacks, close to this one: a typo, said as such. Looked for among
        // the first unknown keys only: a hostile line of 150,000 unknown keys stays linear.
        missing ??= missingKeys(current, children);
        const suggestion = suggested++ < MAX_SUGGESTIONS ? closestName(key, missing) : undefined;
        if (suggestion) onTypo?.(pathNow(key), pathNow(suggestion));
        findings.push({
          code: '8001',
          field: pathNow(key),
          params: {
            profil: profile,
            ...(suggestion ? { suggestion: ` (vouliez-vous dire ${suggestion} ?)` } : {}),
          },
          severity: 'warning',
          offset: keyNode.offset,
        });
        continue;
      }
      const nested = current.keys.get(key);
      const child = property.children?.[1];
      if (nested && child?.children) {
        segments.push(key);
        walk(nested, child);
        segments.pop();
      }
    }
  };
  walk(shape, node);
  return findings;
}
