import { type JsonNode, propertiesOf, propertyOf } from '../json/json-document';
import { bool, email, falseOrNull, field, finess, phone, upperName } from '../rules/checks';
import { type Rule, shapeOf, type ValueCheck } from '../rules/engine';
import { avanceMandatoryAttachments, fixedCodes, piecesBlockRule, piecesItemRules } from './attachment-rules';
import {
  avanceHeaderRules,
  clientUniqueAgreement,
  commandeRules,
  each,
  isTrue,
  mandataireRules,
  nodeAt,
  nonEmptyArray,
  object,
  type Profile,
  requiresReferencement,
  stringsOf,
  traitementRules,
} from './common';

/**
 * Hôpital, dossier patient informatisé, avance.
 * Seed: 002_cbff930e09d9b0b3.txt (avance HOP-DPI, 15/04/2022), section 3.2, in table order:
 * entête demande, commande, bénéficiaires, pièces justificatives, scénario (bloc DPI, bloc PFI), traitement.
 */
const ATTACHMENT_CODES: Readonly<Record<string, string>> = { BON_COMMANDE: 'BDC', PREUVE_HT: 'HT' };
const COULOIR = 'HOP';
const LOGICIEL = 'DPI';
const PFI_REASON = ' (la demande concerne un DPI)';
const integrationIns = requiresReferencement('INTEGRATION_INS', isTrue);

const positionsByPmsi = new WeakMap<readonly JsonNode[], Map<string, number[]>>();

/**
 * A row repeated identically earlier in the list (2024). Rows are compared whole only when their
 * FINESS PMSI is the same: building every row's text made HOP's validation 1.7 times slower.
 */
const identicalRowBefore: ValueCheck = (node, _ctx, scope) => {
  const siblings = scope.siblings ?? [];
  let positions = positionsByPmsi.get(siblings);
  if (!positions) {
    positions = new Map();
    siblings.forEach((item, position) => {
      const pmsi = propertyOf(item, 'FINESSPMSI')?.value;
      if (typeof pmsi !== 'string') return;
      const list = positions?.get(pmsi) ?? [];
      list.push(position);
      positions?.set(pmsi, list);
    });
    positionsByPmsi.set(siblings, positions);
  }
  const here = scope.index ?? 0;
  const earlier = (positions.get(node.value as string) ?? []).filter((position) => position < here);
  if (earlier.length === 0) return undefined;
  const row = canonicalRow(scope.node);
  return earlier.some((position) => canonicalRow(siblings[position] as JsonNode) === row)
    ? { code: '2024', params: { recu: node.value as string, liste: 'beneficiaires.EtablissementsClients' } }
    : undefined;
};

/**
 * A row of EtablissementsClients as comparable text: its keys and values, in key order (the plain
 * sort: localeCompare made HOP's validation twice slower).
 */
function canonicalRow(item: JsonNode): string | undefined {
  if (item.type !== 'object') return undefined;
  const entries = propertiesOf(item).map(
    ({ key, value }) => `${key}\u0001${value?.type}\u0001${String(value?.value)}`,
  );
  return entries.sort().join('\u0000');
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
      finess('FINESSPMSI', [identicalRowBefore]),
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
      ...fixedCodes(ATTACHMENT_CODES),
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
  attachmentCodeOf: (type) => ATTACHMENT_CODES[type],
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
