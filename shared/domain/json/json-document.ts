import type { Code, ParamsOf } from '../catalog';
import { draftOf, type FindingDraft } from '../findings';
import { type JsonNode, parseTree, type SyntaxErrorKind } from './parse-tree';

export type { JsonNode } from './parse-tree';

/**
 * A deposited JSON file kept as text, with a tree that points back into it.
 *
 * Why not JSON.parse: the rules need the raw text of numbers (`1075.00` must keep its two decimals),
 * the source position of every value (the report gives line:column), duplicate keys (JSON.parse keeps
 * the last one silently) and byte-exact edits for the annotated file. A tree of offsets and lengths
 * over the original text (parse-tree.ts) serves all four.
 */

export interface JsonDocument {
  readonly text: string;
  readonly root: JsonNode;
  /** Offsets where each source line starts, for offset → line:column. */
  readonly lineStarts: readonly number[];
  /**
   * The file starts with a UTF-8 byte order mark: RFC 8259 lets a parser ignore it and Windows tools
   * write it, so it is accepted with a warning (8006). It stays in `text` (as U+FEFF), so offsets and
   * the byte-preserving annotation keep it.
   */
  readonly bom: boolean;
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface DocumentLimits {
  /** Larger files are refused before parsing: a 200-line deposit weighs well under 1 MiB. */
  readonly maxBytes: number;
  /** The deepest legitimate nesting in the four formats is 5; anything far deeper is hostile. */
  readonly maxDepth: number;
  /**
   * Items kept per array: more than any list of a request may hold (MAX_LIST_ITEMS) and than a
   * file's 200 lines; the items past it are parsed for syntax and dropped (JsonNode.count).
   */
  readonly maxStoredItems: number;
}

export const DEFAULT_LIMITS: DocumentLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxDepth: 64,
  maxStoredItems: 1000,
};

export type ParseOutcome =
  | { readonly ok: true; readonly doc: JsonDocument }
  | { readonly ok: false; readonly finding: FindingDraft & { offset?: number } };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Control 1, first part: bytes → a JSON document, or the reason the file is not one. */
/**
 * `totalBytes` is the file's real size when only its first bytes were read (the caller reads at most
 * the limit + 1, so a 99 MB file or /dev/zero is refused without being read).
 */
export function parseJsonDocument(
  bytes: Uint8Array,
  limits: DocumentLimits = DEFAULT_LIMITS,
  totalBytes: number = bytes.length,
): ParseOutcome {
  const size = Math.max(totalBytes, bytes.length);
  if (size > limits.maxBytes) return fail('1004', { taille: size, max: limits.maxBytes });
  if (bytes.length === 0) return fail('1001');
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('1002', { octet: firstInvalidUtf8Offset(bytes) });
  }
  if (text.trim() === '') return fail('1001');

  const lineStarts = computeLineStarts(text);
  // Columns of the first line are counted after the mark, as editors show them.
  if (bom) lineStarts[0] = 1;
  const tree = parseTree(text, limits, bom ? 1 : 0);
  if (!tree.ok) {
    if (tree.kind === 'too-deep') return failAt('1006', { max: limits.maxDepth }, tree.offset, lineStarts);
    if (tree.kind === 'duplicate-key') {
      return {
        ok: false,
        finding: {
          code: '1007',
          field: tree.path ?? '',
          params: { cle: tree.key ?? '' },
          offset: tree.offset,
        },
      };
    }
    return failAt('1005', { erreur: SYNTAX_ERRORS_FR[tree.kind] }, tree.offset, lineStarts);
  }
  const root = tree.root;
  if (root.type !== 'object') {
    return {
      ok: false,
      finding: { code: '1008', field: '', params: { recu: describeType(root) }, offset: 0 },
    };
  }
  return { ok: true, doc: { text, root, lineStarts, bom } };
}

function fail<C extends Code>(code: C, params: ParamsOf<C> = {}): ParseOutcome {
  return { ok: false, finding: draftOf(code, '', params) };
}

