import { catalogEntry, renderTemplate } from './catalog';
import type { Finding, Params, RenderedFinding } from './findings';
import { type JsonDocument, positionAt } from './json/json-document';

/** A finding as people read it: the catalog's message and hint, its place in the deposited text. */

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lineLabel(numLigne: number, message: string): string {
  return `Ligne ${numLigne} : ${message}`;
}

export function renderFinding(finding: Finding, doc?: JsonDocument, numLigne?: number): RenderedFinding {
  const entry = catalogEntry(finding.code);
  const message = renderTemplate(entry.message, finding.field, finding.params);
  return {
    code: finding.code,
    field: finding.field,
    // A line's message follows « Ligne n : »; a file's stands alone and starts with a capital.
    message: numLigne === undefined ? capitalised(message) : lineLabel(numLigne, message),
    hint: entry.hint,
    position: positionOfFinding(finding, doc),
  };
}

function positionOfFinding(finding: Finding, doc: JsonDocument | undefined): RenderedFinding['position'] {
  if (doc && finding.offset !== undefined) return positionAt(doc.lineStarts, finding.offset);
  // A file that did not parse has no document, but its syntax error carries its own position.
  const params: Params | undefined = finding.params;
  const line = params?.ligne;
  const column = params?.colonne;
  return typeof line === 'number' && typeof column === 'number' ? { line, column } : null;
}
