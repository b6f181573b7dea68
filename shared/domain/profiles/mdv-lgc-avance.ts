import { itemCount, itemsOf, propertiesOf, propertyOf } from '../json/json-document';
import {
  bool,
  choice,
  digitsOnly,
  email,
  field,
  finess,
  finessItemChecks,
  lengthEquals,
  phone,
  text,
  upperName,
} from '../rules/checks';
import {
  type ConditionalPresenceSchema,
  type LineContext,
  type Presence,
  type PresenceFunction,
  type Rule,
  type Scope,
  shapeOf,
} from '../rules/engine';
import { avanceMandatoryAttachments, fixedCodes, piecesBlockRule, piecesItemRules } from './attachment-rules';
import {
  avanceHeaderRules,
  boolAt,
  clientUniqueAgreement,
  commandeRules,
  each,
  eachScalar,
  isTrue,
  MAILIZ_CODE,
  mandatairePresence,
  noDuplicateAmongSiblings,
  nodeAt,
  object,
  operateurMessagerie,
  type Profile,
  relation,
  requiresReferencement,
  stringAt,
  stringsOf,
  traitementRules,
  when,
} from './common';

/**
 * Médecins de ville, logiciel de gestion de cabinet, avance.
 * Seed: 000_32f4e7682ded2454.txt (DTJSONAVANCE-MDV-LGC-VA1, 04/11/2022), section 3.2, in table order:
 * entête demande, commande, bénéficiaires, scénario d'installation, pièces justificatives, traitement.
 */
const ATTACHMENT_CODES: Readonly<Record<string, string>> = { BON_COMMANDE: 'BDC', PREUVE_HT: 'HT' };
const COULOIR = 'MDV';
const LOGICIEL = 'LGC';

const commandePour = (ctx: LineContext) => stringAt(ctx, 'beneficiaires.commandePour');
const isLiberal = (ctx: LineContext) => commandePour(ctx) === 'LIBERAL';
const isStructure = (ctx: LineContext) => commandePour(ctx) === 'STRUCTURE';
const STRUCTURE_REASON = ' car commandePour vaut « STRUCTURE »';
const LIBERAL_REASON = ' car commandePour vaut « LIBERAL »';

/** "Obligatoire si commande pour liberal, à ne pas renseigner si la commande est pour une structure". */
function liberalOnly(whenLiberal: PresenceFunction, allowFalse = false): PresenceFunction {
  const presence = (ctx: LineContext, scope: Scope): Presence => {
    if (isLiberal(ctx)) return whenLiberal(ctx, scope);
    if (isStructure(ctx)) return { mode: 'empty', reason: STRUCTURE_REASON, allowFalse };
    return { mode: 'optional' };
  };
  const liberalCases = whenLiberal.schema?.cases ?? [];
  const schema: ConditionalPresenceSchema = {
    description: `si commandePour vaut « LIBERAL » : ${whenLiberal.schema?.description ?? 'obligatoire'} ; à ne pas renseigner si commandePour vaut « STRUCTURE »`,
    base: 'optional',
    cases: [
      ...liberalCases.map((item) => ({ ...item, when: { commandePour: 'LIBERAL', ...item.when } })),
      { when: { commandePour: 'STRUCTURE' }, mode: 'empty', allowFalse },
    ],
  };
  return Object.assign(presence, { schema });
}

const required = (): Presence => ({ mode: 'required' });
const alwaysRequired: PresenceFunction = Object.assign((): Presence => ({ mode: 'required' }), {
  schema: { description: 'obligatoire', base: 'nullable', cases: [{ when: {}, mode: 'required' }] },
} satisfies { schema: ConditionalPresenceSchema });
const mandataire = mandatairePresence('beneficiaires');

/** emailMedecin / telephoneMedecin: "facultatif si le médecin est représenté par un mandataire". */
const doctorContact: PresenceFunction = Object.assign(
  (ctx: LineContext): Presence =>
    boolAt(ctx, 'beneficiaires.isMandataire') === false
      ? { mode: 'required', reason: " car isMandataire vaut false (le médecin n'est pas représenté)" }
      : { mode: 'optional' },
  {
    schema: {
      description: 'obligatoire si beneficiaires.isMandataire vaut false, facultatif sinon',
      base: 'optional',
      cases: [],
      unexpressed: 'obligatoire si beneficiaires.isMandataire vaut false (une condition sur un autre bloc)',
    },
  } satisfies { schema: ConditionalPresenceSchema },
);

/** structure: free when the order is for a libéral (the block may be absent), required otherwise. */
const structurePresence: PresenceFunction = Object.assign(
  (ctx: LineContext): Presence => (isLiberal(ctx) ? { mode: 'optional' } : { mode: 'required' }),
  {
    schema: {
      description: 'obligatoire si commandePour vaut « STRUCTURE »',
      base: 'optional',
      cases: [{ when: { commandePour: 'STRUCTURE' }, mode: 'required' }],
    },
  } satisfies { schema: ConditionalPresenceSchema },
);

const liberalList = relation(
  'liberal',
  (ctx) => {
    const liberal = nodeAt(ctx, 'beneficiaires.liberal');
    if (liberal?.type !== 'array') return undefined;
    const count = itemsOf(liberal).length;
    if (isStructure(ctx) && count > 0) return { code: '2021', params: { raison: STRUCTURE_REASON } };
    if (isLiberal(ctx) && count === 0) return { code: '2020', params: { raison: LIBERAL_REASON } };
    return undefined;
  },
  {
    cases: [
      { when: { commandePour: 'LIBERAL' }, keywords: { type: 'array', minItems: 1 } },
      { when: { commandePour: 'STRUCTURE' }, keywords: { type: 'array', maxItems: 0 } },
    ],
  },
);

