import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './deposits';

/**
 * The commands of the French guides and the operators' runbook, as written: those of the blocks marked « essayé par les
 * tests » run word for word (test/unit/local/guides.test.ts); those marked « … sur la pile
 * embarquée » run against the embedded stack (test/integration/guides-platform.test.ts, a process of
 * its own: the functions' modules load once per process, with their endpoints).
 */
export const GUIDES = ['docs/guide-editeur.md', 'docs/guide-operateur.md', 'docs/exploitation.md'];

export interface GuideCommand {
  readonly guide: string;
  readonly line: string;
  /** Run here as written (`local`), on the embedded stack (`embedded`), or only checked to exist. */
  readonly tried?: 'local' | 'embedded';
}

export async function commandsOf(guide: string): Promise<GuideCommand[]> {
  const text = await readFile(join(ROOT, guide), 'utf8');
  const commands: GuideCommand[] = [];
  const blocks = /(?:<!-- essayé par les tests( sur la pile embarquée)? -->\n\s*)?```bash\n([\s\S]*?)```/g;
  for (const block of text.matchAll(blocks)) {
    const tried = block[0].startsWith('<!--') ? (block[1] ? 'embedded' : 'local') : undefined;
    for (const line of (block[2] ?? '').split('\n').map((entry) => entry.trim()))
      if (line.startsWith('npx segur-pipeline ')) commands.push({ guide, line, ...(tried ? { tried } : {}) });
  }
  return commands;
}

export const allCommands = async () => (await Promise.all(GUIDES.map(commandsOf))).flat();

export { runCli } from './cli';

export const argsOf = (line: string) => line.replace(/^npx segur-pipeline /, '').split(/\s+/);

/**
 * A scratch folder the test file works in (its process's current directory until the end), where
 * `events/` is the repository's: the guides' relative paths hold, their outputs land there.
 */
export function useScratchFolder(): { readonly path: string } {
  let path = '';
  let home = '';
  beforeAll(async () => {
    path = await mkdtemp(join(tmpdir(), 'segur-guides-'));
    await symlink(join(ROOT, 'events'), join(path, 'events'));
    home = process.cwd();
    process.chdir(path);
  });
  afterAll(() => process.chdir(home));
  return {
    get path() {
      return path;
    },
  };
}
