import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mutate, remove, sampleText, set } from '../test/support/deposits';

/**
 * Writes events/faulty/: variants of the sample deposits with one typical vendor mistake each, and
 * expected.json with the verdict each must get. A test checks them all; regenerate with
 * `node scripts/run-ts.mjs scripts/make-faulty-samples.ts`.
 */
const l = (...path: Array<string | number>) => ['lignesImport', 0, ...path];
const cases = [
  {
    file: 'JSON-3456789012-20221104-001.json',
    dir: 'mdv-rpps-15-chiffres',
    profile: 'MDV-LGC-avance' as const,
    mutations: [set(l('beneficiaires', 'liberal', 0, 'RPPS'), '"888888888888888"')],
    expect: { line: 1, code: '2006', field: 'beneficiaires.liberal[0].RPPS' },
  },
  {
    file: 'JSON-3456789012-20221104-001.json',
    dir: 'mdv-montant-sans-decimales',
    profile: 'MDV-LGC-avance' as const,
    mutations: [set(l('commande', 'montantSegurHT'), '1075')],
    expect: { line: 1, code: '2011', field: 'commande.montantSegurHT' },
  },
  {
    file: 'JSON-1234567890-20220315-001.json',
    dir: 'hop-preuve-ht-absente',
    profile: 'HOP-DPI-avance' as const,
    mutations: [remove(l('piecesJustificatives', 1))],
    expect: { line: 1, code: '2050', field: 'piecesJustificatives' },
  },
  {
    file: 'JSON-1234567890-20220315-001.json',
    dir: 'hop-bloc-pfi-rempli',
    profile: 'HOP-DPI-avance' as const,
    mutations: [set(l('scenarioInstallation', 'PFI', 'isEnvoiMSSPro'), 'true')],
    expect: { line: 1, code: '2026', field: 'scenarioInstallation.PFI.isEnvoiMSSPro' },
  },
  {
    file: 'JSON-4567890123-20211025-001.json',
    dir: 'sgl-finess-8-caracteres',
    profile: 'BIO-SGL-avance' as const,
    mutations: [set(l('beneficiaires', 'EtablissementsClients', 1, 'numeroFINESSGeos', 0), '"22222222"')],
    expect: { line: 1, code: '2006', field: 'beneficiaires.EtablissementsClients[1].numeroFINESSGeos[0]' },
  },
  {
    file: 'JSON-4567890123-20211025-001.json',
    dir: 'sgl-date-iso',
    profile: 'BIO-SGL-avance' as const,
    mutations: [set(l('commande', 'dateCommande'), '"2021-10-25"')],
    expect: { line: 1, code: '2009', field: 'commande.dateCommande' },
  },
  {
    file: 'JSON-2345678901-20230920-001.json',
    dir: 'loinc-numero-asp-hop',
    profile: 'BIO-LOINC-solde' as const,
    mutations: [set(l('numeroASP'), '"FINHOP000006"')],
    expect: { line: 1, code: '2061', field: 'numeroASP' },
  },
  {
    file: 'JSON-2345678901-20230920-001.json',
    dir: 'loinc-depasse-avance',
    profile: 'BIO-LOINC-solde' as const,
    mutations: [set(l('facture', 'montantSegurHTFacture'), '3000.00')],
    expect: { line: 1, code: '2065', field: 'facture.montantSegurHTFacture' },
  },
  {
    file: 'JSON-3456789012-20221104-001.json',
    dir: 'fichier-virgule-manquante',
    profile: 'MDV-LGC-avance' as const,
    text: (t: string) => t.replace('"typeAction": "C",', '"typeAction": "C"'),
    expect: { fileCode: '1005' },
  },
  {
    file: 'JSON-3456789012-20221104-001.json',
    dir: 'fichier-siret-siren',
    profile: 'MDV-LGC-avance' as const,
    mutations: [set(['SIRET'], '"885588558"')],
    expect: { fileCode: '1013' },
  },
  {
    file: 'depot-avance.json',
    dir: 'fichier-nom-hors-nomenclature',
    profile: 'HOP-DPI-avance' as const,
    mutations: [],
    expect: { fileCode: '1030' },
  },
];

const root = join(process.cwd(), 'events', 'faulty');
const manifest = cases.map((c) => {
  const base = sampleText(c.profile);
  const text = 'text' in c && c.text ? c.text(base) : mutate(base, c.mutations ?? []);
  mkdirSync(join(root, c.dir), { recursive: true });
  writeFileSync(join(root, c.dir, c.file), text);
  return { path: `${c.dir}/${c.file}`, profile: c.profile, expect: c.expect };
});
writeFileSync(join(root, 'expected.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${manifest.length} dépôts fautifs écrits dans events/faulty/`);
