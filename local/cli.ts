import { CHECK_USAGE, runCheck } from './check-command';
import { type CliIo, UsageError } from './cli-io';
import { OPS_USAGE, runOps } from './ops-commands';
import { PIPELINE_USAGE, runPipeline, runStart } from './pipeline-command';

const USAGE = `Usage : segur-pipeline <commande> [options]

Commandes :
  check <fichier.json>   contrôle un dépôt hors ligne (contrôles 1 et 2, pièces justificatives)
  pipeline, start          la chaîne complète sur cette machine (ci-dessous)
  referentiel-push, avance-statut, soumissions, rejouer : commandes des opérateurs (ci-dessous)

${CHECK_USAGE}

${PIPELINE_USAGE}

${OPS_USAGE}`;

/** Entry point of the `segur-pipeline` command; returns the exit status. */
export async function main(
  argv: readonly string[],
  streams: { stdout: CliIo['stdout']; stderr: CliIo['stderr']; isTTY?: boolean },
): Promise<number> {
  const io: CliIo = { ...streams, colour: Boolean(streams.isTTY) && !process.env.NO_COLOR };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'pipeline':
        return await runPipeline(rest, io);
      case 'start':
        return await runStart(rest, io);
      case 'referentiel-push':
      case 'avance-statut':
      case 'soumissions':
      case 'rejouer':
        return await runOps(command, rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`commande inconnue « ${command} » (essayez « segur-pipeline help »)`);
    }
  } catch (error) {
    io.stderr.write(`segur-pipeline : ${describeError(error)}\n`);
    return 2;
  }
}

/** One line for the person at the terminal: usage errors as said, parse errors of flags, anything else by message. */
function describeError(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    return `option invalide : ${(error as Error).message}`;
  return `erreur inattendue : ${error instanceof Error ? error.message : String(error)}`;
}