function failAt<C extends Code>(
  code: C,
  params: ParamsOf<C>,
  offset: number,
  lineStarts: readonly number[],
): ParseOutcome {
  const { line, column } = positionAt(lineStarts, offset);
  return {
    ok: false,
    finding: { ...draftOf(code, '', { ...params, ligne: line, colonne: column }), offset },
  };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return i;
}

const SYNTAX_ERRORS_FR: Readonly<Record<SyntaxErrorKind, string>> = {
  'value-expected': 'valeur attendue (chaîne, nombre, true, false, null, objet ou tableau)',
  'comma-expected': '« , » attendue',
  'colon-expected': '« : » attendu',
  'property-name-expected': 'nom de balise entre guillemets attendu',
  'unterminated-string': 'chaîne non terminée',
  'control-character': 'caractère de contrôle interdit dans une chaîne (retour à la ligne, tabulation…)',
  'invalid-escape': "séquence d'échappement invalide",
  'invalid-number': 'nombre mal formé',
  'end-expected': 'contenu après la fin du JSON',
  'too-deep': 'imbrication trop profonde',
  'duplicate-key': 'balise en double',
};

function computeLineStarts(text: string): number[] {
  const starts = [0];
  let index = text.indexOf('\n');
  while (index !== -1) {
    starts.push(index + 1);
    index = text.indexOf('\n', index + 1);
  }
  return starts;
}

/** 1-based line and column of an offset (columns count UTF-16 units, as editors do). */
export function positionAt(lineStarts: readonly number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}

export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** The value node of `key` in an object node (keys compared as decoded strings). */
export function propertyOf(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (const property of node.children ?? []) {
    const keyNode = property.children?.[0];
    if (keyNode && keyNode.value === key) return property.children?.[1];
  }
  return undefined;
}

/** The keys of an object node, in source order, with their key nodes (for positions). */
export function propertiesOf(
  node: JsonNode,
): Array<{ key: string; keyNode: JsonNode; value: JsonNode | undefined }> {
  if (node.type !== 'object') return [];
  return (node.children ?? []).flatMap((property) => {
    const keyNode = property.children?.[0];
    return keyNode ? [{ key: String(keyNode.value), keyNode, value: property.children?.[1] }] : [];
  });
}

/** The items kept of an array (at most DocumentLimits.maxStoredItems; see itemCount). */
export function itemsOf(node: JsonNode | undefined): readonly JsonNode[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

/** How many items an array holds in the text, including those past the stored ones. */
export function itemCount(node: JsonNode | undefined): number {
  return node?.type === 'array' ? (node.count ?? node.children?.length ?? 0) : 0;
}

/** The JSON source text of a value, exactly as the vendor wrote it. */
export function rawText(doc: JsonDocument, node: JsonNode): string {
  return doc.text.slice(node.offset, node.offset + node.length);
}

/** A short excerpt of a value for messages: whole when short, cut with an ellipsis when long. */
export function excerpt(doc: JsonDocument, node: JsonNode, max = 40): string {
  // A string is shown as its value, the messages put it between « »: never « "0000" ».
  const source = node.type === 'string' ? String(node.value) : rawText(doc, node);
  const raw = source.replace(/\s+/g, ' ');
  return raw.length <= max ? raw : `${raw.slice(0, max - 1)}…`;
}

export function describeType(node: JsonNode | undefined): string {
  if (!node) return 'absent';
  switch (node.type) {
    case 'string':
      return 'une chaîne';
    case 'number':
      return 'un nombre';
    case 'boolean':
      return 'un booléen';
    case 'null':
      return 'null';
    case 'object':
      return 'un objet';
    case 'array':
      return 'un tableau';
    default:
      return node.type;
  }
}

/**
 * The text of a deposit for showing excerpts of it in a report: the parsed text when it parsed,
 * else the bytes decoded leniently (a syntax error's line shown too; invalid UTF-8 as U+FFFD).
 */
export function sourceTextOf(parsed: ParseOutcome, bytes: Uint8Array): string {
  return parsed.ok ? parsed.doc.text : new TextDecoder('utf-8').decode(bytes);
}
