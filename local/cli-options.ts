import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closestName } from '../shared/domain/closest-name';
import { UsageError } from './cli-io';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs`, strict, with its errors told in French (Node's own are English and suggest
 * « -- "--bogus" », which helps nobody here) and the nearest known option suggested.
 */
export function parseOptions<const T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: [...args], strict: true, allowPositionals, options });
  } catch (error) {
    throw frenchParseError(command, error, Object.keys(options));
  }
}

function frenchParseError(command: string, error: unknown, known: readonly string[]): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  const help = `(voir « segur-pipeline ${command} --help »)`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const nearest = closestName(option.replace(/^-+/, ''), known);
      const suggestion = nearest ? ` : vouliez-vous dire --${nearest} ?` : '';
      return new UsageError(`option inconnue ${option} pour ${command}${suggestion} ${help}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        /does not take an argument/.test(message)
          ? `l'option ${option} ne prend pas de valeur ${help}`
          : `l'option ${option} attend une valeur ${help}`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`argument inattendu « ${option} » : ${command} n'en prend pas ${help}`);
    default:
      return error instanceof Error ? error : new Error(message);
  }
}
