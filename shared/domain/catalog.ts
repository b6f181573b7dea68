import type { Params, Severity } from './findings';
import { printable } from './printable';

/**
 * The code catalog: every code the controls can give, with its French message and a hint to fix it.
 * This is the only place where wording lives; `docs/codes.md` is generated from it
 * (`npm run docs:codes`) and a test keeps the two equal.
 *
 * Ranges: 1xxx control 1 (the whole file is rejected), 2xxx control 2 (the line is rejected),
 * 3xxx attachments in the zips (the line is rejected), 8xxx warnings and checks not done (nothing is
 * rejected). Codes are stable: a code is never reused for another meaning.
 *
 * Templates: `{field}` is the path of the field, `{name}` a parameter of the finding.
 */
export interface CatalogEntry {
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly hint: string;
  /** A code no control gives any more (why, and since when): kept so that it is never reused. */
  readonly retired?: string;
}

export const ACCEPTED_CODE = '0000';
export const ACCEPTED_LABEL = 'Demande acceptée';

export const CATALOG = {
  // ── Control 1: the file ────────────────────────────────────────────────────────────────
  '1001': {
    severity: 'error',
    title: 'Fichier vide',
    message: 'le fichier est vide',
    hint: 'Déposez le fichier JSON complet, tel que produit par votre logiciel.',
  },
  '1002': {
    severity: 'error',
    title: 'Encodage invalide',
    message: "le fichier n'est pas encodé en UTF-8 (premier octet invalide à la position {octet})",
    hint: 'Enregistrez le fichier en UTF-8 (sans BOM) ; les accents saisis en Windows-1252 ou Latin-1 sont refusés.',
  },
  '1003': {
    severity: 'error',
    title: 'Marque BOM en tête de fichier',
    message: "le fichier commence par une marque d'ordre d'octets (BOM UTF-8), non permise en JSON",
    hint: 'Enregistrez le fichier en « UTF-8 sans BOM ».',
    retired:
      'une marque BOM en tête est acceptée avec l’avertissement 8006 (lecture tolérante) ; ailleurs, c’est une erreur de syntaxe (1005)',
  },
  '1004': {
    severity: 'error',
    title: 'Fichier trop volumineux',
    message: 'le fichier pèse {taille} octets, au-delà de la limite de {max} octets',
    hint: 'Un fichier de 200 demandes pèse moins de 1 Mo : vérifiez que le fichier déposé est bien le JSON des demandes.',
  },
  '1005': {
    severity: 'error',
    title: 'JSON invalide',
    message: "le fichier n'est pas un JSON valide : {erreur} (ligne {ligne}, colonne {colonne})",
    hint: "Corrigez la syntaxe à l'endroit indiqué (virgule, guillemet, accolade) ; un validateur JSON aide à la trouver.",
  },
  '1006': {
    severity: 'error',
    title: 'Imbrication trop profonde',
    message:
      'le fichier imbrique objets et tableaux sur plus de {max} niveaux (ligne {ligne}, colonne {colonne})',
    hint: "Le format ne dépasse pas 5 niveaux d'imbrication : le fichier n'a pas la structure attendue.",
  },
  '1007': {
    severity: 'error',
    title: 'Balise en double',
    message: 'la balise « {cle} » apparaît deux fois dans le même objet ({field})',
    hint: 'Supprimez la balise en double : chaque balise ne peut figurer qu’une fois par objet.',
  },
  '1008': {
    severity: 'error',
    title: 'Racine non objet',
    message: 'le fichier doit contenir un objet JSON { impId, numeroAns, SIRET, lignesImport }, reçu {recu}',
    hint: "Partez du modèle de fichier JSON de l'ASP : le fichier est un objet dont l'entête porte impId, numeroAns, SIRET et lignesImport.",
  },
  '1010': {
    severity: 'error',
    title: "Balise d'entête absente",
    message: "la balise d'entête {field} est absente",
    hint: "L'entête du fichier porte impId (null), numeroAns, SIRET et lignesImport.",
  },
  '1011': {
    severity: 'error',
    title: 'impId renseigné',
    message: 'impId doit valoir null (reçu « {recu} »)',
    hint: "Laissez impId à null : l'ASP le renseigne.",
  },
  '1012': {
    severity: 'error',
    title: 'numeroAns invalide',
    message: 'numeroAns doit être une chaîne de 10 caractères (reçu « {recu} »)',
    hint: "Reprenez le numéro de référencement fourni par l'ANS pour ce logiciel, entre guillemets.",
  },
  '1013': {
    severity: 'error',
    title: 'SIRET invalide',
    message: '{field} doit être une chaîne de 14 chiffres (reçu « {recu} »)',
    hint: "Reprenez le SIRET déclaré lors de l'enrôlement sur le portail de l'ASP, entre guillemets, sans espaces.",
  },
  '1014': {
    severity: 'error',
    title: 'SIRET en double',
    message: 'les balises SIRET et siret sont toutes deux présentes ; une seule est permise',
    hint: 'Gardez la seule balise SIRET.',
  },
  '1020': {
    severity: 'error',
    title: 'lignesImport invalide',
    message: 'lignesImport doit être un tableau de demandes (reçu {recu})',
    hint: 'lignesImport est un tableau [ … ] dont chaque élément est une demande { numLigne, typeAction, … }.',
  },
  '1021': {
    severity: 'error',
    title: 'Aucune demande',
    message: 'lignesImport ne contient aucune demande',
    hint: 'Un fichier porte de 1 à 200 demandes.',
  },
  '1022': {
    severity: 'error',
    title: 'Trop de demandes',
    message: 'lignesImport contient {nombre} demandes ; 200 au plus par fichier',
    hint: 'Répartissez les demandes dans plusieurs fichiers de 200 demandes au plus (numéros de fichier 001, 002…).',
  },
  '1023': {
    severity: 'error',
    title: 'Demande non objet',
    message: 'lignesImport[{index}] doit être un objet (reçu {recu})',
    hint: 'Chaque élément de lignesImport est une demande entre accolades { … }.',
  },
  '1024': {
    severity: 'error',
    title: 'Numérotation des demandes',
    message:
      "lignesImport[{index}].numLigne doit valoir {attendu} (les demandes sont numérotées 1, 2, … n dans l'ordre ; reçu « {recu} »)",
    hint: 'Numérotez les demandes 1, 2, 3… dans l’ordre du fichier, en nombres entiers sans guillemets.',
  },
  '1030': {
    severity: 'error',
    title: 'Nom de fichier hors nomenclature',
    message: 'le nom du fichier « {nom} » ne suit pas la nomenclature JSON-<numeroAns>-<AAAAMMJJ>-<NNN>.json',
    hint: 'Nommez le fichier JSON-<numéro ANS>-<date du dépôt AAAAMMJJ>-<numéro du fichier du jour 001, 002…>.json.',
  },
  '1031': {
    severity: 'error',
    title: 'Nom de fichier et numéro ANS',
    message: "le nom du fichier porte le numéro ANS {nomAns}, l'entête numeroAns vaut {numeroAns}",
    hint: "Le numéro ANS du nom de fichier est celui de l'entête.",
  },
  '1032': {
    severity: 'error',
    title: 'Date du nom de fichier',
    message: "la date « {date} » du nom de fichier n'existe pas au calendrier (format AAAAMMJJ)",
    hint: 'La date du nom de fichier est la date du dépôt, au format AAAAMMJJ.',
  },
  '1033': {
    severity: 'error',
    title: 'Numéro de fichier',
    message: 'le numéro de fichier du jour doit aller de 001 à 999 (reçu {numero})',
    hint: 'Le premier fichier déposé un jour donné porte le numéro 001, le deuxième 002…',
  },
  '1040': {
    severity: 'error',
    title: 'Profil indéterminé',
    message: 'impossible de déterminer le couloir et le logiciel du fichier : {raison}',
    hint: 'Précisez le profil (--profile MDV-LGC, HOP-DPI, BIO-SGL ou BIO-LOINC) ou fournissez le référentiel.',
  },
  '1041': {
    severity: 'error',
    title: 'SIRET du dossier',
    message: "le SIRET de l'entête ({siret}) n'est pas celui du dossier de dépôt ({dossier})",
    hint: 'Déposez le fichier dans le dossier de votre propre SIRET, celui de l’entête.',
  },
  '1042': {
    severity: 'error',
    title: 'Numéro ANS non référencé',
    message: "le numéro ANS {numeroAns} n'est pas un référencement du SIRET {siret} pour {profil}",
    hint: 'Vérifiez le numéro ANS : il doit être celui du référencement de ce logiciel, au nom du fournisseur qui dépose.',
  },
  '1043': {
    severity: 'error',
    title: 'Type de demande',
    message:
      'le profil {profil} se dépose en demande de {attendu}, le fichier est déposé en demande de {recu}',
    hint: 'Déposez les demandes d’avance dans le dossier avance et les demandes de solde dans le dossier solde.',
  },

  '1050': {
    severity: 'error',
    title: 'Dépôt non traité',
    message: 'le fichier « {fichier} » n’est pas traité : {raison}',
    hint: 'Déposez le fichier JSON sous depot/<SIRET>/<avance|solde>/JSON-<numeroAns>-<AAAAMMJJ>-<NNN>.json et ses pièces dans <nom du JSON>.zip ou <nom du JSON>-<suffixe>.zip.',
  },
  '1051': {
    severity: 'error',
    title: 'Pièces sans fichier JSON',
    message: 'les fichiers {zips} sont arrivés sans le fichier {json} : aucune demande ne peut être examinée',
    hint: 'Déposez le fichier JSON dans le même dossier : la soumission sera alors jugée avec ses .zip.',
  },
  '1052': {
    severity: 'error',
    title: 'Fichier déjà jugé',
    message:
      'le fichier « {fichier} » a déjà été jugé le {date} ; cette nouvelle version n’est pas prise en compte et le premier jugement reste valable',
    hint: 'Déposez la version corrigée sous un nouveau numéro de fichier (…-002.json, …-003.json), avec de nouveaux numéros éditeur pour les demandes d’avance rejetées.',
  },
  '1053': {
    severity: 'error',
    title: 'Pièces après jugement',
    message:
      'le fichier « {fichier} » est arrivé après le jugement du {date} et n’apporte aucune des pièces alors manquantes ({manquantes}) ; il n’est pas pris en compte et le jugement reste valable',
    hint: 'Un .zip déposé après le jugement ne sert qu’à apporter les pièces que le compte rendu dit manquantes, sous un nouveau nom (<nom du JSON>-<suffixe>.zip). Pour corriger des demandes, déposez un nouveau fichier (…-002.json).',
  },
  '1060': {
    severity: 'error',
    title: 'Rejet technique',
    message:
      'le dépôt n’a pas pu être contrôlé à la suite d’un incident technique de la plateforme ({raison}) ; les équipes de l’ASP en sont averties',
    hint: 'Rien à corriger de votre côté : l’ASP relancera le contrôle et vous recevrez alors un nouveau compte rendu.',
  },

  // ── Control 2: each line ───────────────────────────────────────────────────────────────
  '2001': {
    severity: 'error',
    title: 'Balise obligatoire absente',
    message: '{field} est obligatoire et absent{faute}',
    hint: 'Ajoutez la balise, même quand sa valeur est null ou false : le format demande toutes les balises.',
  },
  '2002': {
    severity: 'error',
    title: 'Type de valeur',
    message: '{field} doit être {attendu} (reçu {recu})',
    hint: 'Les chaînes sont entre guillemets, les booléens sont true ou false sans guillemets, les montants sont des nombres.',
  },
  '2003': {
    severity: 'error',
    title: 'Valeur null attendue',
    message: '{field} doit valoir null{raison} (reçu « {recu} »)',
    hint: 'Mettez la valeur null, sans guillemets.',
  },
  '2004': {
    severity: 'error',
    title: 'Valeur false attendue',
    message: '{field} doit valoir false{raison} (reçu « {recu} »)',
    hint: 'Mettez la valeur false, sans guillemets.',
  },
  '2005': {
    severity: 'error',
    title: 'Valeur non permise',
    message: '{field} doit valoir {attendu} (reçu « {recu} »)',
    hint: 'Choisissez une des valeurs permises, en respectant les majuscules.',
  },
  '2006': {
    severity: 'error',
    title: 'Longueur exacte',
    message: '{field} doit compter exactement {n} caractères (reçu « {recu} », {longueur} caractères)',
    hint: 'Vérifiez le numéro : ni espace, ni caractère manquant ou en trop.',
  },
  '2007': {
    severity: 'error',
    title: 'Longueur maximale',
    message: '{field} doit compter moins de {n} caractères (reçu {longueur} caractères)',
    hint: 'Raccourcissez la valeur.',
  },
  '2008': {
    severity: 'error',
    title: 'Majuscules',
    message: '{field} doit être saisi en MAJUSCULES (reçu « {recu} »)',
    hint: 'Saisissez le nom en majuscules (les accents sont permis : É, È…).',
  },
  '2009': {
    severity: 'error',
    title: 'Format de date',
    message: '{field} doit être une date JJ/MM/AAAA (reçu « {recu} »)',
    hint: 'Écrivez la date sur 10 caractères, jour et mois sur deux chiffres : 04/11/2022.',
  },
  '2010': {
    severity: 'error',
    title: 'Date inexistante',
    message: "{field} n'est pas une date du calendrier (reçu « {recu} »)",
    hint: 'Vérifiez le jour et le mois (un 31/04 ou un 29/02 d’une année non bissextile n’existent pas).',
  },
  '2011': {
    severity: 'error',
    title: 'Montant : deux décimales',
    message:
      '{field} doit être un montant avec exactement deux décimales, par exemple 1075.00 (reçu « {recu} »)',
    hint: 'Écrivez le montant sans guillemets, avec un point et deux chiffres après : 1075.00, 13750.50.',
  },
  '2012': {
    severity: 'error',
    title: 'Montant non positif',
    message: '{field} doit être un montant strictement positif (reçu « {recu} »)',
    hint: 'Reprenez le montant hors taxe du bon de commande ou de la facture.',
  },
  '2013': {
    severity: 'error',
    title: 'Valeur vide',
    message: '{field} ne doit pas être vide',
    hint: 'Renseignez la valeur.',
  },
  '2014': {
    severity: 'error',
    title: 'Chiffres attendus',
    message: '{field} ne doit contenir que des chiffres (reçu « {recu} »)',
    hint: 'Saisissez le numéro sans espace, point ni lettre.',
  },
  '2015': {
    severity: 'error',
    title: 'Balise à renseigner',
    message: '{field} doit être renseigné{raison}{faute}',
    hint: 'Renseignez la valeur : la condition indiquée la rend obligatoire.',
  },
  '2016': {
    severity: 'error',
    title: 'Deux orthographes',
    message: '{field} et {autre} sont toutes deux présentes ; une seule des deux orthographes est permise',
    hint: 'Gardez une seule des deux balises.',
  },
  '2017': {
    severity: 'error',
    title: 'Balise à ne pas renseigner',
    message: '{field} ne doit pas être renseigné{raison} (reçu « {recu} »)',
    hint: 'Mettez null (ou omettez la balise) : la condition indiquée exclut cette information.',
  },
  '2018': {
    severity: 'error',
    title: 'Caractères du numéro éditeur',
    message:
      '{field} ne doit contenir que des lettres et des chiffres, car il entre dans le nom des pièces justificatives (reçu « {recu} »)',
    hint: 'Numérotez vos demandes 00001, 00002…',
  },
  '2019': {
    severity: 'error',
    title: 'Montant démesuré',
    message: '{field} compte {chiffres} chiffres avant le point décimal ; {max} au plus (reçu « {recu} »)',
    hint: 'Vérifiez le montant : un montant Ségur s’écrit avec au plus 9 chiffres avant le point, par exemple 1075.00.',
  },
  '2020': {
    severity: 'error',
    title: 'Tableau vide',
    message: '{field} doit contenir au moins un élément{raison}',
    hint: 'Ajoutez les éléments attendus dans le tableau.',
  },
  '2021': {
    severity: 'error',
    title: 'Tableau à laisser vide',
    message: '{field} doit être un tableau vide []{raison}',
    hint: 'Videz le tableau : la condition indiquée exclut ces informations.',
  },
  '2022': {
    severity: 'error',
    title: 'Objet à laisser vide',
    message: '{field} doit être un objet vide {}{raison}',
    hint: 'Videz l’objet : la condition indiquée exclut ces informations.',
  },
  '2023': {
    severity: 'error',
    title: 'Client unique incohérent',
    message: '{field} : isClientUnique vaut {valeur} mais {constat}',
    hint: 'isClientUnique vaut true pour un seul bénéficiaire, false pour plusieurs.',
  },
  '2024': {
    severity: 'error',
    title: 'Doublon dans la demande',
    message: '{field} : la valeur « {recu} » figure déjà dans {liste}',
    hint: 'Chaque bénéficiaire ne figure qu’une fois dans la demande.',
  },
  '2025': {
    severity: 'error',
    title: 'Liste trop longue',
    message: '{field} compte {nombre} éléments ; {max} au plus par demande',
    hint: 'Vérifiez la liste : une demande ne porte pas autant d’éléments ; répartissez-les en plusieurs demandes si besoin.',
  },
  '2026': {
    severity: 'error',
    title: 'Valeur false ou null attendue',
    message: '{field} doit valoir false ou null{raison} (reçu « {recu} »)',
    hint: 'Mettez la valeur false ou null, sans guillemets.',
  },
  '2027': {
    severity: 'error',
    title: 'Majuscules',
    message: '{field} s’écrit « {attendu} », en respectant les majuscules (reçu « {recu} »)',
    hint: 'Écrivez la valeur exactement comme le format la donne, en majuscules.',
  },
  '2030': {
    severity: 'error',
    title: 'Numéro éditeur en double dans le fichier',
    message: 'numeroEditeur « {recu} » est déjà celui de la ligne {autreLigne} du fichier',
    hint: 'Chaque demande a son propre numéro éditeur.',
  },
  '2031': {
    severity: 'error',
    title: 'Numéro éditeur déjà utilisé',
    message: 'numeroEditeur « {recu} » a déjà été utilisé par une demande antérieure ({origine})',
    hint: 'Une demande rejetée se soumet à nouveau avec un nouveau numéro éditeur.',
  },
  '2040': {
    severity: 'error',
    title: 'Opérateur de messagerie inconnu',
    message:
      '{field} doit être un code de la liste des opérateurs de messagerie (section 4), par exemple « ENO_5 » (reçu « {recu} »)',
    hint: 'Reprenez le code exact de la liste (espaces compris, par exemple « CH _20 »), pas le libellé.',
  },
  '2041': {
    severity: 'error',
    title: 'Profil de référencement manquant',
    message:
      '{field} vaut {recu} : le logiciel doit être référencé avec le profil « {profil} », absent du référencement {numeroAns}',
    hint: 'Choisissez un scénario permis par votre référencement, ou faites référencer le logiciel avec ce profil.',
  },
  '2050': {
    severity: 'error',
    title: 'Pièce obligatoire absente',
    message: 'piecesJustificatives doit contenir une pièce de type {type}{raison}',
    hint: 'Déclarez la pièce et joignez-la dans le .zip.',
  },
  '2051': {
    severity: 'error',
    title: 'Pièce en trop',
    message: 'piecesJustificatives contient {nombre} pièces de type {type} ; une seule est permise',
    hint: 'Une demande ne comporte qu’un seul document de ce type.',
  },
  '2052': {
    severity: 'error',
    title: 'Nom de pièce hors nomenclature',
    message: '{field} « {recu} » ne suit pas la nomenclature {attendu}',
    hint: 'Nommez la pièce <COULOIR>-<LOGICIEL>-Va1-<CodeTypeFichier>-<numeroEditeur>.<pdf|png|jpg>.',
  },
  '2053': {
    severity: 'error',
    title: 'Nom de pièce et numéro éditeur',
    message:
      '{field} « {recu} » porte le numéro éditeur {nomEditeur}, celui de la demande est {numeroEditeur}',
    hint: 'Le nom de chaque pièce reprend le numéro éditeur de sa demande.',
  },
  '2054': {
    severity: 'error',
    title: 'Extension et format',
    message:
      '{field} « {recu} » a l’extension « .{extension} », le format déclaré {format} demande « .{attendu} »',
    hint: 'L’extension du nom (pdf, png, jpg, en minuscules) correspond à formatFichier (PDF, PNG, JPG).',
  },
  '2055': {
    severity: 'error',
    title: 'Nom de pièce et type',
    message: '{field} « {recu} » porte le code {nomCode}, le type déclaré {type} demande le code {attendu}',
    hint: 'Le code du nom correspond au typeFichier (BON_COMMANDE → BDC, PREUVE_HT → HT…).',
  },
  '2056': {
    severity: 'error',
    title: 'Pièce déclarée deux fois',
    message: '{field} « {recu} » est déclaré deux fois dans la demande',
    hint: 'Chaque pièce n’est déclarée qu’une fois.',
  },
  '2057': {
    severity: 'error',
    title: 'Pièce accompagnée',
    message: 'piecesJustificatives contient une pièce {type} sans la pièce {requis} qui doit l’accompagner',
    hint: 'Joignez les deux pièces ensemble.',
  },
  '2060': {
    severity: 'error',
    title: 'Numéro ASP invalide',
    message:
      '{field} doit être un numéro de dossier ASP FIN<couloir><6 chiffres>, par exemple FINBIO000006 (reçu « {recu} »)',
    hint: "Reprenez le numéro ASP attribué à la demande d'avance, sur 12 caractères.",
  },
  '2061': {
    severity: 'error',
    title: 'Numéro ASP d’un autre couloir',
    message:
      '{field} « {recu} » est un dossier du couloir {couloirRecu}, une demande {profil} attend un dossier FIN{couloir}',
    hint: "Reprenez le numéro ASP de l'avance de ce logiciel.",
  },
  '2062': {
    severity: 'error',
    title: 'Avance inconnue',
    message: "{field} « {recu} » ne correspond à aucune demande d'avance connue",
    hint: "Reprenez le numéro ASP porté par le fichier retour de la demande d'avance.",
  },
  '2063': {
    severity: 'error',
    title: 'Avance non payée',
    message:
      "l'avance {recu} a le statut {statut} ; le solde ne peut être demandé qu'après son paiement (statut PAYEE)",
    hint: "Attendez l'avis de paiement de l'avance avant de demander le solde.",
  },
  '2064': {
    severity: 'error',
    title: 'Numéro éditeur de l’avance',
    message: 'numeroEditeur « {recu} » diffère de celui de l’avance {numeroASP} ({attendu})',
    hint: "Le solde reprend le numéro éditeur de la demande d'avance.",
  },
  '2065': {
    severity: 'error',
    title: 'Montant supérieur à la commande',
    message: '{field} {recu} dépasse le montant de la commande de l’avance {numeroASP} ({attendu})',
    hint: 'Le montant facturé est égal ou inférieur à celui du bon de commande.',
  },
  '2066': {
    severity: 'error',
    title: 'Numéro ANS de l’avance',
    message: "l'avance {numeroASP} a été demandée sous le numéro ANS {attendu}, le fichier porte {recu}",
    hint: "Déposez le solde sous le numéro ANS de l'avance.",
  },

  '2067': {
    severity: 'error',
    title: 'Avance déjà soldée',
    message:
      "l'avance {recu} a déjà été soldée par une demande acceptée ({origine}) : une seule demande de solde par avance",
    hint: "Ne déposez pas à nouveau le solde d'une avance déjà soldée ; vérifiez le numéro ASP.",
  },
  '2068': {
    severity: 'error',
    title: "Bénéficiaire hors de l'avance",
    message: "{field} « {recu} » n'est pas un bénéficiaire de l'avance {numeroASP} ({liste})",
    hint: "Le solde porte sur les FINESS géographiques de l'avance : retirez celui-ci ou vérifiez le numéro ASP.",
  },
  '2069': {
    severity: 'error',
    title: 'FINESS déjà payé',
    message:
      '{field} « {recu} » a déjà fait l’objet d’une demande de solde acceptée pour ce logiciel ({origine}) : une et une seule demande de paiement par instance',
    hint: 'Retirez ce FINESS géographique : son installation a déjà été payée.',
  },
  '2070': {
    severity: 'error',
    title: 'Plafond dépassé',
    message: '{field} {recu} dépasse le montant maximum hors taxe de la prestation, {plafond} € HT',
    hint: 'Le montant Ségur est plafonné : déclarez au plus le plafond, hors taxe.',
  },

  // ── Attachments in the zips ────────────────────────────────────────────────────────────
  '3001': {
    severity: 'error',
    title: 'Pièce introuvable',
    message: '{field} « {recu} » est introuvable dans les fichiers .zip déposés{raison}',
    hint: 'Ajoutez la pièce dans un .zip du dépôt, sous ce nom exact (majuscules et extension comprises).',
  },
  '3002': {
    severity: 'error',
    title: 'Pièce trop lourde',
    message:
      '{field} « {recu} » pèse {taille} octets une fois décompressée, au-delà de 3 Mo ({max} octets) ({zip})',
    hint: 'Réduisez la pièce (numérisation en 150 ou 200 dpi, PDF optimisé) sous 3 Mo.',
  },
  '3003': {
    severity: 'error',
    title: 'Pièce vide',
    message: '{field} « {recu} » est vide (0 octet) dans {zip}',
    hint: 'Joignez le document lui-même : le fichier du .zip est vide.',
  },
  '3004': {
    severity: 'error',
    title: 'Contenu et format',
    message: '{field} « {recu} » est déclaré {format} mais son contenu est {contenu} ({zip})',
    hint: 'Joignez un vrai fichier du format déclaré (renommer un fichier ne change pas son format), ou corrigez formatFichier.',
  },
  '3005': {
    severity: 'error',
    title: '.zip trop lourd',
    message: '{field} « {recu} » est dans {zip}, qui pèse {taille} octets, au-delà de 200 Mo ({max} octets)',
    hint: 'Répartissez les pièces dans plusieurs .zip de 200 Mo au plus.',
  },
  '3006': {
    severity: 'error',
    title: 'Pièce en deux versions',
    message: '{field} « {recu} » figure dans {zip} et dans {autreZip} avec des contenus différents',
    hint: 'Ne gardez qu’une version de la pièce, dans un seul .zip.',
  },
  '3007': {
    severity: 'error',
    title: 'Pièce chiffrée',
    message: '{field} « {recu} » est chiffrée par un mot de passe dans {zip} ({chemin})',
    hint: 'Créez le .zip sans mot de passe : l’ASP doit pouvoir lire les pièces.',
  },
  '3008': {
    severity: 'error',
    title: 'Chemin dangereux dans le .zip',
    message: '{field} « {recu} » est rangée dans {zip} sous un chemin refusé « {chemin} » ({raison})',
    hint: 'Placez les pièces à la racine du .zip ou dans un simple dossier, sans « .. », chemin absolu ni lettre de lecteur (C:).',
  },
  '3009': {
    severity: 'error',
    title: 'Tailles incohérentes',
    message:
      '{field} « {recu} » a dans {zip} des tailles incohérentes ({raison}) : elle n’est pas décompressée',
    hint: 'Recréez le .zip avec un outil standard (explorateur de fichiers, 7-Zip, zip).',
  },

  '3010': {
    severity: 'error',
    title: 'Contenu illisible',
    message: '{field} « {recu} » est illisible dans {zip} ({raison}) : son format ne peut pas être vérifié',
    hint: 'Recréez le .zip avec un outil standard (compression « deflate » ou sans compression) et déposez-le à nouveau.',
  },
  '3011': {
    severity: 'error',
    title: '.zip refusé',
    message:
      '{field} « {recu} » n’a pas pu être cherchée : le fichier {zip} est refusé sans être lu ({raison})',
    hint: 'Recréez le .zip avec les seules pièces du dépôt (10 000 fichiers au plus), avec un outil standard.',
  },

  // ── Warnings and checks not done ───────────────────────────────────────────────────────
  '8001': {
    severity: 'warning',
    title: 'Balise inconnue',
    message: "la balise {field} n'est pas prévue par le format {profil} ; elle est ignorée{suggestion}",
    hint: 'Supprimez la balise ou corrigez son orthographe.',
  },
  '8002': {
    severity: 'notice',
    title: 'Profil de référencement',
    message:
      '{field} vaut {recu} : profil de référencement « {profil} » non vérifié (aucun référentiel fourni)',
    hint: 'Fournissez le référentiel (--referentiel) pour faire cette vérification.',
  },
  '8003': {
    severity: 'notice',
    title: 'Présence des pièces dans les .zip',
    message: '{field} « {recu} » : présence dans les .zip non vérifiée (aucun .zip fourni)',
    hint: 'Fournissez les .zip du dépôt (--zip) pour faire cette vérification.',
  },
  '8004': {
    severity: 'warning',
    title: 'Courriel douteux',
    message: '{field} « {recu} » ne ressemble pas à une adresse de courriel',
    hint: 'Vérifiez l’adresse : elle est utilisée pour contacter le bénéficiaire.',
  },
  '8005': {
    severity: 'notice',
    title: "Avance d'un solde",
    message:
      "{field} « {recu} » : existence et paiement de l'avance non vérifiés (aucun référentiel d'avances)",
    hint: 'Fournissez le référentiel (--referentiel) pour faire cette vérification.',
  },
  '8006': {
    severity: 'warning',
    title: 'Marque BOM en tête de fichier',
    message:
      'le fichier commence par une marque d’ordre d’octets (BOM UTF-8) : elle est ignorée, mais certains outils la refusent',
    hint: 'Enregistrez de préférence le fichier en « UTF-8 sans BOM ».',
  },
  '8007': {
    severity: 'warning',
    title: 'Bloc structure d’une commande libérale',
    message:
      '{field} est {forme} pour une commande LIBERAL : accepté, le format attend {} (« SI commandePour = LIBERAL ALORS structure = {} »)',
    hint: 'Écrivez "structure": {} pour une commande LIBERAL.',
  },
  '8008': {
    severity: 'warning',
    title: "Bénéficiaire de l'avance absent du solde",
    message: "l'avance {numeroASP} porte aussi {liste}, que le solde ne reprend pas",
    hint: "Vérifiez que le solde couvre tous les FINESS géographiques de l'avance.",
  },
  '8009': {
    severity: 'warning',
    title: 'Date du nom de fichier',
    message:
      "la date du nom de fichier ({date}) n'est pas celle du dépôt ({jour}) : le nom porte la date du dépôt et le numéro du fichier de ce jour",
    hint: 'Nommez le fichier JSON-<numéro ANS>-<date du dépôt AAAAMMJJ>-<numéro du fichier du jour>.json.',
  },
  '8010': {
    severity: 'warning',
    title: '.zip illisible',
    message: 'le fichier {zip} est illisible : {raison}',
    hint: 'Recréez le .zip avec un outil standard et déposez-le à nouveau.',
  },
  '8011': {
    severity: 'warning',
    title: 'Fichier non déclaré',
    message: '{zip} contient {nombre} fichier(s) qu’aucune demande ne déclare : {chemins}{autres}',
    hint: 'Retirez le fichier du .zip, ou déclarez-le dans les piecesJustificatives de sa demande.',
  },
  '8013': {
    severity: 'warning',
    title: '.zip refusé',
    message: 'le fichier {zip} est refusé sans être lu : {raison}',
    hint: 'Recréez le .zip avec les seules pièces du dépôt (10 000 fichiers au plus), avec un outil standard.',
  },
  '8012': {
    severity: 'warning',
    title: '.zip trop lourd',
    message: 'le fichier {zip} pèse {taille} octets, au-delà de 200 Mo ({max} octets)',
    hint: 'Répartissez les pièces dans plusieurs .zip de 200 Mo au plus.',
  },
} as const satisfies Readonly<Record<string, CatalogEntry>>;

