import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useEmbeddedStack } from '../support/embedded-stack';
import { allCommands, argsOf, runCli, useScratchFolder } from '../support/guide-commands';

/** The French guides' commands that need the platform, word for word on the embedded stack (--endpoint instead of the role). */
const scratchFolder = useScratchFolder();

describe('the guides’ commands that need the platform, on the embedded stack', () => {
  const embedded = useEmbeddedStack('guides', { notifyExternalWrites: true });

  it('deposit, fetch the returns, publish the référentiel, list, tell a story, mark an avance paid, replay, redrive: none fails', async () => {
    const commands = (await allCommands()).filter((command) => command.tried === 'embedded');
    expect(commands.map((command) => argsOf(command.line)[0])).toEqual([
      'deposer',
      'recuperer',
      'publier-referentiel',
      'lister-soumissions',
      'marquer-avance',
      'rejouer',
      // The operators' runbook (docs/exploitation.md).
      'lister-soumissions',
      'montrer-soumission',
      'rejouer-dlq',
      'rejouer-dlq',
      'lister-soumissions',
      'rejouer',
      'lister-soumissions',
      'publier-referentiel',
    ]);
    const { aws, dynamodb } = embedded.stack.endpoints;
    for (const command of commands) {
      const args = argsOf(command.line);
      const role = args.indexOf('--role-arn');
      if (role >= 0) args.splice(role, 2);
      const vendor = args[0] === 'deposer' || args[0] === 'recuperer';
      const result = await runCli([
        ...args,
        '--endpoint',
        aws,
        ...(vendor ? [] : ['--dynamodb-endpoint', dynamodb]),
      ]);
      expect({ command: command.line, code: result.code, stderr: result.stderr }).toMatchObject({
        code: 0,
        stderr: '',
      });
      // The guide's deposit is listed, judged: a filter on another status lists it not.
      if (args[0] === 'lister-soumissions') {
        const listed = result.stdout.includes('88558855858745/avance/JSON-3456789012-20221104-001');
        expect({ command: command.line, listed }).toEqual({
          command: command.line,
          listed: !args.includes('--statut'),
        });
      }
      if (args[0] === 'montrer-soumission')
        expect(result.stdout).toMatch(/Résultats publiés[^\n]*\n {2}\d\d\//);
    }
    await expect(readdir(join(scratchFolder.path, 'retour', '88558855858745', 'avance'))).resolves.toContain(
      'JSON-3456789012-20221104-001.rapport.json',
    );
  });
});
