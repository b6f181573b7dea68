import { type JsonDocument, type JsonNode, propertiesOf, propertyOf } from './json/json-document';
import type { FileVerdict } from './judge-file';

/**
 * The annotated file (formats.md decision 10): the deposit byte for byte, with only
 * codeTraitement, libelleTraitement and, in the pipeline, numeroASP of accepted avance lines and
 * impId filled in (and the numeroASP of a rejected avance line set back to null). Edits are splices at the offsets of the parsed tree, so `1075.00`, the vendor's
 * indentation, key order and line endings all stay as they were.
 */
export interface AnnotationFills {
  /** impId given by the pipeline to the file; absent: impId stays as deposited. */
  readonly impId?: string;
  /** numeroASP given to accepted avance lines, by numLigne. */
  readonly numeroAspByLine?: ReadonlyMap<number, string>;
}

interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

export function annotate(doc: JsonDocument, verdict: FileVerdict, fills: AnnotationFills = {}): string {
  const edits: Edit[] = [];
  if (fills.impId !== undefined) {
    const impId = propertyOf(doc.root, 'impId');
    if (impId) edits.push(replace(impId, fills.impId));
  }
  const lines = (propertyOf(doc.root, 'lignesImport')?.children ?? []).filter(
    (node) => node.type === 'object',
  );
  for (const verdictLine of verdict.lines) {
    const line = lines[verdictLine.numLigne - 1];
    if (!line) continue;
    const values: Array<[string, string]> = [
      ['codeTraitement', verdictLine.codeTraitement],
      ['libelleTraitement', verdictLine.libelleTraitement],
    ];
    const numeroASP = fills.numeroAspByLine?.get(verdictLine.numLigne);
    if (numeroASP !== undefined && verdictLine.accepted) values.push(['numeroASP', numeroASP]);
    // A rejected avance line has no ASP number: one the vendor wrote would read as attributed.
    // (A solde's numeroASP is the vendor's reference to its avance: it stays.)
    const written = propertyOf(line, 'numeroASP');
    if (verdict.type === 'avance' && !verdictLine.accepted && written && written.type !== 'null') {
      edits.push({ offset: written.offset, length: written.length, content: 'null' });
    }
    const missing: Array<[string, string]> = [];
    for (const [key, value] of values) {
      const node = propertyOf(line, key);
      if (node) edits.push(replace(node, value));
      else missing.push([key, value]);
    }
    if (missing.length > 0) edits.push(insertProperties(doc, line, missing));
  }
  return applyEdits(doc.text, edits);
}

function replace(node: JsonNode, value: string): Edit {
  return { offset: node.offset, length: node.length, content: JSON.stringify(value) };
}

/** A line that lacks the tags (it is rejected for it) still gets its verdict, after its last tag. */
function insertProperties(doc: JsonDocument, line: JsonNode, entries: ReadonlyArray<[string, string]>): Edit {
  const properties = propertiesOf(line);
  const last = properties[properties.length - 1];
  const text = entries.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  if (!last?.value) {
    return { offset: line.offset + 1, length: 0, content: text.join(', ') };
  }
  const indent = indentationOf(doc.text, last.keyNode.offset);
  const separator = indent === null ? ', ' : `,\n${indent}`;
  const end = last.value.offset + last.value.length;
  return { offset: end, length: 0, content: text.map((entry) => `${separator}${entry}`).join('') };
}

/** The whitespace before a key when it starts its own line, else null (a one-line object). */
function indentationOf(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  const parts: string[] = [];
  let cursor = 0;
  for (const edit of sorted) {
    parts.push(text.slice(cursor, edit.offset), edit.content);
    cursor = edit.offset + edit.length;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
