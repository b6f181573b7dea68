/**
 * A strict JSON (RFC 8259) parser that keeps where every value stands in the text.
 *
 * Why our own and not jsonc-parser's parseTree, which we started with: measured on a 200-line
 * deposit (346 KiB), parseTree alone took 6.6× JSON.parse, leaving no room for the rules under the
 * 10× budget; it also needs a second pass for duplicate keys and a third for the nesting limit.
 * This parser does the three in one pass, with the node shape jsonc-parser uses (objects hold
 * `property` nodes of [key, value]), and stops at the first syntax error with its offset.
 */
export type JsonNodeType = 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonNode {
  readonly type: JsonNodeType;
  readonly offset: number;
  length: number;
  /** Decoded value of strings, numbers, booleans (null for null); undefined for containers. */
  readonly value?: unknown;
  readonly children?: JsonNode[];
  /**
   * Arrays only: how many items the text holds. Only the first `maxStoredItems` are kept in
   * `children` (the rest are parsed for syntax, then dropped), so a file of five million `0` costs
   * no more memory than one of a thousand; the rules read `count` to refuse the list.
   */
  count?: number;
}

export type SyntaxErrorKind =
  | 'value-expected'
  | 'comma-expected'
  | 'colon-expected'
  | 'property-name-expected'
  | 'unterminated-string'
  | 'control-character'
  | 'invalid-escape'
  | 'invalid-number'
  | 'end-expected'
  | 'too-deep'
  | 'duplicate-key';

export interface TreeLimits {
  readonly maxDepth: number;
  /** Items kept per array (see JsonNode.count). */
  readonly maxStoredItems: number;
}

export type TreeOutcome =
  | { readonly ok: true; readonly root: JsonNode }
  | {
      readonly ok: false;
      readonly kind: SyntaxErrorKind;
      readonly offset: number;
      readonly key?: string;
      readonly path?: string;
    };

class ParseFailure {
  constructor(
    readonly kind: SyntaxErrorKind,
    readonly offset: number,
    readonly key?: string,
    readonly path?: string,
  ) {}
}

const QUOTE = 0x22;
/** Keys compared one by one before a Set is built for the object. */
const LOOK_BACK_KEYS = 16;
const BACKSLASH = 0x5c;

