import { type JsonNode, propertyOf } from '../json/json-document';
import { choice, field, lengthBelow, listLabel, notBlank, text, truncate } from '../rules/checks';
import {
  type CheckDraft,
  type LineContext,
  type Rule,
  type Scope,
  type ValueCheck,
  withSchema,
} from '../rules/engine';

import { each, firstPositions, nodeAt, nonEmptyArray, relation, stringAt, stringsOf } from './common';

/**
 * The piecesJustificatives rules shared by the profiles: the block, each declared document (its
 * name's nomenclature, its type, its presence in the zips) and the list as a whole (the mandatory
 * and single types). Each profile gives its own AttachmentPolicy.
 */

export interface AttachmentPolicy {
  /** typeFichier → CodeTypeFichier of the name nomenclature (section 3.3). */
  readonly codeOf: (type: string) => string | undefined;
  /** Allowed typeFichier values, for the message. */
  readonly allowedLabel: string;
  /** The allowed typeFichier values when they are a fixed list (the JSON Schema's enum). */
  readonly types?: readonly string[];
  readonly mandatory: (ctx: LineContext) => ReadonlyArray<{ type: string; reason?: string }>;
  /** Types a request may carry only once ("une demande ne comporte qu'un seul bon de commande"). */
  readonly single: readonly string[];
  /** [type, the type it needs beside it]. */
  readonly companions?: ReadonlyArray<readonly [string, string]>;
  /** Whether the name's CodeTypeFichier agrees with typeFichier; by default it is codeOf(type). */
  readonly nameCodeMatches?: (type: string, nameCode: string) => boolean;
}

export function fixedCodes(
  codes: Readonly<Record<string, string>>,
): Pick<AttachmentPolicy, 'codeOf' | 'allowedLabel' | 'types'> {
  return {
    codeOf: (type) => codes[type],
    allowedLabel: listLabel(Object.keys(codes)),
    types: Object.keys(codes),
  };
}

const EXTENSION_OF_FORMAT: Readonly<Record<string, string>> = { PDF: 'pdf', PNG: 'png', JPG: 'jpg' };

/** The piecesJustificatives block: the array itself (at its row of the table) … */
export function piecesBlockRule(): Rule {
  return field('piecesJustificatives', 'array', [nonEmptyArray]);
}

/** … and its items and the rules on the whole list (at the rows of nomFichier/formatFichier/typeFichier). */
export function piecesItemRules(
  profile: { couloir: string; logiciel: string },
  policy: AttachmentPolicy,
): readonly Rule[] {
  const typeCheck: ValueCheck = withSchema(
    (node) =>
      policy.codeOf(node.value as string) !== undefined
        ? undefined
        : { code: '2005', params: { attendu: policy.allowedLabel, recu: truncate(node.value as string) } },
    policy.types
      ? { keywords: { enum: [...policy.types] }, format: `valeurs : ${policy.allowedLabel}` }
      : {
          format: `valeurs : ${policy.allowedLabel}`,
          unexpressed: 'les types de pièce des catalogues transcodés',
        },
  );
  return [
    each('piecesJustificatives', [
      text('nomFichier', [notBlank, lengthBelow(50)]),
      choice('formatFichier', ['PDF', 'PNG', 'JPG']),
      text('typeFichier', [typeCheck]),
      relation('nomFichier', (ctx, scope) => nomenclatureCheck(ctx, scope, profile, policy)),
      relation('nomFichier', duplicateDeclaration),
      relation('nomFichier', attachmentInZips),
    ]),
    relation('piecesJustificatives', (ctx) => listCheck(ctx, policy)),
  ];
}