/** Every code the controls can give: a mistyped code does not compile. */
export type Code = keyof typeof CATALOG;

/** The `{name}` placeholders of a template, `{field}` aside (the finding's own path). */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Exclude<Name, 'field'> | Placeholders<Rest>
  : never;

/** The parameters a code's message and hint name: a finding can give no other. */
export type ParamsOf<C extends Code> = {
  readonly [Name in Placeholders<(typeof CATALOG)[C]['message'] | (typeof CATALOG)[C]['hint']>]?:
    | string
    | number;
};

/** Fills a template: `{field}` and `{name}` placeholders; an unknown placeholder is left visible. */
export function renderTemplate(template: string, field: string, params: Params = {}): string {
  // Templates are split once into text and placeholders: a file without zips renders hundreds of notices.
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  let out = '';
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as string;
    if (index % 2 === 0) {
      out += part;
    } else if (part === 'field') {
      out += printable(field);
    } else {
      const value = params[part];
      // Optional clauses (« car isMandataire vaut true », « vouliez-vous dire … ? »): absent, none.
      out +=
        value === undefined ? (OPTIONAL_CLAUSES.has(part) ? '' : `{${part}}`) : boundedParam(String(value));
    }
  }
  // An optional clause (« car … ») written after « : » would leave two spaces: one is enough.
  return out.includes('  ') ? out.replace(/ {2,}/g, ' ') : out;
}

