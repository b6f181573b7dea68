import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allCommands, argsOf, runCli, useScratchFolder } from '../../support/guide-commands';

/** The French guides' commands that run on this machine alone, word for word (see support/guide-commands.ts). */
const scratchFolder = useScratchFolder();

describe('the French guides', () => {
  it('run, word for word, every command of their tried blocks: none fails', async () => {
    const commands = (await allCommands()).filter((command) => command.tried === 'local');
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      const result = await runCli(argsOf(command.line));
      expect({ command: command.line, code: result.code, stderr: result.stderr }).toMatchObject({
        code: 0,
        stderr: '',
      });
    }
    // What they say they do is there: the model sheet, the returns and emails of the local run.
    await expect(readFile(join(scratchFolder.path, 'demandes.csv'), 'utf8')).resolves.toContain(
      'numeroEditeur',
    );
    await expect(
      readdir(join(scratchFolder.path, 'sortie', 'retour', '88558855858745', 'avance')),
    ).resolves.toContain('JSON-3456789012-20221104-001.rapport.html');
    expect((await readdir(join(scratchFolder.path, 'sortie', 'mail'))).length).toBeGreaterThan(0);
  });

  it('name only commands the tool has, each with its help', async () => {
    const commands = await allCommands();
    expect(commands.some((command) => command.tried === undefined)).toBe(true);
    for (const command of commands) {
      const [verb] = argsOf(command.line);
      const help = await runCli([verb as string, '--help']);
      expect({ command: command.line, code: help.code }).toEqual({ command: command.line, code: 0 });
    }
  });
});
