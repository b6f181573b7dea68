import { NUMERO_ASP_PATTERN } from '../deposit-facts';
import { itemsOf, propertyOf, rawText } from '../json/json-document';
import type { Avance } from '../referentiel';
import {
  amount,
  choice,
  date,
  FINESS_PATTERN,
  falseOnly,
  field,
  finessItemChecks,
  lengthEquals,
  nullOnly,
  text,
} from '../rules/checks';
import { type LineContext, type Rule, shapeOf, type ValueCheck } from '../rules/engine';
import { piecesBlockRule, piecesItemRules } from './attachment-rules';
import {
  centsOf,
  eachScalar,
  noDuplicateAmongSiblings,
  nodeAt,
  nonEmptyArray,
  notAbovePlafond,
  numeroEditeurRules,
  object,
  type Profile,
  relation,
  stringAt,
  traitementRules,
} from './common';

/**
 * Biologie, transcodeur LOINC, solde.
 * Seed: 004_159338e3926219d7.txt (solde BIO-LOINC), section 3.2, in table order:
 * entête demande, facture, bénéficiaires, pièces justificatives, lienCompteRendu, scénario, traitement.
 * A solde refers to a paid avance (section 1.2 and 3.4): its numeroASP, numeroEditeur, numeroAns and
 * amount are checked against the known avances when the référentiel lists them.
 */
const COULOIR = 'BIO';
const LOGICIEL = 'LOINC';
const LOINC_REASON = ' (la demande concerne un LOINC)';

/** The avance a solde line refers to, or undefined when it is unknown or not checkable. */
function avanceOf(ctx: LineContext): Avance | undefined {
  const numeroASP = stringAt(ctx, 'numeroASP');
  return ctx.env.referentiel?.avances?.find((avance) => avance.numeroASP === numeroASP);
}

const numeroAspChecks: readonly ValueCheck[] = [
  lengthEquals(12),
  (node) =>
    NUMERO_ASP_PATTERN.test(node.value as string)
      ? undefined
      : { code: '2060', params: { recu: node.value as string } },
  (node) => {
    const couloir = NUMERO_ASP_PATTERN.exec(node.value as string)?.[1];
    return couloir === COULOIR
      ? undefined
      : {
          code: '2061',
          params: {
            recu: node.value as string,
            couloirRecu: couloir ?? '',
            profil: 'BIO-LOINC',
            couloir: COULOIR,
          },
        };
  },
  (node, ctx) => {
    const numeroASP = node.value as string;
    const avances = ctx.env.referentiel?.avances;
    if (!avances) return { code: '8005', params: { recu: numeroASP } };
    const avance = avances.find((entry) => entry.numeroASP === numeroASP);
    if (!avance) return { code: '2062', params: { recu: numeroASP } };
    if (avance.numeroAns !== ctx.env.numeroAns) {
      return { code: '2066', params: { numeroASP, attendu: avance.numeroAns, recu: ctx.env.numeroAns } };
    }
    if (avance.statut !== 'PAYEE')
      return { code: '2063', params: { recu: numeroASP, statut: avance.statut } };
    return undefined;
  },
  // « une et une seule demande de paiement »: an avance closed by an accepted solde of another file.
  (node, ctx) => {
    const origin = ctx.env.closedAvances?.get(node.value as string);
    return origin === undefined
      ? undefined
      : { code: '2067', params: { recu: node.value as string, origine: origin } };
  },
];

/** "C'est le même numéro renseigné pour l'avance que pour le solde." */
const sameEditeurAsAvance: ValueCheck = (node, ctx) => {
  const avance = avanceOf(ctx);
  if (!avance || avance.numeroEditeur === node.value) return undefined;
  return {
    code: '2064',
    params: { recu: node.value as string, numeroASP: avance.numeroASP, attendu: avance.numeroEditeur },
  };
};

/** "Ce montant ne peut être qu'égal ou inférieur à celui indiqué sur le bon de commande." */
const notAboveAvanceAmount: ValueCheck = (node, ctx) => {
  const avance = avanceOf(ctx);
  if (!avance) return undefined;
  const raw = rawText(ctx.doc, node);
  return centsOf(raw) <= centsOf(avance.montantSegurHT)
    ? undefined
    : { code: '2065', params: { recu: raw, numeroASP: avance.numeroASP, attendu: avance.montantSegurHT } };
};

/** The solde covers the avance's FINESS géographiques (§3.1), when the avance lists them. */
const beneficiaryOfAvance: ValueCheck = (node, ctx) => {
  const avance = avanceOf(ctx);
  if (!avance || avance.beneficiaires.length === 0) return undefined;
  const finess = node.value as string;
  return avance.beneficiaires.includes(finess)
    ? undefined
    : {
        code: '2068',
        params: { recu: finess, numeroASP: avance.numeroASP, liste: avance.beneficiaires.join(', ') },
      };
};

