import type { Profile } from '../domain/profiles';
import { dateJJMMAAAA } from '../domain/rules/checks';
import type { Rule } from '../domain/rules/engine';

/**
 * The columns a spreadsheet may have for a profile, read from the profile's own rules (so that a
 * rule added to a profile is a column at once): each leaf field with the kind of value it takes.
 * A path names list items with `[i]`: `beneficiaires.liberal[i].RPPS`.
 */
/** `any`: a field whose rule fixes no JSON type (null or false only…): booleans read as such, else text. */
export type ColumnKind = 'text' | 'amount' | 'bool' | 'date' | 'list' | 'document' | 'any';

export interface ColumnSpec {
  /** `commande.montantSegurHT`, `beneficiaires.liberal[i].RPPS`, `piecesJustificatives[i].fichier`. */
  readonly pattern: string;
  readonly kind: ColumnKind;
  /** Required on every line whatever its other values (the mandatory-column check). */
  readonly mandatory: boolean;
}

/** What the generator fills itself: a column for them would be ignored or contradicted. */
export function generatedFields(profile: Profile): readonly string[] {
  return [
    'numLigne',
    'typeAction',
    'codeTraitement',
    'libelleTraitement',
    // An avance's numeroASP is given by the agency; a solde's names its avance (the vendor's).
    ...(profile.type === 'avance' ? ['numeroASP'] : []),
    'piecesJustificatives[i].nomFichier',
    'piecesJustificatives[i].formatFichier',
  ];
}

export function columnsOf(profile: Profile): ColumnSpec[] {
  const columns = new Map<string, ColumnSpec>();
  const skip = new Set(generatedFields(profile));
  const walk = (rules: readonly Rule[], prefix: string, conditional: boolean) => {
    for (const rule of rules) {
      switch (rule.kind) {
        case 'field': {
          if (rule.type === 'object' || rule.type === 'array') break;
          for (const key of [rule.key, ...(rule.aliases ?? [])]) {
            const pattern = `${prefix}${key}`;
            if (skip.has(pattern) || columns.has(pattern)) continue;
            const kind: ColumnKind =
              rule.type === undefined
                ? 'any'
                : rule.type === 'number'
                  ? 'amount'
                  : rule.type === 'boolean'
                    ? 'bool'
                    : rule.checks?.includes(dateJJMMAAAA)
                      ? 'date'
                      : 'text';
            const mandatory =
              !conditional && typeof rule.presence !== 'function' && rule.presence.mode === 'required';
            columns.set(pattern, { pattern, kind, mandatory: mandatory && !rule.aliases });
          }
          break;
        }
        case 'object':
          walk(rule.rules, `${prefix}${rule.key}.`, conditional);
          break;
        case 'each':
          if (rule.rules) walk(rule.rules, `${prefix}${rule.key}[i].`, true);
          else
            columns.set(`${prefix}${rule.key}`, {
              pattern: `${prefix}${rule.key}`,
              kind: 'list',
              mandatory: false,
            });
          break;
        case 'when':
          walk(rule.rules, prefix, true);
          walk(rule.otherwise ?? [], prefix, true);
          break;
        case 'relation':
          break;
      }
    }
  };
  walk(profile.rules, '', false);
  columns.set('piecesJustificatives[i].fichier', {
    pattern: 'piecesJustificatives[i].fichier',
    kind: 'document',
    mandatory: false,
  });
  return [...columns.values()];
}

/** `beneficiaires.liberal[2].RPPS` → its pattern `beneficiaires.liberal[i].RPPS` and the indexes [2]. */
export function patternOf(path: string): { pattern: string; indexes: number[] } {
  const indexes: number[] = [];
  const pattern = path.replace(/\[(\d+)\]/g, (_match, index: string) => {
    indexes.push(Number(index));
    return '[i]';
  });
  return { pattern, indexes };
}