/** `start` skips a leading byte order mark (the caller decides whether one is allowed). */
export function parseTree(text: string, limits: TreeLimits, start = 0): TreeOutcome {
  const { maxDepth, maxStoredItems } = limits;
  let pos = start;
  const length = text.length;
  // Where the parser stands (keys and indexes), to name the place of a duplicate key.
  const path: Array<string | number> = [];
  const dottedPath = (key: string) =>
    [...path, key]
      .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
      .join('');

  const skipWhitespace = (): void => {
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  const parseString = (): JsonNode => {
    const start = pos;
    pos++; // opening quote
    let escaped = false;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        pos++;
        const value = escaped ? decodeEscapes(text, start, pos) : text.slice(start + 1, pos - 1);
        return { type: 'string', offset: start, length: pos - start, value };
      }
      if (c < 0x20) throw new ParseFailure('control-character', pos);
      if (c === BACKSLASH) {
        escaped = true;
        const next = text.charCodeAt(pos + 1);
        if (next === 0x75) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6)))
            throw new ParseFailure('invalid-escape', pos);
          pos += 6;
          continue;
        }
        // " \ / b f n r t
        if (
          next !== QUOTE &&
          next !== BACKSLASH &&
          next !== 0x2f &&
          next !== 0x62 &&
          next !== 0x66 &&
          next !== 0x6e &&
          next !== 0x72 &&
          next !== 0x74
        ) {
          throw new ParseFailure('invalid-escape', pos);
        }
        pos += 2;
        continue;
      }
      pos++;
    }
    throw new ParseFailure('unterminated-string', start);
  };

  const parseNumber = (): JsonNode => {
    const start = pos;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    const first = text.charCodeAt(pos);
    if (first === 0x30) pos++;
    else if (first >= 0x31 && first <= 0x39) while (isDigit(text.charCodeAt(pos))) pos++;
    else throw new ParseFailure('invalid-number', start);
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) throw new ParseFailure('invalid-number', start);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!isDigit(text.charCodeAt(pos))) throw new ParseFailure('invalid-number', start);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    return {
      type: 'number',
      offset: start,
      length: pos - start,
      value: Number(text.slice(start, pos)),
    };
  };

  const parseLiteral = (): JsonNode => {
    const start = pos;
    if (text.startsWith('true', pos)) {
      pos += 4;
      return { type: 'boolean', offset: start, length: 4, value: true };
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return { type: 'boolean', offset: start, length: 5, value: false };
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { type: 'null', offset: start, length: 4, value: null };
    }
    throw new ParseFailure('value-expected', start);
  };

  const parseValue = (depth: number): JsonNode => {
    skipWhitespace();
    const c = text.charCodeAt(pos);
    if (c === 0x7b) return parseObject(depth + 1);
    if (c === 0x5b) return parseArray(depth + 1);
    if (c === QUOTE) return parseString();
    if (c === 0x2d || isDigit(c)) return parseNumber();
    return parseLiteral();
  };

  const parseObject = (depth: number): JsonNode => {
    if (depth > maxDepth) throw new ParseFailure('too-deep', pos);
    const children: JsonNode[] = [];
    const node: JsonNode = { type: 'object', offset: pos, length: 0, children };
    let seen: Set<string> | undefined;
    pos++;
    skipWhitespace();
    if (text.charCodeAt(pos) === 0x7d) {
      pos++;
      node.length = pos - node.offset;
      return node;
    }
    for (;;) {
      skipWhitespace();
      if (text.charCodeAt(pos) !== QUOTE) throw new ParseFailure('property-name-expected', pos);
      const propertyChildren: JsonNode[] = [];
      const property: JsonNode = {
        type: 'property',
        offset: pos,
        length: 0,
        children: propertyChildren,
      };
      const key = parseString();
      // Deposits have about ten keys per object: a linear look-back is cheapest there. Past a few
      // keys a set takes over, so that a hostile object of 150,000 keys stays linear (it took 343 s).
      const keyValue = key.value as string;
      if (seen) {
        if (seen.has(keyValue)) throw duplicate(key);
        seen.add(keyValue);
      } else {
        for (const other of children) {
          if ((other.children as JsonNode[])[0]?.value === keyValue) throw duplicate(key);
        }
        if (children.length >= LOOK_BACK_KEYS) {
          seen = new Set(children.map((other) => (other.children as JsonNode[])[0]?.value as string));
          seen.add(keyValue);
        }
      }
      propertyChildren.push(key);
      skipWhitespace();
      if (text.charCodeAt(pos) !== 0x3a) throw new ParseFailure('colon-expected', pos);
      pos++;
      path.push(key.value as string);
      propertyChildren.push(parseValue(depth));
      path.pop();
      property.length = pos - property.offset;
      children.push(property);
      skipWhitespace();
      const c = text.charCodeAt(pos);
      if (c === 0x2c) {
        pos++;
        continue;
      }
      if (c === 0x7d) {
        pos++;
        node.length = pos - node.offset;
        return node;
      }
      throw new ParseFailure('comma-expected', pos);
    }
  };

  const parseArray = (depth: number): JsonNode => {
    if (depth > maxDepth) throw new ParseFailure('too-deep', pos);
    const children: JsonNode[] = [];
    const node: JsonNode = { type: 'array', offset: pos, length: 0, children, count: 0 };
    let count = 0;
    pos++;
    skipWhitespace();
    if (text.charCodeAt(pos) === 0x5d) {
      pos++;
      node.length = pos - node.offset;
      return node;
    }
    for (;;) {
      path.push(count);
      const item = parseValue(depth);
      if (count < maxStoredItems) children.push(item);
      count++;
      node.count = count;
      path.pop();
      skipWhitespace();
      const c = text.charCodeAt(pos);
      if (c === 0x2c) {
        pos++;
        continue;
      }
      if (c === 0x5d) {
        pos++;
        node.length = pos - node.offset;
        return node;
      }
      throw new ParseFailure('comma-expected', pos);
    }
  };

  const duplicate = (key: JsonNode) =>
    new ParseFailure('duplicate-key', key.offset, key.value as string, dottedPath(key.value as string));

  try {
    const root = parseValue(0);
    skipWhitespace();
    if (pos < length) throw new ParseFailure('end-expected', pos);
    return { ok: true, root };
  } catch (error) {
    if (error instanceof ParseFailure) {
      return { ok: false, kind: error.kind, offset: error.offset, key: error.key, path: error.path };
    }
    throw error;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Strings with escapes are rare in deposits: the engine's own decoder handles them exactly. */
function decodeEscapes(text: string, start: number, end: number): string {
  return JSON.parse(text.slice(start, end)) as string;
}