const compiled = new Map<string, string[]>();

/** Parameters that are whole clauses of a message, left out when the finding has none. */
const OPTIONAL_CLAUSES = new Set(['raison', 'faute', 'suggestion']);

/**
 * A value shown in a message: at most MAX_PARAM_CHARS characters (a 500,000-digit amount must not
 * make a 500 KB label), and well-formed Unicode, since a lone surrogate written by the vendor
 * (`"\udc00"`) cannot be URL-encoded for SNS nor carried by SQS.
 */
const MAX_PARAM_CHARS = 160;

/**
 * A value as a message shows it: bounded, well-formed, and printable (control characters, line
 * breaks and bidirectional overrides shown as `\u001b`): every message (reports, the text of
 * controler, emails, result messages, the annotated file's labels) is rendered here, so a value can
 * neither drive a terminal nor forge a line anywhere.
 */
function boundedParam(value: string): string {
  const text = value.length > MAX_PARAM_CHARS ? `${value.slice(0, MAX_PARAM_CHARS - 1)}…` : value;
  return toWellFormedText(printable(text));
}

/** Lone surrogates, and the noncharacters U+FFFE/U+FFFF SQS refuses, become U+FFFD. */
export function toWellFormedText(value: string): string {
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g,
    '\uFFFD',
  );
}

export function catalogEntry(code: Code): CatalogEntry {
  return CATALOG[code];
}
