import { mkdtemp, readdir, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../local/cli';
import { ROOT } from '../../support/deposits';

/**
 * The French guides' commands, as written: those of the blocks marked « essayé par les tests » run
 * here word for word (from a scratch folder where `events/` is the repository's), and every other
 * command of the guides names a command the tool has.
 */
const GUIDES = ['docs/guide-editeur.md', 'docs/guide-operateur.md'];
const MARK = '<!-- essayé par les tests -->';

interface GuideCommand {
  readonly guide: string;
  readonly line: string;
  readonly tried: boolean;
}

async function commandsOf(guide: string): Promise<GuideCommand[]> {
  const text = await readFile(join(ROOT, guide), 'utf8');
  const commands: GuideCommand[] = [];
  for (const block of text.matchAll(/(<!-- essayé par les tests -->\n)?```bash\n([\s\S]*?)```/g))
    for (const line of (block[2] ?? '').split('\n').map((entry) => entry.trim()))
      if (line.startsWith('npx segur-pipeline '))
        commands.push({ guide, line, tried: block[1] === `${MARK}\n` });
  return commands;
}

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const argsOf = (line: string) => line.replace(/^npx segur-pipeline /, '').split(/\s+/);

describe('the French guides', () => {
  let scratch: string;
  let home: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'segur-guides-'));
    await symlink(join(ROOT, 'events'), join(scratch, 'events'));
    home = process.cwd();
    process.chdir(scratch);
  });
  afterAll(() => process.chdir(home));

  it('run, word for word, every command of their tried blocks: none fails', async () => {
    const commands = (await Promise.all(GUIDES.map(commandsOf))).flat().filter((command) => command.tried);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      const result = await run(argsOf(command.line));
      expect({ command: command.line, code: result.code, stderr: result.stderr }).toMatchObject({
        code: 0,
        stderr: '',
      });
    }
    // What they say they do is there: the model sheet, the returns and emails of the local run.
    await expect(readFile(join(scratch, 'demandes.csv'), 'utf8')).resolves.toContain('numeroEditeur');
    await expect(readdir(join(scratch, 'sortie', 'retour', '88558855858745', 'avance'))).resolves.toContain(
      'JSON-3456789012-20221104-001.rapport.html',
    );
    expect((await readdir(join(scratch, 'sortie', 'mail'))).length).toBeGreaterThan(0);
  });

  it('name only commands the tool has, each with its help', async () => {
    const commands = (await Promise.all(GUIDES.map(commandsOf))).flat();
    expect(commands.some((command) => !command.tried)).toBe(true);
    for (const command of commands) {
      const [verb] = argsOf(command.line);
      const help = await run([verb as string, '--help']);
      expect({ command: command.line, code: help.code }).toEqual({ command: command.line, code: 0 });
    }
  });
});
