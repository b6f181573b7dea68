import { type JsonNode, propertiesOf, propertyOf } from '../json/json-document';
import { bool, email, falseOrNull, field, finess, phone, upperName } from '../rules/checks';
import { type Rule, shapeOf } from '../rules/engine';
import {
  avanceHeaderRules,
  avanceMandatoryAttachments,
  clientUniqueAgreement,
  commandeRules,
  each,
  fixedCodes,
  isTrue,
  mandataireRules,
  noDuplicateAmongSiblings,
  nodeAt,
  nonEmptyArray,
  object,
  type Profile,
  piecesBlockRule,
  piecesItemRules,
  requiresReferencement,
  stringsOf,
  traitementRules,
} from './common';

/**
 * Hôpital, dossier patient informatisé, avance.
 * Seed: 002_cbff930e09d9b0b3.txt (avance HOP-DPI, 15/04/2022), section 3.2, in table order:
 * entête demande, commande, bénéficiaires, pièces justificatives, scénario (bloc DPI, bloc PFI), traitement.
 */
const COULOIR = 'HOP';
const LOGICIEL = 'DPI';
const PFI_REASON = ' (la demande concerne un DPI)';
const integrationIns = requiresReferencement('INTEGRATION_INS', isTrue);

/** A row of EtablissementsClients as comparable text: its keys sorted, values as written. */
function canonicalRow(item: JsonNode): string | undefined {
  if (item.type !== 'object') return undefined;
  const entries = propertiesOf(item).map(({ key, value }) => [
    key,
    value ? String(value.value ?? value.type) : '',
  ]);
  return JSON.stringify(entries.sort(([a], [b]) => String(a).localeCompare(String(b))));
}

const rules: readonly Rule[] = [
  ...avanceHeaderRules(),
  field('commande', 'object'),
  commandeRules(),
  field('beneficiaires', 'object'),
  object('beneficiaires', [
    ...mandataireRules(),
    field('EtablissementsClients', 'array', [nonEmptyArray]),
    each('EtablissementsClients', [
      upperName('nomClient'),
      email('emailClient'),
      phone('telephoneClient'),
      // « le ou les établissement(s) … rattachés à un même FINESS PMSI »: several rows may share one
      // FINESS PMSI; only a row repeated identically is a duplicate.
      finess('FINESSPMSI', [
        noDuplicateAmongSiblings('beneficiaires.EtablissementsClients', (item) => canonicalRow(item)),
      ]),
    ]),
    // "true : le ou les établissement(s) bénéficiaire(s) sont rattachés à un même FINESS PMSI".
    clientUniqueAgreement('beneficiaires', { one: 'FINESS PMSI', many: 'FINESS PMSI distincts' }, (ctx) => {
      return new Set(stringsOf(nodeAt(ctx, 'beneficiaires.EtablissementsClients'), 'FINESSPMSI')).size;
    }),
  ]),
  piecesBlockRule(),
  ...piecesItemRules(
    { couloir: COULOIR, logiciel: LOGICIEL },
    {
      ...fixedCodes({ BON_COMMANDE: 'BDC', PREUVE_HT: 'HT' }),
      mandatory: avanceMandatoryAttachments,
      single: ['BON_COMMANDE', 'PREUVE_HT'],
    },
  ),
  field('scenarioInstallation', 'object'),
  object('scenarioInstallation', [
    field('DPI', 'object'),
    object('DPI', [
      bool('isPFIpourEnvoiDMPIndependante', { mode: 'required' }, [integrationIns]),
      bool('isPFIpourEnvoiMSSProIndependante', { mode: 'required' }, [integrationIns]),
      bool('isPFIpourEnvoiMSSPCitoyenIndependante', { mode: 'required' }, [integrationIns]),
      bool('isProSanteConnectNeeded'),
    ]),
    // "Dans le cadre d'une demande DPI, le bloc PFI sera rempli avec les valeurs false ou null."
    field('PFI', 'object'),
    // Each value false or null, as the sentence says: a PFI value true stays refused (2026).
    object('PFI', [
      falseOrNull('isCRBIOAssociated', PFI_REASON),
      falseOrNull('isCRRADAssociated', PFI_REASON),
      falseOrNull('operateurMessagerie', PFI_REASON),
      falseOrNull('isEnvoiDMP', PFI_REASON),
      falseOrNull('isEnvoiMSSPro', PFI_REASON),
      falseOrNull('isEnvoiMSSCitoyen', PFI_REASON),
    ]),
  ]),
  ...traitementRules(),
];

export const HOP_DPI_AVANCE: Profile = {
  id: 'HOP-DPI-avance',
  couloir: COULOIR,
  logiciel: LOGICIEL,
  type: 'avance',
  title: 'Hôpital – dossier patient informatisé (avance)',
  seed: '002_cbff930e09d9b0b3.txt',
  rules,
  shape: shapeOf(rules),
  beneficiariesOf: (line) => [
    ...new Set(
      stringsOf(propertyOf(propertyOf(line, 'beneficiaires'), 'EtablissementsClients'), 'FINESSPMSI'),
    ),
  ],
};