/**
 * « SI commandePour = LIBERAL ALORS structure = {} ». Vendors' tools also write the block absent,
 * null, or as the STRUCTURE template left empty (every value null or an empty list): nothing is
 * declared there, so it is accepted with a warning (8007). A filled value stays refused (2022).
 */
const structureEmptyWhenLiberal = relation(
  'structure',
  (ctx) => {
    if (!isLiberal(ctx)) return undefined;
    const beneficiaires = nodeAt(ctx, 'beneficiaires');
    if (beneficiaires?.type !== 'object') return undefined;
    const structure = propertyOf(beneficiaires, 'structure');
    if (structure === undefined) return { code: '8007', params: { forme: 'absent' } };
    if (structure.type === 'null') return { code: '8007', params: { forme: 'null' } };
    if (structure.type !== 'object' || (structure.children ?? []).length === 0) return undefined;
    const allEmpty = propertiesOf(structure).every(
      ({ value }) => value?.type === 'null' || (value?.type === 'array' && itemCount(value) === 0),
    );
    return allEmpty
      ? { code: '8007', params: { forme: 'un modèle sans valeur' } }
      : { code: '2022', params: { raison: LIBERAL_REASON } };
  },
  { cases: [], unexpressed: 'structure sans valeur renseignée si commandePour vaut « LIBERAL » (2022)' },
);

const rules: readonly Rule[] = [
  ...avanceHeaderRules(),
  field('commande', 'object'),
  field('beneficiaires', 'object'),
  piecesBlockRule(),
  field('scenarioInstallation', 'object'),
  commandeRules(),
  object('beneficiaires', [
    choice('commandePour', ['LIBERAL', 'STRUCTURE']),
    bool('isMandataire', liberalOnly(alwaysRequired, true)),
    bool('isClientUnique', liberalOnly(alwaysRequired, true)),
    upperName('nomMandataire', liberalOnly(mandataire)),
    email('emailMandataire', liberalOnly(mandataire)),
    phone('telephoneMandataire', liberalOnly(mandataire)),
    field('liberal', 'array'),
    liberalList,
    when(
      isLiberal,
      [
        each('liberal', [
          upperName('nomMedecin'),
          email('emailMedecin', doctorContact),
          phone('telephoneMedecin', doctorContact),
          text('RPPS', [
            lengthEquals(11),
            digitsOnly,
            noDuplicateAmongSiblings(
              'beneficiaires.liberal',
              (item) => propertyOf(item, 'RPPS')?.value as string | undefined,
            ),
          ]),
        ]),
        clientUniqueAgreement('beneficiaires', { one: 'médecin', many: 'médecins' }, (ctx) => {
          const rpps = new Set(stringsOf(nodeAt(ctx, 'beneficiaires.liberal'), 'RPPS'));
          return rpps.size;
        }),
      ],
      undefined,
      { commandePour: 'LIBERAL' },
    ),
    field('structure', 'object', [], structurePresence),
    structureEmptyWhenLiberal,
    when(
      isStructure,
      [
        object('structure', [
          finess('FINESSJuridique'),
          upperName('nomResponsable'),
          email('emailResponsable'),
          phone('telephoneResponsable'),
          field('FINESSGeo', 'array'),
          eachScalar('FINESSGeo', 'string', [
            ...finessItemChecks,
            noDuplicateAmongSiblings('structure.FINESSGeo', (item) => item.value as string | undefined),
          ]),
        ]),
      ],
      undefined,
      { commandePour: 'STRUCTURE' },
    ),
  ]),
  object('scenarioInstallation', [
    bool('isCentreDeSante', required(), [requiresReferencement('CENTRE_DE_SANTE', isTrue)]),
    // « Facultatif » in the table, and the change of 04/11/2022: « il n'est plus obligatoire. La
    // valeur null est acceptée. » The tag may be absent or null.
    text(
      'operateurMessagerie',
      [operateurMessagerie, requiresReferencement('MAILIZ', (node) => node.value === MAILIZ_CODE)],
      { mode: 'optional' },
    ),
    bool('isProSanteConnectNeeded'),
    { kind: 'field', key: 'isDirecToDMP', aliases: ['isDirectToDMP'], type: 'boolean', presence: required() },
    bool('isPFIToDMP'),
    bool('isDirectToMSSPro'),
    bool('isPFIToMSSPro'),
    bool('isDirectToMSSCitoyen'),
    bool('isPFIToMSSCitoyen'),
  ]),
  ...piecesItemRules(
    { couloir: COULOIR, logiciel: LOGICIEL },
    {
      ...fixedCodes(ATTACHMENT_CODES),
      mandatory: avanceMandatoryAttachments,
      single: ['BON_COMMANDE', 'PREUVE_HT'],
    },
  ),
  ...traitementRules(),
];

export const MDV_LGC_AVANCE: Profile = {
  attachmentCodeOf: (type) => ATTACHMENT_CODES[type],
  id: 'MDV-LGC-avance',
  couloir: COULOIR,
  logiciel: LOGICIEL,
  type: 'avance',
  title: 'Médecins de ville – logiciel de gestion de cabinet (avance)',
  seed: '000_32f4e7682ded2454.txt',
  rules,
  shape: shapeOf(rules),
  beneficiariesOf: (line) => {
    const beneficiaires = propertyOf(line, 'beneficiaires');
    if (propertyOf(beneficiaires, 'commandePour')?.value === 'LIBERAL')
      return stringsOf(propertyOf(beneficiaires, 'liberal'), 'RPPS');
    return itemsOf(propertyOf(propertyOf(beneficiaires, 'structure'), 'FINESSGeo')).flatMap((item) =>
      item.type === 'string' ? [item.value as string] : [],
    );
  },
};
