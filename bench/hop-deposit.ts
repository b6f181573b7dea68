/**
 * The benchmarks' deposit: `count` HOP-DPI lines under the TTC regime, one bon de commande each
 * (numeroEditeur 00001, 00002…), for the vendor `siret`.
 */
export function hopTtcDeposit(
  siret: string,
  count = 200,
  numeroAns = '1234567890',
): { json: string; names: string[] } {
  const names: string[] = [];
  const lines = Array.from({ length: count }, (_, index) => {
    const editeur = String(index + 1).padStart(5, '0');
    names.push(`HOP-DPI-Va1-BDC-${editeur}.pdf`);
    return `{"numLigne": ${index + 1}, "typeAction": "C", "numeroASP": null, "numeroEditeur": "${editeur}",
 "commande": {"dateCommande": "15/03/2022", "regimeTVA": "TTC", "montantSegurHT": 13750.00},
 "beneficiaires": {"isMandataire": false, "isClientUnique": true, "nomMandataire": null, "emailMandataire": null, "telephoneMandataire": null,
  "EtablissementsClients": [{"nomClient": "DUPONT", "emailClient": "dupont@exemple.fr", "telephoneClient": "0102030405", "FINESSPMSI": "999999999"}]},
 "piecesJustificatives": [{"nomFichier": "HOP-DPI-Va1-BDC-${editeur}.pdf", "formatFichier": "PDF", "typeFichier": "BON_COMMANDE"}],
 "scenarioInstallation": {"DPI": {"isPFIpourEnvoiDMPIndependante": false, "isPFIpourEnvoiMSSProIndependante": false, "isPFIpourEnvoiMSSPCitoyenIndependante": false, "isProSanteConnectNeeded": true},
  "PFI": {"isCRBIOAssociated": false, "isCRRADAssociated": false, "operateurMessagerie": null, "isEnvoiDMP": false, "isEnvoiMSSPro": false, "isEnvoiMSSCitoyen": false}},
 "codeTraitement": null, "libelleTraitement": null}`;
  });
  return {
    json: `{"impId": null, "numeroAns": "${numeroAns}", "SIRET": "${siret}", "lignesImport": [\n${lines.join(',\n')}\n]}\n`,
    names,
  };
}
