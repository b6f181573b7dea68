import { CHECK_USAGE, runCheck } from './check-command';
import { type CliIo, UsageError } from './cli-io';
import { GENERATE_USAGE, runGenerate } from './generate-command';
import { ONBOARD_USAGE, runOnboard } from './onboard-command';
import { OPS_USAGE, runOps } from './ops-commands';
import { PIPELINE_USAGE, runPipeline, runStart } from './pipeline-command';
import { runDeposit, runFetch, VENDOR_USAGE } from './vendor-commands';

/**
 * The command names: French verbs in the infinitive, without accents (what vendors and operators
 * read in the documents and type), `verbe-objet` when the verb alone is ambiguous. The first names
 * (English or nouns) stay accepted as aliases, so that scripts written against them keep working.
 */
interface Command {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'controler',
    aliases: ['check'],
    summary: 'contrôle un dépôt hors ligne',
    usage: CHECK_USAGE,
    run: runCheck,
  },
  {
    name: 'generer',
    aliases: [],
    summary: 'prépare un dépôt (JSON et .zip) depuis un tableur, contrôlé',
    usage: GENERATE_USAGE,
    run: (args, io) => runGenerate(args, io),
  },
  {
    name: 'traiter',
    aliases: ['pipeline'],
    summary: 'la chaîne complète sur cette machine, pour un dossier de dépôt',
    usage: PIPELINE_USAGE,
    run: runPipeline,
  },
  {
    name: 'demarrer',
    aliases: ['start'],
    summary: 'la chaîne complète en marche, sur un dossier surveillé',
    usage: PIPELINE_USAGE,
    run: runStart,
  },
  {
    name: 'publier-referentiel',
    aliases: ['referentiel-push'],
    summary: 'vérifie puis publie le référentiel (opérateurs)',
    usage: OPS_USAGE,
    run: (args, io) => runOps('publier-referentiel', args, io),
  },
  {
    name: 'marquer-avance',
    aliases: ['avance-statut'],
    summary: "change le statut d'une avance (opérateurs)",
    usage: OPS_USAGE,
    run: (args, io) => runOps('marquer-avance', args, io),
  },
  {
    name: 'lister-soumissions',
    aliases: ['soumissions'],
    summary: 'liste les soumissions et leur état (opérateurs)',
    usage: OPS_USAGE,
    run: (args, io) => runOps('lister-soumissions', args, io),
  },
  {
    name: 'rejouer',
    aliases: [],
    summary: 'rejuge une soumission (opérateurs)',
    usage: OPS_USAGE,
    run: (args, io) => runOps('rejouer', args, io),
  },
  {
    name: 'inscrire-fournisseur',
    aliases: [],
    summary: 'inscrit un fournisseur : utilisateur IAM, clé, courriels (opérateurs, AWS)',
    usage: ONBOARD_USAGE,
    run: (args, io) => runOnboard(args, io),
  },
  {
    name: 'deposer',
    aliases: [],
    summary: 'dépose un JSON et ses .zip, attend le verdict (fournisseurs)',
    usage: VENDOR_USAGE,
    run: (args, io) => runDeposit(args, io),
  },
  {
    name: 'recuperer',
    aliases: [],
    summary: 'copie les retours de son SIRET (fournisseurs)',
    usage: VENDOR_USAGE,
    run: (args, io) => runFetch(args, io),
  },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases.includes(name));
}

const USAGE = `Usage : segur-pipeline <commande> [options]

Commandes :
${COMMANDS.map((command) => `  ${command.name.padEnd(21)} ${command.summary}${command.aliases.length > 0 ? ` (ancien nom : ${command.aliases.join(', ')})` : ''}`).join('\n')}

${CHECK_USAGE}

${GENERATE_USAGE}

${PIPELINE_USAGE}

${OPS_USAGE}

${ONBOARD_USAGE}

${VENDOR_USAGE}`;

/** Entry point of the `segur-pipeline` command; returns the exit status. */
export async function main(
  argv: readonly string[],
  streams: { stdout: CliIo['stdout']; stderr: CliIo['stderr']; isTTY?: boolean },
): Promise<number> {
  const io: CliIo = { ...streams, colour: Boolean(streams.isTTY) && !process.env.NO_COLOR };
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === 'aide' || name === '--help' || name === '-h') {
      io.stdout.write(`${USAGE}\n`);
      return name === undefined ? 2 : 0;
    }
    const command = findCommand(name);
    if (!command) throw new UsageError(`commande inconnue « ${name} » (essayez « segur-pipeline aide »)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`segur-pipeline : ${describeError(error)}\n`);
    return 2;
  }
}

/** One line for the person at the terminal: usage errors as said, anything else by message. */
function describeError(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  return `erreur inattendue : ${error instanceof Error ? error.message : String(error)}`;
}
