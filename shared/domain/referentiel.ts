/**
 * The référentiel (contracts §4): which numeroAns belongs to which vendor and software, with which
 * référencement profiles, and the known avances for the solde checks. Operators write it; it is
 * validated once when loaded, with every error reported at once.
 */
export const REFERENCEMENT_PROFILES = {
  CENTRE_DE_SANTE: 'Centre de santé',
  MAILIZ: 'Mailiz',
  INTEGRATION_INS: 'Intégration INS',
  REFERENTIEL_IDENTITE: "Référentiel d'identité",
  ESCLAVE_IDENTITE: "Esclave d'identité",
  ENVIRONNEMENT_HOSPITALIER: 'Environnement hospitalier',
} as const;

export type ReferencementProfile = keyof typeof REFERENCEMENT_PROFILES;

export interface Referencement {
  readonly numeroAns: string;
  readonly siret: string;
  readonly couloir: string;
  readonly logiciel: string;
  readonly profils: readonly ReferencementProfile[];
}

export type AvanceStatut = 'DEPOSEE' | 'ACCEPTEE' | 'PAYEE' | 'REFUSEE';

export interface Avance {
  readonly numeroASP: string;
  readonly numeroAns: string;
  readonly numeroEditeur: string;
  /** Kept as the text of two-decimal euros ("2917.00") so that no float rounding enters. */
  readonly montantSegurHT: string;
  readonly beneficiaires: readonly string[];
  readonly statut: AvanceStatut;
}

export interface Referentiel {
  readonly referencements: readonly Referencement[];
  /** Absent: the avances are unknown and the solde checks against them are reported as not done. */
  readonly avances?: readonly Avance[];
  /** Plafond HT per profile ("BIO-LOINC-solde": "2917.00"), set by the operators (contracts §4). */
  readonly plafonds?: Readonly<Record<string, string>>;
}

/**
 * The one plafond a seed states: « le montant maximum hors taxe de la prestation Ségur est de
 * 2 917 € » (seed 004, §3.1). The référentiel's `plafonds` override it and add the others.
 */
const DEFAULT_PLAFONDS: Readonly<Record<string, string>> = { 'BIO-LOINC-solde': '2917.00' };

export function plafondOf(referentiel: Referentiel | undefined, profileId: string): string | undefined {
  return referentiel?.plafonds?.[profileId] ?? DEFAULT_PLAFONDS[profileId];
}

/**
 * Whether the référencements are known: a référentiel with none (the pipeline before operators pushed
 * one, carrying only the avances it recorded) checks the avances and nothing else.
 */
export function knowsReferencements(referentiel: Referentiel | undefined): referentiel is Referentiel {
  return referentiel !== undefined && referentiel.referencements.length > 0;
}

export function findReferencement(referentiel: Referentiel, numeroAns: string): Referencement | undefined {
  return referentiel.referencements.find((entry) => entry.numeroAns === numeroAns);
}
