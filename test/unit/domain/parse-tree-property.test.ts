import fc from 'fast-check';
import { type JsonNode, parseTree } from '../../../shared/domain/json/parse-tree';

/**
 * The hand-written parser against JSON.parse, on generated documents: same acceptance (apart from
 * duplicate keys and the nesting limit, which it refuses on purpose), same values, and every node's
 * offset and length pointing at the text of its value.
 */
const LIMITS = { maxDepth: 64, maxStoredItems: 100_000 };

type Canonical = null | boolean | number | string | Canonical[] | { entries: Array<[string, Canonical]> };

function fromJs(value: unknown): Canonical {
  if (Array.isArray(value)) return value.map(fromJs);
  if (value !== null && typeof value === 'object')
    return { entries: Object.entries(value).map(([key, item]) => [key, fromJs(item)]) };
  return value as Canonical;
}

function fromTree(node: JsonNode): Canonical {
  if (node.type === 'array') return (node.children ?? []).map(fromTree);
  if (node.type === 'object')
    return {
      entries: (node.children ?? []).map((property) => {
        const [key, value] = property.children as [JsonNode, JsonNode];
        return [key.value as string, fromTree(value)];
      }),
    };
  return node.value as Canonical;
}

function everyNode(node: JsonNode, visit: (node: JsonNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) everyNode(child, visit);
}

/** Text as JSON.stringify writes it, with some whitespace between the tokens. */
const documents = fc
  .tuple(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom(0, 1, 2, '\t', ' \r\n '))
  .map(([value, indent]) => JSON.stringify(value, null, indent as never) ?? 'null');

/** Valid texts with one character inserted, deleted or replaced somewhere. */
const damaged = fc
  .tuple(
    documents,
    fc.nat(),
    fc.constantFrom('insert', 'delete', 'replace'),
    fc.string({ minLength: 1, maxLength: 1 }),
  )
  .map(([text, at, edit, char]) => {
    const index = text.length === 0 ? 0 : at % text.length;
    if (edit === 'insert') return text.slice(0, index) + char + text.slice(index);
    if (edit === 'delete') return text.slice(0, index) + text.slice(index + 1);
    return text.slice(0, index) + char + text.slice(index + 1);
  });

function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('parseTree against JSON.parse', () => {
  it('reads what JSON.stringify writes to the same values', () => {
    fc.assert(
      fc.property(documents, (text) => {
        const outcome = parseTree(text, LIMITS);
        if (!outcome.ok) return outcome.kind === 'duplicate-key';
        expect(fromTree(outcome.root)).toEqual(fromJs(JSON.parse(text)));
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('points every node at the text of its value', () => {
    fc.assert(
      fc.property(documents, (text) => {
        const outcome = parseTree(text, LIMITS);
        if (!outcome.ok) return true;
        everyNode(outcome.root, (node) => {
          if (node.type === 'property') return;
          const slice = text.slice(node.offset, node.offset + node.length);
          expect(fromJs(JSON.parse(slice))).toEqual(fromTree(node));
        });
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('accepts and refuses what JSON.parse does, duplicate keys apart', () => {
    fc.assert(
      fc.property(fc.oneof(damaged, fc.string({ maxLength: 30 })), (text) => {
        const outcome = parseTree(text, LIMITS);
        if (outcome.ok) return jsonParseAccepts(text);
        expect(outcome.offset).toBeLessThanOrEqual(text.length);
        // Refused where JSON.parse accepts: only for a duplicate key. (A duplicate key may also be
        // found before a later syntax error, so both refusing is fine whatever the reason given.)
        return !jsonParseAccepts(text) || outcome.kind === 'duplicate-key';
      }),
      { numRuns: 2000 },
    );
  });
});
