import * as yup from 'yup';
import { REFERENCEMENT_PROFILES, type ReferencementProfile, type Referentiel } from './referentiel';

/**
 * The référentiel's validation (yup), apart from its types and look-ups: only what reads a
 * référentiel from outside (the judge, the command line) carries yup, not every function that
 * applies the rules.
 */
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
    // Checked apart (plafondErrors): an object schema without a shape would strip every key.
    plafonds: yup.mixed().optional(),
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
  const plafonds = plafondErrors(input);
  try {
    const value = referentielSchema.validateSync(input, { abortEarly: false, stripUnknown: true });
    if (plafonds.length > 0) return { ok: false, errors: plafonds };
    return { ok: true, referentiel: value as Referentiel };
  } catch (error) {
    if (error instanceof yup.ValidationError) return { ok: false, errors: [...error.errors, ...plafonds] };
    throw error;
  }
}

/** `plafonds`: { "<profile>": "<amount with two decimals>" }, each entry named by its path. */
function plafondErrors(input: unknown): string[] {
  if (input === null || typeof input !== 'object') return [];
  const plafonds = (input as { plafonds?: unknown }).plafonds;
  if (plafonds === undefined) return [];
  if (plafonds === null || typeof plafonds !== 'object' || Array.isArray(plafonds))
    return ['plafonds doit être un objet { "<profil>": "<montant>" }'];
  return Object.entries(plafonds).flatMap(([profile, amount]) => {
    const path = `plafonds["${profile}"]`;
    const errors: string[] = [];
    if (!PLAFOND_PROFILES.includes(profile))
      errors.push(`${path} : profil inconnu, attendu ${PLAFOND_PROFILES.join(', ')}`);
    if (typeof amount !== 'string' || !/^\d{1,9}\.\d{2}$/.test(amount))
      errors.push(
        `${path} doit être un montant texte à deux décimales ("2917.00") (reçu ${JSON.stringify(amount)})`,
      );
    return errors;
  });
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