function nomenclatureCheck(
  ctx: LineContext,
  scope: Scope,
  profile: { couloir: string; logiciel: string },
  policy: AttachmentPolicy,
): CheckDraft | undefined {
  const name = stringOfScope(scope, 'nomFichier');
  if (name === undefined || name.trim() === '') return undefined;
  const format = stringOfScope(scope, 'formatFichier');
  const type = stringOfScope(scope, 'typeFichier');
  const numeroEditeur = stringAt(ctx, 'numeroEditeur') ?? '<numeroEditeur>';
  const code = type === undefined ? undefined : policy.codeOf(type);
  const extension = format === undefined ? undefined : EXTENSION_OF_FORMAT[format];
  const expected = `${profile.couloir}-${profile.logiciel}-Va1-${code ?? '<CodeTypeFichier>'}-${numeroEditeur}.${extension ?? '<pdf|png|jpg>'}`;

  const dot = name.lastIndexOf('.');
  const parts = (dot < 0 ? name : name.slice(0, dot)).split('-');
  const nameExtension = dot < 0 ? '' : name.slice(dot + 1);
  const [couloir, logiciel, vague, nameCode, nameEditeur] = parts;
  if (
    parts.length !== 5 ||
    couloir !== profile.couloir ||
    logiciel !== profile.logiciel ||
    vague !== 'Va1' ||
    dot < 0
  ) {
    return { code: '2052', params: { recu: name, attendu: expected } };
  }
  if (nameEditeur !== numeroEditeur) {
    return { code: '2053', params: { recu: name, nomEditeur: nameEditeur ?? '', numeroEditeur } };
  }
  if (extension !== undefined && nameExtension !== extension) {
    return {
      code: '2054',
      params: { recu: name, extension: nameExtension, format: format ?? '', attendu: extension },
    };
  }
  const agrees =
    type === undefined || code === undefined
      ? true
      : policy.nameCodeMatches
        ? policy.nameCodeMatches(type, nameCode ?? '')
        : nameCode === code;
  if (!agrees) {
    return { code: '2055', params: { recu: name, nomCode: nameCode ?? '', type: type ?? '', attendu: code } };
  }
  return undefined;
}

function stringOfScope(scope: Scope, key: string): string | undefined {
  const node = propertyOf(scope.node, key);
  return node?.type === 'string' ? (node.value as string) : undefined;
}

const declarationIndexes = new WeakMap<readonly JsonNode[], Map<string, number>>();

/** A document declared twice in one request; one index per list, as for the beneficiaries. */
const duplicateDeclaration = (_ctx: LineContext, scope: Scope): CheckDraft | undefined => {
  const name = stringOfScope(scope, 'nomFichier');
  if (name === undefined) return undefined;
  const siblings = scope.siblings ?? [];
  let index = declarationIndexes.get(siblings);
  if (!index) {
    index = firstPositions(siblings, (item) => {
      const other = propertyOf(item, 'nomFichier');
      return other?.type === 'string' ? (other.value as string) : undefined;
    });
    declarationIndexes.set(siblings, index);
  }
  const first = index.get(name);
  return first !== undefined && first < (scope.index ?? 0)
    ? { code: '2056', params: { recu: name } }
    : undefined;
};

const attachmentInZips = (ctx: LineContext, scope: Scope): readonly CheckDraft[] | CheckDraft | undefined => {
  const name = stringOfScope(scope, 'nomFichier');
  if (name === undefined || name.trim() === '') return undefined;
  if (!ctx.env.attachments) return { code: '8003', params: { recu: name } };
  // A misspelt format (« pdf ») is its own error (2027): the content is not judged against it.
  const format = stringOfScope(scope, 'formatFichier');
  return ctx.env.attachments.checkDeclared(
    name,
    format && format in EXTENSION_OF_FORMAT ? format : undefined,
  );
};

function listCheck(ctx: LineContext, policy: AttachmentPolicy): CheckDraft[] {
  const pieces = nodeAt(ctx, 'piecesJustificatives');
  if (pieces?.type !== 'array') return [];
  const types = stringsOf(pieces, 'typeFichier');
  const count = (type: string) => types.filter((value) => value === type).length;
  const drafts: CheckDraft[] = [];
  for (const { type, reason } of policy.mandatory(ctx)) {
    if (count(type) === 0) drafts.push({ code: '2050', params: { type, raison: reason ?? '' } });
  }
  for (const type of policy.single) {
    if (count(type) > 1) drafts.push({ code: '2051', params: { type, nombre: count(type) } });
  }
  for (const [type, requires] of policy.companions ?? []) {
    if (count(type) > 0 && count(requires) === 0)
      drafts.push({ code: '2057', params: { type, requis: requires } });
  }
  return drafts;
}

/** Avance profiles: one BON_COMMANDE, and a PREUVE_HT when the VAT regime is HT (formats.md decision 7). */
export function avanceMandatoryAttachments(
  ctx: LineContext,
): ReadonlyArray<{ type: string; reason?: string }> {
  const mandatory: Array<{ type: string; reason?: string }> = [{ type: 'BON_COMMANDE' }];
  if (stringAt(ctx, 'commande.regimeTVA') === 'HT') {
    mandatory.push({ type: 'PREUVE_HT', reason: ' car commande.regimeTVA vaut « HT »' });
  }
  return mandatory;
}
