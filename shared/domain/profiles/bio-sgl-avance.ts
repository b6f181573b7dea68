import { itemsOf, propertyOf } from '../json/json-document';
import { bool, email, field, finess, finessItemChecks, phone, text, upperName } from '../rules/checks';
import { type Rule, shapeOf } from '../rules/engine';
import { avanceMandatoryAttachments, fixedCodes, piecesBlockRule, piecesItemRules } from './attachment-rules';
import {
  avanceHeaderRules,
  clientUniqueAgreement,
  commandeRules,
  each,
  eachScalar,
  isTrue,
  MAILIZ_CODE,
  mandataireRules,
  noDuplicateAmongSiblings,
  nodeAt,
  nonEmptyArray,
  object,
  operateurMessagerie,
  type Profile,
  requiresReferencement,
  stringsOf,
  traitementRules,
} from './common';

/**
 * Biologie, système de gestion de laboratoire, avance.
 * Seed: 003_6827d25916f443e4.txt (DTJSONAVANCE-BIO-SGL-VA1, 25/10/2021), section 3.2, in table order:
 * entête demande, commande, bénéficiaires, pièces justificatives, scénario d'installation, traitement.
 * (Section 2.2 lists four blocks, but the table also has bénéficiaires and the scenario: the table wins.)
 */
const ATTACHMENT_CODES: Readonly<Record<string, string>> = {
  BON_COMMANDE: 'BDC',
  PREUVE_HT: 'HT',
  PREUVE_ACT_BIO: 'PAB',
  ATTESTATION_HONNEUR: 'AH',
};
const COULOIR = 'BIO';
const LOGICIEL = 'SGL';

const rules: readonly Rule[] = [
  ...avanceHeaderRules(),
  field('commande', 'object'),
  commandeRules(),
  field('beneficiaires', 'object'),
  object('beneficiaires', [
    ...mandataireRules(),
    field('EtablissementsClients', 'array', [nonEmptyArray]),
    each('EtablissementsClients', [
      finess('numeroFINESSJuridique', [
        noDuplicateAmongSiblings(
          'beneficiaires.EtablissementsClients',
          (item) => propertyOf(item, 'numeroFINESSJuridique')?.value as string | undefined,
        ),
      ]),
      upperName('nomClient'),
      email('emailClient'),
      phone('telephoneClient'),
      field('numeroFINESSGeos', 'array', [nonEmptyArray]),
      eachScalar('numeroFINESSGeos', 'string', [
        ...finessItemChecks,
        noDuplicateAmongSiblings('numeroFINESSGeos', (item) => item.value as string | undefined),
      ]),
    ]),
    // "true : le ou les établissement(s) bénéficiaire(s) appartiennent à une même structure juridique".
    clientUniqueAgreement(
      'beneficiaires',
      { one: 'FINESS juridique', many: 'FINESS juridiques distincts' },
      (ctx) => {
        return new Set(stringsOf(nodeAt(ctx, 'beneficiaires.EtablissementsClients'), 'numeroFINESSJuridique'))
          .size;
      },
    ),
  ]),
  piecesBlockRule(),
  ...piecesItemRules(
    { couloir: COULOIR, logiciel: LOGICIEL },
    {
      ...fixedCodes(ATTACHMENT_CODES),
      mandatory: avanceMandatoryAttachments,
      single: ['BON_COMMANDE', 'PREUVE_HT'],
      // Section 3.3: a laboratory absent from the calculation file sends its proof of existence
      // "ainsi que" a sworn statement of activity.
      companions: [['PREUVE_ACT_BIO', 'ATTESTATION_HONNEUR']],
    },
  ),
  field('scenarioInstallation', 'object'),
  object('scenarioInstallation', [
    bool('isIdRef', { mode: 'required' }, [requiresReferencement('REFERENTIEL_IDENTITE', isTrue)]),
    bool('isIdSlave', { mode: 'required' }, [requiresReferencement('ESCLAVE_IDENTITE', isTrue)]),
    // Obligatoire in this document (the MDV document of 04/11/2022 made it optional, not this one).
    text('operateurMessagerie', [
      operateurMessagerie,
      requiresReferencement('MAILIZ', (node) => node.value === MAILIZ_CODE),
    ]),
    bool('isSendingFluxIntraSIH', { mode: 'required' }, [
      requiresReferencement('ENVIRONNEMENT_HOSPITALIER', isTrue),
    ]),
    bool('isProSanteConnectNeeded'),
    {
      kind: 'field',
      key: 'isDirecToDMP',
      aliases: ['isDirectToDMP'],
      type: 'boolean',
      presence: { mode: 'required' },
    },
    bool('isPFIToDMP'),
    bool('isDirectToMSSPro'),
    bool('isPFIToMSSPro'),
    bool('isDirectToMSSCitoyen'),
    bool('isPFIToMSSCitoyen'),
  ]),
  ...traitementRules(),
];

export const BIO_SGL_AVANCE: Profile = {
  attachmentCodeOf: (type) => ATTACHMENT_CODES[type],
  id: 'BIO-SGL-avance',
  couloir: COULOIR,
  logiciel: LOGICIEL,
  type: 'avance',
  title: 'Biologie – système de gestion de laboratoire (avance)',
  seed: '003_6827d25916f443e4.txt',
  rules,
  shape: shapeOf(rules),
  beneficiariesOf: (line) => [
    ...new Set(
      itemsOf(propertyOf(propertyOf(line, 'beneficiaires'), 'EtablissementsClients')).flatMap((client) =>
        itemsOf(propertyOf(client, 'numeroFINESSGeos')).flatMap((item): string[] =>
          item.type === 'string' ? [item.value as string] : [],
        ),
      ),
    ),
  ],
};
