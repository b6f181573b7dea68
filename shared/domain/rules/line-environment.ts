import type { Finding } from '../findings';
import type { Referentiel } from '../referentiel';
import type { CheckDraft } from './engine';

export type DemandType = 'avance' | 'solde';
export type ProfileId = 'MDV-LGC-avance' | 'HOP-DPI-avance' | 'BIO-SGL-avance' | 'BIO-LOINC-solde';

/** What a line's rules may know beyond the line: the file, the référentiel, the vendor's history. */
export interface LineEnvironment {
  readonly profileId: ProfileId;
  readonly couloir: string;
  readonly logiciel: string;
  readonly numeroAns: string;
  /** Absent in the offline check without --referentiel: such checks become notices. */
  readonly referentiel?: Referentiel;
  /** numeroEditeur → numLigne of its first line in this file. */
  readonly firstLineOfNumeroEditeur: ReadonlyMap<string, number>;
  /**
   * Avance profiles: numeroEditeur already used by this vendor and software in earlier
   * submissions, accepted or rejected → where (pipeline only; seeds 000/003: a rejected request
   * comes back under a new number).
   */
  readonly usedNumerosEditeur?: ReadonlyMap<string, string>;
  /** Soldes: avances (numeroASP) already closed by an accepted solde of another file → which file. */
  readonly closedAvances?: ReadonlyMap<string, string>;
  /** BIO-LOINC: FINESS géographiques already paid by an accepted solde of this software → which file. */
  readonly paidFiness?: ReadonlyMap<string, string>;
  /** BIO-LOINC: FINESS paid by an earlier accepted line of this very file → « ligne N de ce fichier ». */
  readonly finessPaidInFile?: ReadonlyMap<string, string>;
  /** The profile's plafond HT ("2917.00"), from the référentiel or the seed's default. */
  readonly plafond?: string;
  /** Absent when no zip was given: attachment presence becomes a notice. */
  readonly attachments?: AttachmentChecker;
}

/** Checks a declared attachment against the submission's zips (see shared/domain/attachments). */
export interface AttachmentChecker {
  checkDeclared(nomFichier: string, declaredFormat: string | undefined): readonly CheckDraft[];
  /** File-level warnings once every line was judged (unreadable zips, entries nobody declared). */
  finish(): readonly Finding[];
}
