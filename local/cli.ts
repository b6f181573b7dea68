import { CHECK_USAGE, runCheck } from './check-command';
import { type Command, commandList, dispatch, type Streams } from './cli-dispatch';
import { GENERATE_USAGE, runGenerate } from './generate-command';
import { ONBOARD_USAGE, runOnboard } from './onboard-command';
import { OPS_USAGE, runOps } from './ops-commands';
import { PIPELINE_USAGE, runPipeline, runStart } from './pipeline-command';
import { runDeposit, runFetch, VENDOR_USAGE } from './vendor-commands';

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
    summary: "liste les soumissions d'un jour, filtrées, avec leur état (opérateurs)",
    usage: OPS_USAGE,
    run: (args, io) => runOps('lister-soumissions', args, io),
  },
  {
    name: 'montrer-soumission',
    aliases: ['soumission'],
    summary: "montre toute l'histoire d'une soumission (opérateurs)",
    usage: OPS_USAGE,
    run: (args, io) => runOps('montrer-soumission', args, io),
  },
  {
    name: 'rejouer',
    aliases: [],
    summary: 'rejuge une soumission (opérateurs)',
    usage: OPS_USAGE,
    run: (args, io) => runOps('rejouer', args, io),
  },
  {
    name: 'rejouer-dlq',
    aliases: [],
    summary:
      "remet dans sa file les messages d'une file de lettres mortes, ou les montre (--essai) (opérateurs)",
    usage: OPS_USAGE,
    run: (args, io) => runOps('rejouer-dlq', args, io),
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

const USAGE = `Usage : segur-pipeline <commande> [options]

Commandes :
${commandList(COMMANDS)}

${CHECK_USAGE}

${GENERATE_USAGE}

${PIPELINE_USAGE}

${OPS_USAGE}

${ONBOARD_USAGE}

${VENDOR_USAGE}`;

/** Entry point of the `segur-pipeline` command; returns the exit status. */
export function main(argv: readonly string[], streams: Streams): Promise<number> {
  return dispatch(COMMANDS, USAGE, argv, streams);
}
