import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, findNodeAtLocation, type JSONPath, modify, parseTree } from 'jsonc-parser';
import { type JudgeOptions, judgeFile, type LineVerdict } from '../../shared/domain/judge-file';
import type { Referentiel } from '../../shared/domain/referentiel';
import { validateReferentiel } from '../../shared/domain/referentiel-validation';
import type { ProfileId } from '../../shared/domain/rules/line-environment';

export const ROOT = join(__dirname, '..', '..');
export const SIRET = '88558855858745';

/** The sample deposit of each profile, built from its seed's worked example (events/drop). */
export const SAMPLES: Readonly<Record<ProfileId, string>> = {
  'MDV-LGC-avance': `events/drop/${SIRET}/avance/JSON-3456789012-20221104-001.json`,
  'HOP-DPI-avance': `events/drop/${SIRET}/avance/JSON-1234567890-20220315-001.json`,
  'BIO-SGL-avance': `events/drop/${SIRET}/avance/JSON-4567890123-20211025-001.json`,
  'BIO-LOINC-solde': `events/drop/${SIRET}/solde/JSON-2345678901-20230920-001.json`,
};

export function sampleName(profile: ProfileId): string {
  return SAMPLES[profile].split('/').pop() as string;
}

export function sampleText(profile: ProfileId): string {
  return readFileSync(join(ROOT, SAMPLES[profile]), 'utf8');
}

export function sampleReferentiel(): Referentiel {
  const outcome = validateReferentiel(
    JSON.parse(readFileSync(join(ROOT, 'events/referentiel.json'), 'utf8')),
  );
  if (!outcome.ok) throw new Error(outcome.errors.join('; '));
  return outcome.referentiel;
}

/**
 * A change to a deposit's text at a JSON path: `raw` is JSON source text put in place as written
 * (so `1075.5` or `"x"` stay exactly that), `remove` deletes the property or item.
 */
export type Mutation =
  | { readonly path: JSONPath; readonly raw: string }
  | { readonly path: JSONPath; readonly remove: true };

export function mutate(text: string, mutations: readonly Mutation[]): string {
  let current = text;
  for (const mutation of mutations) {
    const root = parseTree(current);
    if (!root) throw new Error('texte non JSON');
    if ('remove' in mutation) {
      current = applyEdits(current, modify(current, mutation.path, undefined, {}));
      continue;
    }
    const node = findNodeAtLocation(root, mutation.path);
    if (node) {
      current = current.slice(0, node.offset) + mutation.raw + current.slice(node.offset + node.length);
    } else {
      // A new property: insert a placeholder with jsonc-parser, then put the raw text in its place.
      const marker = '__RAW_PLACEHOLDER__';
      current = applyEdits(
        current,
        modify(current, mutation.path, marker, { formattingOptions: { insertSpaces: true, tabSize: 2 } }),
      );
      current = current.replace(JSON.stringify(marker), mutation.raw);
    }
  }
  return current;
}

export const set = (path: JSONPath, raw: string): Mutation => ({ path, raw });
export const remove = (path: JSONPath): Mutation => ({ path, remove: true });

export function judgeText(text: string, options: Partial<JudgeOptions> & { fileName: string }) {
  return judgeFile(new TextEncoder().encode(text), options);
}

/** Judges a sample after mutations, under its own file name, and returns the given line's verdict. */
export function judgeSampleLine(
  profile: ProfileId,
  mutations: readonly Mutation[],
  options: Partial<JudgeOptions> = {},
  lineIndex = 0,
): LineVerdict {
  const { verdict } = judgeText(mutate(sampleText(profile), mutations), {
    fileName: sampleName(profile),
    ...options,
  });
  if (verdict.status !== 'processed') {
    throw new Error(`fichier rejeté : ${verdict.fileErrors.map((error) => error.message).join(' | ')}`);
  }
  const line = verdict.lines[lineIndex];
  if (!line) throw new Error(`pas de ligne ${lineIndex + 1}`);
  return line;
}

/** A deposit of `count` lines made by repeating the sample's first line with fresh numbers. */
export function repeatFirstLine(profile: ProfileId, count: number): string {
  const text = sampleText(profile);
  const root = parseTree(text);
  const first = root && findNodeAtLocation(root, ['lignesImport', 0]);
  const lignes = root && findNodeAtLocation(root, ['lignesImport']);
  if (!first || !lignes) throw new Error('échantillon sans ligne');
  const template = text.slice(first.offset, first.offset + first.length);
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const editeur = String(i).padStart(5, '0');
    lines.push(
      template
        .replace('"numLigne": 1', `"numLigne": ${i}`)
        .replaceAll('"00001"', `"${editeur}"`)
        .replaceAll('-00001.', `-${editeur}.`),
    );
  }
  return `${text.slice(0, lignes.offset)}[\n    ${lines.join(',\n    ')}\n  ]${text.slice(lignes.offset + lignes.length)}`;
}