/** « Chaque instance … est éligible pour une et une seule demande de paiement » (§3.1). */
const finessNotPaidBefore: ValueCheck = (node, ctx) => {
  const finess = node.value as string;
  const origin = ctx.env.paidFiness?.get(finess) ?? ctx.env.finessPaidInFile?.get(finess);
  return origin === undefined
    ? undefined
    : { code: '2069', params: { recu: node.value as string, origine: origin } };
};

/** An avance beneficiary the solde leaves out: said, not refused (the vendor may bill it later). */
const avanceBeneficiariesCovered = relation('beneficiaires', (ctx) => {
  const avance = avanceOf(ctx);
  const listed = nodeAt(ctx, 'beneficiaires');
  if (!avance || avance.beneficiaires.length === 0 || listed?.type !== 'array') return undefined;
  const solde = new Set(itemsOf(listed).map((item) => item.value));
  const missing = avance.beneficiaires.filter((finess) => !solde.has(finess));
  return missing.length === 0
    ? undefined
    : { code: '8008', params: { numeroASP: avance.numeroASP, liste: missing.join(', ') } };
});

/**
 * typeFichier of a transcoded catalogue: §3.2 writes « CTX », §3.3 writes type « CT » → code
 * « CTx (avec x = 1, 2 …) ». Accepted: CT, CTX, and CT1, CT2… In the file name the code is CT<n>,
 * or CTX for a single catalogue; a numbered type (CT2) names its file CT2.
 */
const NUMBERED_CT = /^CT[1-9]\d*$/;
const isCatalogueType = (type: string) => type === 'CT' || type === 'CTX' || NUMBERED_CT.test(type);
const codeOfLoincType = (type: string): string | undefined => {
  if (type === 'FACTURE' || type === 'VA' || NUMBERED_CT.test(type)) return type;
  return type === 'CT' || type === 'CTX' ? 'CTX' : undefined;
};
const loincNameCodeMatches = (type: string, nameCode: string): boolean =>
  isCatalogueType(type) && !NUMBERED_CT.test(type)
    ? nameCode === 'CTX' || NUMBERED_CT.test(nameCode)
    : nameCode === codeOfLoincType(type);

const rules: readonly Rule[] = [
  field('numLigne', 'number'),
  choice('typeAction', ['C']),
  text('numeroASP', numeroAspChecks),
  // « C'est le même numéro renseigné pour l'avance que pour le solde »: a solde's number is its
  // avance's, so it is not refused for being used before (a rejected solde comes back under it).
  text('numeroEditeur', [...numeroEditeurRules, sameEditeurAsAvance]),
  field('facture', 'object'),
  object('facture', [
    date('dateFacture'),
    amount('montantSegurHTFacture', [notAboveAvanceAmount, notAbovePlafond]),
  ]),
  field('beneficiaires', 'array', [nonEmptyArray]),
  eachScalar('beneficiaires', 'string', [
    ...finessItemChecks,
    noDuplicateAmongSiblings('beneficiaires', (item) => item.value as string | undefined),
    beneficiaryOfAvance,
    finessNotPaidBefore,
  ]),
  avanceBeneficiariesCovered,
  piecesBlockRule(),
  ...piecesItemRules(
    { couloir: COULOIR, logiciel: LOGICIEL },
    {
      codeOf: codeOfLoincType,
      nameCodeMatches: loincNameCodeMatches,
      allowedLabel: '« FACTURE », « VA », « CT », « CTX » ou « CT1 », « CT2 »… (catalogues transcodés)',
      mandatory: () => [{ type: 'FACTURE' }, { type: 'VA' }],
      // "Une demande de solde ne peut contenir qu'une seule facture."
      single: ['FACTURE', 'VA'],
    },
  ),
  nullOnly('lienCompteRendu', LOINC_REASON),
  field('scenarioInstallation', 'object'),
  object('scenarioInstallation', [
    falseOnly('isDirectToDMP', LOINC_REASON, ['isDirecToDMP']),
    nullOnly('identDMP', LOINC_REASON),
    falseOnly('isDirectToMSSPro', LOINC_REASON),
    nullOnly('adresseBoiteMSSPro', LOINC_REASON),
    falseOnly('isDirectToMSSCitoyen', LOINC_REASON),
    nullOnly('adresseBoiteMSSCitoyen', LOINC_REASON),
  ]),
  ...traitementRules(),
];

export const BIO_LOINC_SOLDE: Profile = {
  attachmentCodeOf: codeOfLoincType,
  // Only the well-formed ones: the registry claims them as keys (registry-claims.ts).
  paidOnceOf: (line) =>
    itemsOf(propertyOf(line, 'beneficiaires')).flatMap((item) =>
      item.type === 'string' && FINESS_PATTERN.test(item.value as string) ? [item.value as string] : [],
    ),
  id: 'BIO-LOINC-solde',
  couloir: COULOIR,
  logiciel: LOGICIEL,
  type: 'solde',
  title: 'Biologie – transcodeur LOINC (solde)',
  seed: '004_159338e3926219d7.txt',
  rules,
  shape: shapeOf(rules),
};
