import { awsErrorText } from './aws-error-text';
import { type CliIo, UsageError } from './cli-io';

/**
 * The command names: French verbs in the infinitive, without accents (what vendors and operators
 * read in the documents and type), `verbe-objet` when the verb alone is ambiguous. The first names
 * (English or nouns) stay accepted as aliases, so that scripts written against them keep working.
 */
export interface Command {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

export type Streams = { stdout: CliIo['stdout']; stderr: CliIo['stderr']; isTTY?: boolean };

/** The list of commands as `aide` prints it. */
export function commandList(commands: readonly Command[]): string {
  return commands
    .map(
      (command) =>
        `  ${command.name.padEnd(21)} ${command.summary}${command.aliases.length > 0 ? ` (ancien nom : ${command.aliases.join(', ')})` : ''}`,
    )
    .join('\n');
}

/**
 * Runs one of `commands` for `argv` and returns the exit status: the full command and the small
 * package's (`segur-controle`, controler alone) share it. Usage errors are one French line, exit 2.
 */
export async function dispatch(
  commands: readonly Command[],
  usage: string,
  argv: readonly string[],
  streams: Streams,
): Promise<number> {
  const io: CliIo = { ...streams, colour: Boolean(streams.isTTY) && !process.env.NO_COLOR };
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === 'aide' || name === '--help' || name === '-h') {
      io.stdout.write(`${usage}\n`);
      return name === undefined ? 2 : 0;
    }
    const command = commands.find((candidate) => candidate.name === name || candidate.aliases.includes(name));
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
  return (
    awsErrorText(error) ?? `erreur inattendue : ${error instanceof Error ? error.message : String(error)}`
  );
}
