import * as yup from 'yup';

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
export const DEFAULT_PLAFONDS: Readonly<Record<string, string>> = { 'BIO-LOINC-solde': '2917.00' };

export function plafondOf(referentiel: Referentiel | undefined, profileId: string): string | undefined {
  return referentiel?.plafonds?.[profileId] ?? DEFAULT_PLAFONDS[profileId];
}

// Operators read these messages: French, naming the path (yup fills `path`).
type PathMessage = (params: { path: string }) => string;
const must =
  (text: string): PathMessage =>
  ({ path }) =>
    `${path} ${text}`;
const requiredText = must('est obligatoire');
const text = () => yup.string().strict().typeError(must('doit être une chaîne'));
const exactly = (n: number) =>
  text()
    .length(n, must(`doit compter ${n} caractères`))
    .required(requiredText);

const referencementSchema = yup.object({
  numeroAns: exactly(10),
  siret: text()
    .matches(/^\d{14}$/, must('doit compter 14 chiffres'))
    .required(requiredText),
  couloir: text()
    .oneOf(['MDV', 'HOP', 'BIO', 'RAD'], must('doit valoir MDV, HOP, BIO ou RAD'))
    .required(requiredText),
  logiciel: text().required(requiredText),
  profils: yup
    .array(
      text()
        .oneOf(
          Object.keys(REFERENCEMENT_PROFILES) as ReferencementProfile[],
          must(`doit valoir ${Object.keys(REFERENCEMENT_PROFILES).join(', ')}`),
        )
        .required(requiredText),
    )
    .typeError(must('doit être un tableau'))
    .default([]),
});

const avanceSchema = yup.object({
  numeroASP: text()
    .matches(/^FIN[A-Z]{3}\d{6}$/, must('doit être de la forme FINBIO000006'))
    .required(requiredText),
  numeroAns: exactly(10),
  numeroEditeur: exactly(5),
  montantSegurHT: text()
    .matches(/^\d+\.\d{2}$/, must('doit être un montant texte à deux décimales ("2917.00")'))
    .required(requiredText),
  beneficiaires: yup.array(text().required(requiredText)).typeError(must('doit être un tableau')).default([]),
  statut: text()
    .oneOf(
      ['DEPOSEE', 'ACCEPTEE', 'PAYEE', 'REFUSEE'],
      must('doit valoir DEPOSEE, ACCEPTEE, PAYEE ou REFUSEE'),
    )
    .required(requiredText),
});

const PLAFOND_PROFILES = ['MDV-LGC-avance', 'HOP-DPI-avance', 'BIO-SGL-avance', 'BIO-LOINC-solde'];

const referentielSchema = yup
  .object({
    referencements: yup
      .array(referencementSchema.required())
      .typeError(must('doit être un tableau'))
      .required(requiredText),
    avances: yup.array(avanceSchema.required()).typeError(must('doit être un tableau')).optional(),
    plafonds: yup
      .object()
      .test(
        'plafonds',
        ({ path }) => `${path} : chaque profil porte un montant texte à deux décimales ("2917.00")`,
        (value) =>
          value === undefined ||
          Object.entries(value).every(
            ([profile, amount]) =>
              PLAFOND_PROFILES.includes(profile) &&
              typeof amount === 'string' &&
              /^\d{1,9}\.\d{2}$/.test(amount),
          ),
      )
      .optional()
      .default(undefined),
  })
  .typeError('le référentiel doit être un objet { referencements, avances }');

export type ReferentielOutcome =
  | { readonly ok: true; readonly referentiel: Referentiel }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Validates a parsed référentiel; every problem is listed so that an operator fixes them in one go. */
export function validateReferentiel(input: unknown): ReferentielOutcome {
  // Before yup: a key named like a property every object has (`constructor`, `toString`, `__proto__`)
  // made yup call it as a schema ("field.resolve is not a function") instead of saying what is wrong.
  const reserved = reservedKeys(input, 'référentiel');
  if (reserved.length > 0) return { ok: false, errors: reserved };
  try {
    const value = referentielSchema.validateSync(input, { abortEarly: false, stripUnknown: true });
    return { ok: true, referentiel: value as Referentiel };
  } catch (error) {
    if (error instanceof yup.ValidationError) return { ok: false, errors: error.errors };
    throw error;
  }
}

function reservedKeys(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => reservedKeys(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const here = `${path}.${key}`;
    const own = key === '__proto__' || key in Object.prototype;
    const problem = own ? [`${here} : la balise « ${key} » est un nom réservé, refusé`] : [];
    return [...problem, ...reservedKeys((value as Record<string, unknown>)[key], here)];
  });
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
