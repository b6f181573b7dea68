import { findNodeAtLocation, type JSONPath, type Node, parseTree } from 'jsonc-parser';
import { PROFILE_IDS } from '../../../shared/domain/profiles';
import { judgeText, mutate, sampleName, sampleText, set } from '../../support/deposits';

/**
 * Every field of every sample line replaced by a value of another type: the line is rejected (never
 * the file, never a crash) and its first error names exactly that field.
 */
function leafPaths(node: Node, path: JSONPath): JSONPath[] {
  if (node.type === 'object') {
    return (node.children ?? []).flatMap((property) => {
      const [key, value] = property.children ?? [];
      return key && value
        ? [[...path, key.value as string], ...leafPaths(value, [...path, key.value as string])]
        : [];
    });
  }
  if (node.type === 'array')
    return (node.children ?? []).flatMap((child, index) => [
      [...path, index],
      ...leafPaths(child, [...path, index]),
    ]);
  return [];
}

function dotted(path: JSONPath): string {
  return path
    .slice(2)
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

describe.each(PROFILE_IDS)('%s: every field of the wrong type', (profile) => {
  const text = sampleText(profile);
  const root = parseTree(text) as Node;
  const line = findNodeAtLocation(root, ['lignesImport', 0]) as Node;
  // numLigne is control 1's (the file is rejected for it); the others are the line's.
  const paths = leafPaths(line, ['lignesImport', 0]).filter((path) => path[2] !== 'numLigne');

  it.each(paths.map((path) => [dotted(path), path] as const))('%s', (_field, path) => {
    const current = findNodeAtLocation(root, path) as Node;
    // An object or array becomes a string; a scalar becomes an array.
    const wrong = current.type === 'object' || current.type === 'array' ? '"x"' : '[]';
    const { verdict } = judgeText(mutate(text, [set(path, wrong)]), { fileName: sampleName(profile) });
    expect(verdict.status).toBe('processed');
    expect(verdict.lines[0]).toMatchObject({ accepted: false, field: dotted(path) });
  });
});
