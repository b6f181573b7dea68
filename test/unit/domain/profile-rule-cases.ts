import type { ProfileId } from '../../../shared/domain/rules/line-environment';
import { remove, sampleReferentiel, set } from '../../support/deposits';
import { accepted, L1, L2, type RuleCase, referentielWithProfiles, rejected } from './rule-cases';

/**
 * Every rule of the four section 3.2 tables, with cases that accept and cases that reject, each
 * with the line's expected verdict: accepted, or the first error's code and field path. Run by
 * profile-rules.test.ts (the verdicts) and deposit-schema.test.ts (the JSON Schemas agree).
 */
const ref = sampleReferentiel();

const p = (...path: Array<string | number>) => [...L1, ...path];
const p2 = (...path: Array<string | number>) => [...L2, ...path];
const NULL_MANDATAIRE = [
  set(p('beneficiaires', 'nomMandataire'), 'null'),
  set(p('beneficiaires', 'emailMandataire'), 'null'),
  set(p('beneficiaires', 'telephoneMandataire'), 'null'),
];

export const PROFILE_RULE_CASES: Record<ProfileId, readonly RuleCase[]> = {
  'MDV-LGC-avance': [
    accepted('the worked example of Dr Durand (3 doctors, mandataire)', []),
    accepted('the worked example of the centre de santé des Acacias', [], { line: 1 }),
    rejected('typeAction other than C', [set(p('typeAction'), '"M"')], '2005', 'typeAction'),
    rejected('typeAction absent', [remove(p('typeAction'))], '2001', 'typeAction'),
    rejected('numeroASP filled by the vendor', [set(p('numeroASP'), '"FINMDV000001"')], '2003', 'numeroASP'),
    rejected('numeroEditeur of 4 characters', [set(p('numeroEditeur'), '"0001"')], '2006', 'numeroEditeur'),
    rejected('numeroEditeur with a slash', [set(p('numeroEditeur'), '"00/01"')], '2018', 'numeroEditeur'),
    rejected('numeroEditeur as a number', [set(p('numeroEditeur'), '1')], '2002', 'numeroEditeur'),
    rejected(
      'numeroEditeur repeated in a later line',
      [set(p2('numeroEditeur'), '"00001"')],
      '2030',
      'numeroEditeur',
      { line: 1 },
    ),
    accepted('the first line keeps a numeroEditeur a later line repeats', [
      set(p2('numeroEditeur'), '"00001"'),
    ]),
    rejected('numeroEditeur already used by the vendor', [], '2031', 'numeroEditeur', {
      options: { usedNumerosEditeur: new Map([['00001', 'JSON-3456789012-20221001-001.json']]) },
    }),
    rejected('commande block absent', [remove(p('commande'))], '2001', 'commande'),
    rejected('commande block of the wrong type', [set(p('commande'), '[]')], '2002', 'commande'),
    rejected(
      'dateCommande in ISO format',
      [set(p('commande', 'dateCommande'), '"2022-11-04"')],
      '2009',
      'commande.dateCommande',
    ),
    rejected(
      'dateCommande not on the calendar',
      [set(p('commande', 'dateCommande'), '"31/02/2022"')],
      '2010',
      'commande.dateCommande',
    ),
    accepted('dateCommande on 29 February of a leap year', [
      set(p('commande', 'dateCommande'), '"29/02/2024"'),
    ]),
    rejected('dateCommande absent', [remove(p('commande', 'dateCommande'))], '2001', 'commande.dateCommande'),
    rejected(
      'regimeTVA with a trailing space',
      [set(p('commande', 'regimeTVA'), '"HT "')],
      '2005',
      'commande.regimeTVA',
    ),
    rejected(
      'montantSegurHT without decimals',
      [set(p('commande', 'montantSegurHT'), '1075')],
      '2011',
      'commande.montantSegurHT',
    ),
    rejected(
      'montantSegurHT with one decimal',
      [set(p('commande', 'montantSegurHT'), '1075.5')],
      '2011',
      'commande.montantSegurHT',
    ),
    rejected(
      'montantSegurHT as a string',
      [set(p('commande', 'montantSegurHT'), '"1075.00"')],
      '2002',
      'commande.montantSegurHT',
    ),
    rejected(
      'montantSegurHT negative',
      [set(p('commande', 'montantSegurHT'), '-5.00')],
      '2012',
      'commande.montantSegurHT',
    ),
    accepted('montantSegurHT with cents', [set(p('commande', 'montantSegurHT'), '1075.55')]),
    rejected(
      'commandePour in lower case',
      [set(p('beneficiaires', 'commandePour'), '"liberal"')],
      '2027',
      'beneficiaires.commandePour',
    ),
    rejected(
      'isMandataire as a string',
      [set(p('beneficiaires', 'isMandataire'), '"true"')],
      '2002',
      'beneficiaires.isMandataire',
    ),
    rejected(
      'isMandataire absent for LIBERAL',
      [remove(p('beneficiaires', 'isMandataire'))],
      '2001',
      'beneficiaires.isMandataire',
    ),
    rejected(
      'isClientUnique null for LIBERAL',
      [set(p('beneficiaires', 'isClientUnique'), 'null')],
      '2002',
      'beneficiaires.isClientUnique',
    ),
    rejected(
      'nomMandataire not in capitals',
      [set(p('beneficiaires', 'nomMandataire'), '"Durand"')],
      '2008',
      'beneficiaires.nomMandataire',
    ),
    rejected(
      'nomMandataire of 50 characters',
      [set(p('beneficiaires', 'nomMandataire'), `"${'D'.repeat(50)}"`)],
      '2007',
      'beneficiaires.nomMandataire',
    ),
    accepted('nomMandataire of 49 characters with accents', [
      set(p('beneficiaires', 'nomMandataire'), `"LE BRIS-ÉLÉONORE${'D'.repeat(32)}"`),
    ]),
    rejected(
      'nomMandataire null when a mandataire signs',
      [set(p('beneficiaires', 'nomMandataire'), 'null')],
      '2015',
      'beneficiaires.nomMandataire',
    ),
    rejected(
      'emailMandataire of 150 characters',
      [set(p('beneficiaires', 'emailMandataire'), `"${'a'.repeat(140)}@exemple.fr"`)],
      '2007',
      'beneficiaires.emailMandataire',
    ),
    rejected(
      'nomMandataire filled without a mandataire',
      [set(p('beneficiaires', 'isMandataire'), 'false')],
      '2003',
      'beneficiaires.nomMandataire',
    ),
    rejected(
      'liberal empty for LIBERAL',
      [set(p('beneficiaires', 'liberal'), '[]')],
      '2020',
      'beneficiaires.liberal',
    ),
    rejected('liberal absent', [remove(p('beneficiaires', 'liberal'))], '2001', 'beneficiaires.liberal'),
    rejected(
      'nomMedecin in lower case',
      [set(p('beneficiaires', 'liberal', 0, 'nomMedecin'), '"durand"')],
      '2008',
      'beneficiaires.liberal[0].nomMedecin',
    ),
    rejected(
      'RPPS of 15 digits (the seed example slip)',
      [set(p('beneficiaires', 'liberal', 0, 'RPPS'), '"888888888888888"')],
      '2006',
      'beneficiaires.liberal[0].RPPS',
    ),
    rejected(
      'RPPS with a letter',
      [set(p('beneficiaires', 'liberal', 0, 'RPPS'), '"8888888888A"')],
      '2014',
      'beneficiaires.liberal[0].RPPS',
    ),
    rejected(
      'RPPS twice in a request',
      [set(p('beneficiaires', 'liberal', 1, 'RPPS'), '"88888888888"')],
      '2024',
      'beneficiaires.liberal[1].RPPS',
    ),
    rejected(
      'doctor contact missing when not represented',
      [set(p('beneficiaires', 'isMandataire'), 'false'), ...NULL_MANDATAIRE],
      '2015',
      'beneficiaires.liberal[0].emailMedecin',
    ),
    rejected(
      'isClientUnique true with three doctors',
      [set(p('beneficiaires', 'isClientUnique'), 'true'), ...NULL_MANDATAIRE],
      '2023',
      'beneficiaires.isClientUnique',
    ),
    rejected(
      'structure filled for LIBERAL',
      [set(p('beneficiaires', 'structure'), '{"FINESSJuridique": "111111111"}')],
      '2022',
      'beneficiaires.structure',
    ),
    rejected(
      'liberal filled for STRUCTURE',
      [set(p2('beneficiaires', 'liberal'), '[{"nomMedecin": "X", "RPPS": "10000000000"}]')],
      '2021',
      'beneficiaires.liberal',
      { line: 1 },
    ),
    rejected(
      'isMandataire true for STRUCTURE',
      [set(p2('beneficiaires', 'isMandataire'), 'true')],
      '2017',
      'beneficiaires.isMandataire',
      { line: 1 },
    ),
    accepted('isMandataire false for STRUCTURE', [set(p2('beneficiaires', 'isMandataire'), 'false')], {
      line: 1,
    }),
    rejected(
      'structure absent for STRUCTURE',
      [remove(p2('beneficiaires', 'structure'))],
      '2001',
      'beneficiaires.structure',
      { line: 1 },
    ),
    rejected(
      'FINESSJuridique of 8 characters',
      [set(p2('beneficiaires', 'structure', 'FINESSJuridique'), '"11111111"')],
      '2006',
      'beneficiaires.structure.FINESSJuridique',
      { line: 1 },
    ),
    rejected(
      'nomResponsable in lower case',
      [set(p2('beneficiaires', 'structure', 'nomResponsable'), '"Durand"')],
      '2008',
      'beneficiaires.structure.nomResponsable',
      { line: 1 },
    ),
    rejected(
      'FINESSGeo not a list',
      [set(p2('beneficiaires', 'structure', 'FINESSGeo'), '"777777777"')],
      '2002',
      'beneficiaires.structure.FINESSGeo',
      { line: 1 },
    ),
    rejected(
      'FINESSGeo item of 8 characters',
      [set(p2('beneficiaires', 'structure', 'FINESSGeo', 0), '"77777777"')],
      '2006',
      'beneficiaires.structure.FINESSGeo[0]',
      { line: 1 },
    ),
    accepted('FINESSGeo empty ("[ ] ou liste")', [set(p2('beneficiaires', 'structure', 'FINESSGeo'), '[]')], {
      line: 1,
    }),
    accepted(
      'a Corsican FINESS (2A)',
      [set(p2('beneficiaires', 'structure', 'FINESSGeo', 0), '"2A0000017"')],
      { line: 1 },
    ),
    rejected(
      'isCentreDeSante absent',
      [remove(p('scenarioInstallation', 'isCentreDeSante'))],
      '2001',
      'scenarioInstallation.isCentreDeSante',
    ),
    rejected(
      'isCentreDeSante as "oui"',
      [set(p('scenarioInstallation', 'isCentreDeSante'), '"oui"')],
      '2002',
      'scenarioInstallation.isCentreDeSante',
    ),
    rejected(
      'operateurMessagerie by its label',
      [set(p('scenarioInstallation', 'operateurMessagerie'), '"ENOVACOM"')],
      '2040',
      'scenarioInstallation.operateurMessagerie',
    ),
    accepted('operateurMessagerie with a space in its code', [
      set(p('scenarioInstallation', 'operateurMessagerie'), '"CH _20"'),
    ]),
    // « Facultatif », and « il n'est plus obligatoire » since 04/11/2022.
    accepted('operateurMessagerie tag absent', [remove(p('scenarioInstallation', 'operateurMessagerie'))]),
    accepted('isDirectToDMP spelling', [
      remove(p('scenarioInstallation', 'isDirecToDMP')),
      set(p('scenarioInstallation', 'isDirectToDMP'), 'true'),
    ]),
    rejected(
      'both spellings of isDirecToDMP',
      [set(p('scenarioInstallation', 'isDirectToDMP'), 'true')],
      '2016',
      'scenarioInstallation.isDirecToDMP',
    ),
    rejected(
      'isPFIToMSSCitoyen absent',
      [remove(p('scenarioInstallation', 'isPFIToMSSCitoyen'))],
      '2001',
      'scenarioInstallation.isPFIToMSSCitoyen',
    ),
    rejected(
      'centre de santé without the référencement profile',
      [],
      '2041',
      'scenarioInstallation.isCentreDeSante',
      {
        line: 1,
        options: { referentiel: referentielWithProfiles('3456789012', ['MAILIZ']) },
      },
    ),
    rejected(
      'Mailiz without the référencement profile',
      [],
      '2041',
      'scenarioInstallation.operateurMessagerie',
      {
        line: 1,
        options: { referentiel: referentielWithProfiles('3456789012', ['CENTRE_DE_SANTE']) },
      },
    ),
    accepted('centre de santé and Mailiz with both profiles', [], { line: 1, options: { referentiel: ref } }),
    rejected('no attachment', [set(p('piecesJustificatives'), '[]')], '2020', 'piecesJustificatives'),
    rejected('no bon de commande', [remove(p('piecesJustificatives', 0))], '2050', 'piecesJustificatives'),
    rejected(
      'no PREUVE_HT under the HT regime',
      [remove(p('piecesJustificatives', 1))],
      '2050',
      'piecesJustificatives',
    ),
    accepted('no PREUVE_HT under the TTC regime', [
      set(p('commande', 'regimeTVA'), '"TTC"'),
      remove(p('piecesJustificatives', 1)),
    ]),
    rejected(
      'two bons de commande',
      [
        set(p('commande', 'regimeTVA'), '"TTC"'),
        set(
          p('piecesJustificatives', 1),
          '{ "nomFichier": "MDV-LGC-Va1-BDC-00001.jpg", "formatFichier": "JPG", "typeFichier": "BON_COMMANDE" }',
        ),
      ],
      '2051',
      'piecesJustificatives',
    ),
    rejected(
      'nomFichier off the nomenclature',
      [set(p('piecesJustificatives', 0, 'nomFichier'), '"bon-de-commande.pdf"')],
      '2052',
      'piecesJustificatives[0].nomFichier',
    ),
    rejected(
      'nomFichier of another request',
      [set(p('piecesJustificatives', 0, 'nomFichier'), '"MDV-LGC-Va1-BDC-00002.pdf"')],
      '2053',
      'piecesJustificatives[0].nomFichier',
    ),
    rejected(
      'nomFichier extension not the format',
      [set(p('piecesJustificatives', 0, 'nomFichier'), '"MDV-LGC-Va1-BDC-00001.png"')],
      '2054',
      'piecesJustificatives[0].nomFichier',
    ),
    rejected(
      'nomFichier code not the type',
      [set(p('piecesJustificatives', 0, 'nomFichier'), '"MDV-LGC-Va1-HT-00001.pdf"')],
      '2055',
      'piecesJustificatives[0].nomFichier',
    ),
    rejected(
      'nomFichier of 50 characters',
      [set(p('piecesJustificatives', 0, 'nomFichier'), `"MDV-LGC-Va1-BDC-00001${'x'.repeat(25)}.pdf"`)],
      '2007',
      'piecesJustificatives[0].nomFichier',
    ),
    rejected(
      'nomFichier declared twice',
      [
        set(
          p('piecesJustificatives', 1),
          '{ "nomFichier": "MDV-LGC-Va1-BDC-00001.pdf", "formatFichier": "PDF", "typeFichier": "BON_COMMANDE" }',
        ),
      ],
      '2056',
      'piecesJustificatives[1].nomFichier',
    ),
    rejected(
      'formatFichier not allowed',
      [set(p('piecesJustificatives', 0, 'formatFichier'), '"DOC"')],
      '2005',
      'piecesJustificatives[0].formatFichier',
    ),
    rejected(
      'typeFichier of another profile',
      [set(p('piecesJustificatives', 0, 'typeFichier'), '"FACTURE"')],
      '2005',
      'piecesJustificatives[0].typeFichier',
    ),
    accepted('a JPG bon de commande', [
      set(
        p('piecesJustificatives', 0),
        '{ "nomFichier": "MDV-LGC-Va1-BDC-00001.jpg", "formatFichier": "JPG", "typeFichier": "BON_COMMANDE" }',
      ),
    ]),
    rejected(
      'codeTraitement filled by the vendor',
      [set(p('codeTraitement'), '"0000"')],
      '2003',
      'codeTraitement',
    ),
    rejected('libelleTraitement absent', [remove(p('libelleTraitement'))], '2001', 'libelleTraitement'),
    accepted('an unknown tag is only a warning', [set(p('commentaire'), '"à rappeler"')]),
  ],
  'HOP-DPI-avance': [
    accepted('the worked example of the hôpital Saint-Martin (3 ES-PMSI)', []),
    accepted('with the Intégration INS profile in the référentiel', [], { options: { referentiel: ref } }),
    rejected(
      'PFI indépendante without Intégration INS',
      [],
      '2041',
      'scenarioInstallation.DPI.isPFIpourEnvoiMSSProIndependante',
      {
        options: { referentiel: referentielWithProfiles('1234567890', []) },
      },
    ),
    accepted(
      'no PFI indépendante needs no profile',
      [
        set(p('scenarioInstallation', 'DPI', 'isPFIpourEnvoiMSSProIndependante'), 'false'),
        set(p('scenarioInstallation', 'DPI', 'isPFIpourEnvoiMSSPCitoyenIndependante'), 'false'),
      ],
      { options: { referentiel: referentielWithProfiles('1234567890', []) } },
    ),
    rejected(
      'isMandataire absent',
      [remove(p('beneficiaires', 'isMandataire'))],
      '2001',
      'beneficiaires.isMandataire',
    ),
    rejected(
      'nomMandataire absent (the tag is mandatory even when null)',
      [remove(p('beneficiaires', 'nomMandataire'))],
      '2015',
      'beneficiaires.nomMandataire',
    ),
    rejected(
      'EtablissementsClients empty',
      [set(p('beneficiaires', 'EtablissementsClients'), '[]')],
      '2020',
      'beneficiaires.EtablissementsClients',
    ),
    rejected(
      'EtablissementsClients item not an object',
      [set(p('beneficiaires', 'EtablissementsClients', 0), '"999999999"')],
      '2002',
      'beneficiaires.EtablissementsClients[0]',
    ),
    rejected(
      'nomClient in lower case',
      [set(p('beneficiaires', 'EtablissementsClients', 0, 'nomClient'), '"Dupont"')],
      '2008',
      'beneficiaires.EtablissementsClients[0].nomClient',
    ),
    rejected(
      'emailClient absent',
      [remove(p('beneficiaires', 'EtablissementsClients', 1, 'emailClient'))],
      '2001',
      'beneficiaires.EtablissementsClients[1].emailClient',
    ),
    rejected(
      'telephoneClient blank',
      [set(p('beneficiaires', 'EtablissementsClients', 0, 'telephoneClient'), '"  "')],
      '2013',
      'beneficiaires.EtablissementsClients[0].telephoneClient',
    ),
    rejected(
      'FINESSPMSI of 8 characters',
      [set(p('beneficiaires', 'EtablissementsClients', 0, 'FINESSPMSI'), '"99999999"')],
      '2006',
      'beneficiaires.EtablissementsClients[0].FINESSPMSI',
    ),
    rejected(
      'FINESSPMSI twice',
      [set(p('beneficiaires', 'EtablissementsClients', 2, 'FINESSPMSI'), '"999999999"')],
      '2024',
      'beneficiaires.EtablissementsClients[2].FINESSPMSI',
    ),
    rejected(
      'isClientUnique true with three FINESS PMSI',
      [set(p('beneficiaires', 'isClientUnique'), 'true'), ...NULL_MANDATAIRE],
      '2023',
      'beneficiaires.isClientUnique',
    ),
    accepted('isClientUnique true with one FINESS PMSI', [
      set(p('beneficiaires', 'isClientUnique'), 'true'),
      ...NULL_MANDATAIRE,
      remove(p('beneficiaires', 'EtablissementsClients', 2)),
      remove(p('beneficiaires', 'EtablissementsClients', 1)),
    ]),
    rejected(
      'scenario DPI block absent',
      [remove(p('scenarioInstallation', 'DPI'))],
      '2001',
      'scenarioInstallation.DPI',
    ),
    rejected(
      'isProSanteConnectNeeded as a string',
      [set(p('scenarioInstallation', 'DPI', 'isProSanteConnectNeeded'), '"oui"')],
      '2002',
      'scenarioInstallation.DPI.isProSanteConnectNeeded',
    ),
    rejected(
      'PFI block absent',
      [remove(p('scenarioInstallation', 'PFI'))],
      '2001',
      'scenarioInstallation.PFI',
    ),
    rejected(
      'PFI isEnvoiDMP true for a DPI',
      [set(p('scenarioInstallation', 'PFI', 'isEnvoiDMP'), 'true')],
      '2026',
      'scenarioInstallation.PFI.isEnvoiDMP',
    ),
    accepted('PFI isCRRADAssociated null for a DPI (« false ou null »)', [
      set(p('scenarioInstallation', 'PFI', 'isCRRADAssociated'), 'null'),
    ]),
    rejected(
      'PFI operateurMessagerie filled for a DPI',
      [set(p('scenarioInstallation', 'PFI', 'operateurMessagerie'), '"ENO_5"')],
      '2026',
      'scenarioInstallation.PFI.operateurMessagerie',
    ),
    rejected(
      'an attachment named for another profile',
      [set(p('piecesJustificatives', 0, 'nomFichier'), '"MDV-LGC-Va1-BDC-00001.pdf"')],
      '2052',
      'piecesJustificatives[0].nomFichier',
    ),
    rejected(
      'attachments come before the scenario in the HOP table',
      [
        set(p('piecesJustificatives', 0, 'nomFichier'), '"x.pdf"'),
        set(p('scenarioInstallation', 'PFI', 'isEnvoiDMP'), 'true'),
      ],
      '2052',
      'piecesJustificatives[0].nomFichier',
    ),
  ],
  'BIO-SGL-avance': [
    accepted("the worked example of M. Durand's laboratories", []),
    accepted('with the Esclave d’identité profile in the référentiel', [], { options: { referentiel: ref } }),
    rejected('identity slave without its profile', [], '2041', 'scenarioInstallation.isIdSlave', {
      options: { referentiel: referentielWithProfiles('4567890123', []) },
    }),
    rejected(
      'identity reference without its profile',
      [set(p('scenarioInstallation', 'isIdRef'), 'true')],
      '2041',
      'scenarioInstallation.isIdRef',
      { options: { referentiel: ref } },
    ),
    rejected(
      'intra-SIH flow without the hospital profile',
      [set(p('scenarioInstallation', 'isSendingFluxIntraSIH'), 'true')],
      '2041',
      'scenarioInstallation.isSendingFluxIntraSIH',
      { options: { referentiel: ref } },
    ),
    rejected(
      'Mailiz without its profile',
      [set(p('scenarioInstallation', 'operateurMessagerie'), '"MAI_15"')],
      '2041',
      'scenarioInstallation.operateurMessagerie',
      { options: { referentiel: ref } },
    ),
    rejected(
      'operateurMessagerie null (mandatory in this document)',
      [set(p('scenarioInstallation', 'operateurMessagerie'), 'null')],
      '2002',
      'scenarioInstallation.operateurMessagerie',
    ),
    rejected(
      'numeroFINESSJuridique of 10 characters',
      [set(p('beneficiaires', 'EtablissementsClients', 0, 'numeroFINESSJuridique'), '"9999999910"')],
      '2006',
      'beneficiaires.EtablissementsClients[0].numeroFINESSJuridique',
    ),
    rejected(
      'numeroFINESSGeos empty',
      [set(p('beneficiaires', 'EtablissementsClients', 0, 'numeroFINESSGeos'), '[]')],
      '2020',
      'beneficiaires.EtablissementsClients[0].numeroFINESSGeos',
    ),
    rejected(
      'a geographic FINESS of 8 characters (the seed example slip)',
      [set(p('beneficiaires', 'EtablissementsClients', 1, 'numeroFINESSGeos', 0), '"22222222"')],
      '2006',
      'beneficiaires.EtablissementsClients[1].numeroFINESSGeos[0]',
    ),
    rejected(
      'a geographic FINESS as a number',
      [set(p('beneficiaires', 'EtablissementsClients', 1, 'numeroFINESSGeos', 0), '222222222')],
      '2002',
      'beneficiaires.EtablissementsClients[1].numeroFINESSGeos[0]',
    ),
    rejected(
      'isClientUnique true with two juridical FINESS',
      [set(p('beneficiaires', 'isClientUnique'), 'true')],
      '2023',
      'beneficiaires.isClientUnique',
    ),
    rejected(
      'nomMandataire filled without a mandataire',
      [set(p('beneficiaires', 'nomMandataire'), '"DURAND"')],
      '2003',
      'beneficiaires.nomMandataire',
    ),
    rejected(
      'proof of existence without the sworn statement',
      [
        set(
          p('piecesJustificatives', 1),
          '{ "nomFichier": "BIO-SGL-Va1-PAB-00001.pdf", "formatFichier": "PDF", "typeFichier": "PREUVE_ACT_BIO" }',
        ),
        set(p('commande', 'regimeTVA'), '"TTC"'),
      ],
      '2057',
      'piecesJustificatives',
    ),
    accepted('proof of existence with the sworn statement', [
      set(
        p('piecesJustificatives', 1),
        '{ "nomFichier": "BIO-SGL-Va1-PAB-00001.pdf", "formatFichier": "PDF", "typeFichier": "PREUVE_ACT_BIO" }',
      ),
      set(
        p('piecesJustificatives', 2),
        '{ "nomFichier": "BIO-SGL-Va1-AH-00001.png", "formatFichier": "PNG", "typeFichier": "ATTESTATION_HONNEUR" }',
      ),
      set(p('commande', 'regimeTVA'), '"TTC"'),
    ]),
    rejected('scenario block absent', [remove(p('scenarioInstallation'))], '2001', 'scenarioInstallation'),
  ],
  'BIO-LOINC-solde': [
    accepted('the worked example of the solde FINBIO000006', []),
    accepted('against the paid avance of the référentiel', [], { options: { referentiel: ref } }),
    rejected('numeroASP null', [set(p('numeroASP'), 'null')], '2002', 'numeroASP'),
    rejected('numeroASP of 11 characters', [set(p('numeroASP'), '"FINBIO00006"')], '2006', 'numeroASP'),
    rejected('numeroASP not FIN…', [set(p('numeroASP'), '"XXXBIO000006"')], '2060', 'numeroASP'),
    rejected('numeroASP of another couloir', [set(p('numeroASP'), '"FINHOP000006"')], '2061', 'numeroASP'),
    rejected('an unknown avance', [set(p('numeroASP'), '"FINBIO000007"')], '2062', 'numeroASP', {
      options: { referentiel: ref },
    }),
    rejected('an avance not paid', [], '2063', 'numeroASP', {
      options: {
        referentiel: {
          ...ref,
          avances: (ref.avances ?? []).map((a) => ({ ...a, statut: 'ACCEPTEE' as const })),
        },
      },
    }),
    rejected('an avance of another numeroAns', [], '2066', 'numeroASP', {
      options: {
        referentiel: { ...ref, avances: (ref.avances ?? []).map((a) => ({ ...a, numeroAns: '9999999999' })) },
      },
    }),
    rejected(
      'a numeroEditeur other than the avance’s',
      [
        set(p('numeroEditeur'), '"00009"'),
        set(p('piecesJustificatives', 0, 'nomFichier'), '"BIO-LOINC-Va1-FACTURE-00009.pdf"'),
      ],
      '2064',
      'numeroEditeur',
      { options: { referentiel: ref } },
    ),
    rejected(
      'an amount above the avance’s order',
      [set(p('facture', 'montantSegurHTFacture'), '2917.01')],
      '2065',
      'facture.montantSegurHTFacture',
      { options: { referentiel: ref } },
    ),
    accepted('an amount below the avance’s order', [set(p('facture', 'montantSegurHTFacture'), '2000.00')], {
      options: { referentiel: ref },
    }),
    rejected('facture block absent', [remove(p('facture'))], '2001', 'facture'),
    rejected(
      'dateFacture with dashes',
      [set(p('facture', 'dateFacture'), '"20-09-2023"')],
      '2009',
      'facture.dateFacture',
    ),
    rejected(
      'montantSegurHTFacture without decimals',
      [set(p('facture', 'montantSegurHTFacture'), '2917')],
      '2011',
      'facture.montantSegurHTFacture',
    ),
    rejected('beneficiaires empty', [set(p('beneficiaires'), '[]')], '2020', 'beneficiaires'),
    rejected(
      'a beneficiary of 8 characters (the seed example slip)',
      [set(p('beneficiaires', 0), '"99999991"')],
      '2006',
      'beneficiaires[0]',
    ),
    rejected('a beneficiary twice', [set(p('beneficiaires', 2), '"999999991"')], '2024', 'beneficiaires[2]'),
    rejected('no VA', [remove(p('piecesJustificatives', 1))], '2050', 'piecesJustificatives'),
    accepted('a transcoded catalogue CT1', [
      set(
        p('piecesJustificatives', 2),
        '{ "nomFichier": "BIO-LOINC-Va1-CT1-00001.pdf", "formatFichier": "PDF", "typeFichier": "CT1" }',
      ),
    ]),
    accepted('the CTX type of §3.2, its file named CTX', [
      set(
        p('piecesJustificatives', 2),
        '{ "nomFichier": "BIO-LOINC-Va1-CTX-00001.pdf", "formatFichier": "PDF", "typeFichier": "CTX" }',
      ),
    ]),
    rejected(
      'lienCompteRendu filled',
      [set(p('lienCompteRendu'), '"https://exemple.fr/cr"')],
      '2003',
      'lienCompteRendu',
    ),
    rejected(
      'isDirectToDMP true',
      [set(p('scenarioInstallation', 'isDirectToDMP'), 'true')],
      '2004',
      'scenarioInstallation.isDirectToDMP',
    ),
    accepted('isDirecToDMP spelling', [
      remove(p('scenarioInstallation', 'isDirectToDMP')),
      set(p('scenarioInstallation', 'isDirecToDMP'), 'false'),
    ]),
    rejected(
      'identDMP filled',
      [set(p('scenarioInstallation', 'identDMP'), '["X"]')],
      '2003',
      'scenarioInstallation.identDMP',
    ),
    rejected(
      'adresseBoiteMSSCitoyen absent',
      [remove(p('scenarioInstallation', 'adresseBoiteMSSCitoyen'))],
      '2001',
      'scenarioInstallation.adresseBoiteMSSCitoyen',
    ),
  ],
};
