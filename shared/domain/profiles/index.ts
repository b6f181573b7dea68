import { itemsOf, type JsonNode, propertyOf } from '../json/json-document';
import type { DemandType, ProfileId } from '../rules/line-environment';
import { BIO_LOINC_SOLDE } from './bio-loinc-solde';
import { BIO_SGL_AVANCE } from './bio-sgl-avance';
import type { Profile } from './common';
import { HOP_DPI_AVANCE } from './hop-dpi-avance';
import { MDV_LGC_AVANCE } from './mdv-lgc-avance';

export type { Profile } from './common';

export const PROFILES: Readonly<Record<ProfileId, Profile>> = {
  'MDV-LGC-avance': MDV_LGC_AVANCE,
  'HOP-DPI-avance': HOP_DPI_AVANCE,
  'BIO-SGL-avance': BIO_SGL_AVANCE,
  'BIO-LOINC-solde': BIO_LOINC_SOLDE,
};

export const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];

/** The documented profile of a couloir-logiciel pair (`MDV-LGC`), whatever the demand type. */
export function profileOfSoftware(couloirLogiciel: string): Profile | undefined {
  return Object.values(PROFILES).find(
    (profile) => `${profile.couloir}-${profile.logiciel}` === couloirLogiciel,
  );
}

export function profileFor(couloir: string, logiciel: string, type: DemandType): Profile | undefined {
  return Object.values(PROFILES).find(
    (profile) => profile.couloir === couloir && profile.logiciel === logiciel && profile.type === type,
  );
}

/**
 * Guesses a file's profile from the shape of its lines when nobody said it (no --profile, no
 * référentiel entry): each line votes with the tags only one format has, or with the prefix of its
 * attachment names; the majority wins, a tie decides nothing.
 */
export function inferProfileFromLines(lines: readonly JsonNode[]): { profile?: Profile; reason: string } {
  const votes = new Map<ProfileId, number>();
  for (const line of lines) {
    const vote = voteOf(line);
    if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best) return { reason: "aucune demande ne porte les balises propres à l'un des quatre formats" };
  if (second && second[1] === best[1]) {
    return { reason: `les demandes se partagent à égalité entre ${best[0]} et ${second[0]}` };
  }
  return { profile: PROFILES[best[0]], reason: 'forme des demandes' };
}

function voteOf(line: JsonNode): ProfileId | undefined {
  const beneficiaires = propertyOf(line, 'beneficiaires');
  const scenario = propertyOf(line, 'scenarioInstallation');
  if (propertyOf(line, 'facture') || propertyOf(line, 'lienCompteRendu')) return 'BIO-LOINC-solde';
  if (propertyOf(beneficiaires, 'commandePour') || propertyOf(beneficiaires, 'liberal'))
    return 'MDV-LGC-avance';
  if (propertyOf(scenario, 'DPI') || propertyOf(scenario, 'PFI')) return 'HOP-DPI-avance';
  if (propertyOf(scenario, 'isIdRef') || propertyOf(scenario, 'isSendingFluxIntraSIH'))
    return 'BIO-SGL-avance';
  const firstName = propertyOf(itemsOf(propertyOf(line, 'piecesJustificatives'))[0], 'nomFichier');
  if (firstName?.type === 'string') {
    const prefix = String(firstName.value).split('-').slice(0, 2).join('-');
    return profileOfSoftware(prefix)?.id;
  }
  return undefined;
}
