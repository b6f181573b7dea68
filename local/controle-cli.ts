import { CHECK_USAGE, runCheck } from './check-command';
import { type Command, dispatch, type Streams } from './cli-dispatch';

/**
 * The small package's command (`segur-controle`, for a vendor's build): `segur-pipeline controler`
 * (alias `check`) and nothing else, bundled with its few dependencies; neither CDK, nor the AWS
 * SDK, nor the emulators.
 */
const COMMANDS: readonly Command[] = [
  {
    name: 'controler',
    aliases: ['check'],
    summary: 'contrôle un dépôt hors ligne',
    usage: CHECK_USAGE,
    run: runCheck,
  },
];

const USAGE = `Usage : segur-pipeline controler <fichier.json> [--zip <fichier.zip>]... [options]
        (ancien nom : check ; paquet segur-controle : le contrôle hors ligne seul)

${CHECK_USAGE}`;

export function main(argv: readonly string[], streams: Streams): Promise<number> {
  return dispatch(COMMANDS, USAGE, argv, streams);
}
