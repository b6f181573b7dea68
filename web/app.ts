import { NO_COLOUR, renderText } from '../local/text-report';
import { BlobSource } from '../shared/adapters/blob-source';
import { printable } from '../shared/domain/printable';
import { PROFILES } from '../shared/domain/profiles';
import type { Referentiel } from '../shared/domain/referentiel';
import { validateReferentiel } from '../shared/domain/referentiel-validation';
import { summarize } from '../shared/domain/reports';
import { depositSchema } from '../shared/domain/schema/deposit-schema';
import { reportNames } from '../shared/pipeline/check-deposit';
import { checkUpload, UPLOAD_LIMIT_BYTES } from '../shared/pipeline/check-upload';
import { add, type ChosenFiles, type Role, remove, roleOf, sizeText } from './chosen-files';
import { verdictCards } from './verdict-cards';

/**
 * The deposit simulator: the same checks as `segur-pipeline controler`, in the browser, on files
 * that never leave it. The deposit is read capped (10 Mio + 1 byte), each zip by ranges through
 * File.slice (its tail, its central directory, the declared documents' first bytes), the
 * référentiel parsed and validated; then the verdict, the text of `controler`, the HTML report and
 * the annotated file and rapport.json to download.
 */
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const chosen: ChosenFiles = { zips: [], refused: [] };
const urls: string[] = [];

/** The files given, by role, each with its size and a button to remove it; refused ones with why. */
function show(): void {
  const entries: Array<[string, File | undefined]> = [
    ['depot-choisi', chosen.depot],
    ['referentiel-choisi', chosen.referentiel],
  ];
  for (const [id, file] of entries) byId(id).replaceChildren(...(file ? [fileItem(file)] : []));
  byId('zips-choisis').replaceChildren(...chosen.zips.map((zip) => fileItem(zip)));
  byId('refuses').replaceChildren(...chosen.refused.map(({ file, reason }) => fileItem(file, reason)));
  byId<HTMLButtonElement>('controler').disabled = !chosen.depot;
  // Files given but no deposit: the page says what it waits for, rather than a silent grey button.
  const waiting =
    !chosen.depot && (chosen.zips.length > 0 || chosen.refused.length > 0 || chosen.referentiel);
  byId('aide-controle').textContent = waiting
    ? 'Ajoutez le fichier JSON du dépôt (JSON-<numéro ANS>-<AAAAMMJJ>-<NNN>.json) pour lancer le contrôle.'
    : '';
}

function fileItem(file: File, refused?: string): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'nom';
  name.textContent = printable(file.name);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'retirer';
  button.textContent = 'Retirer';
  button.setAttribute('aria-label', `Retirer ${file.name}`);
  button.addEventListener('click', () => {
    remove(chosen, file);
    show();
    byId('zone').focus();
  });
  item.append(name, ` (${sizeText(file.size)})${refused ? ` : ${refused}` : ''} `, button);
  return item;
}

/** Files dropped or chosen, each put in its role (or refused with the reason). */
async function take(files: readonly File[]): Promise<void> {
  for (const file of files) add(chosen, file, await roleOf(file));
  show();
}

async function readReferentiel(file: File): Promise<Referentiel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    throw new Error(`référentiel « ${file.name} » : ce n'est pas du JSON`);
  }
  const outcome = validateReferentiel(parsed);
  if (!outcome.ok) throw new Error(`référentiel « ${file.name} » invalide : ${outcome.errors.join(' ; ')}`);
  return outcome.referentiel;
}

function download(name: string, content: string, type: string): HTMLAnchorElement {
  const url = URL.createObjectURL(new Blob([content], { type }));
  urls.push(url);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.textContent = `Télécharger ${name}`;
  return link;
}

/** Each profile's JSON Schema, generated here from the same rules, offered for the vendor's editor. */
function offerSchemas(): void {
  const list = byId('schemas');
  for (const profile of Object.values(PROFILES)) {
    const text = `${JSON.stringify(depositSchema(profile).schema, null, 2)}\n`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/schema+json' }));
    link.download = `${profile.id}.schema.json`;
    link.textContent = `${profile.id}.schema.json`;
    const item = document.createElement('li');
    item.append(link, ` : ${profile.title}`);
    list.append(item);
  }
}

async function run(): Promise<void> {
  const depot = chosen.depot;
  if (!depot) return;
  document.body.dataset.state = 'en-cours';
  const verdictLine = byId('verdict');
  const text = byId<HTMLPreElement>('texte');
  const downloads = byId('telechargements');
  for (const url of urls.splice(0)) URL.revokeObjectURL(url);
  downloads.replaceChildren();
  verdictLine.className = '';
  verdictLine.textContent = 'Contrôle en cours…';
  try {
    const referentiel = chosen.referentiel ? await readReferentiel(chosen.referentiel) : undefined;
    const bytes = new Uint8Array(await depot.slice(0, UPLOAD_LIMIT_BYTES + 1).arrayBuffer());
    const zips = chosen.zips.map((zip) => new BlobSource(zip.name, zip));
    const type = byId<HTMLSelectElement>('type').value;
    const checked = await checkUpload({
      bytes,
      totalBytes: depot.size,
      fileName: depot.name,
      zips,
      referentiel,
      type: type === 'avance' || type === 'solde' ? type : undefined,
      now: new Date(),
    });
    const { verdict, annotated, reportJson, reportHtml } = checked.outputs;
    const summary = summarize(verdict);
    if (verdict.status === 'rejected') {
      verdictLine.className = 'ko';
      verdictLine.textContent = `✘ Fichier rejeté au contrôle 1 : ${verdict.fileErrors.length} erreur(s).`;
    } else {
      verdictLine.className = summary.rejected === 0 ? 'ok' : summary.accepted === 0 ? 'ko' : 'mixed';
      const mark = summary.rejected === 0 ? '✔' : summary.accepted === 0 ? '✘' : '◐';
      verdictLine.textContent = `${mark} ${summary.accepted} demande(s) acceptée(s), ${summary.rejected} rejetée(s) sur ${summary.lines}.`;
    }
    text.textContent = renderText(verdict, NO_COLOUR, {
      stats: `Statistiques : ${checked.stats.zipBytesRead} octets de .zip lus sur ${checked.stats.zipBytesTotal}`,
      declaredAttachments: checked.declaredAttachments,
      zipsGiven: zips.length > 0,
    });
    const source = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, UPLOAD_LIMIT_BYTES));
    byId('cartes').replaceChildren(verdictCards(verdict, source));
    byId('resultat').hidden = false;
    const names = reportNames(depot.name);
    if (annotated !== undefined)
      downloads.append(download(depot.name, annotated, 'application/json;charset=utf-8'));
    downloads.append(download(names.json, reportJson, 'application/json;charset=utf-8'));
    downloads.append(download(names.html, reportHtml, 'text/html;charset=utf-8'));
    document.body.dataset.zipBytesRead = String(checked.stats.zipBytesRead);
    document.body.dataset.state = 'fini';
  } catch (error) {
    verdictLine.className = 'erreur';
    verdictLine.textContent = `Contrôle impossible : ${error instanceof Error ? error.message : String(error)}`;
    document.body.dataset.state = 'erreur';
  }
}

function init(): void {
  const zone = byId('zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    void take([...(event.dataTransfer?.files ?? [])]);
  });
  const inputs: Array<[string, Role]> = [
    ['depot', 'depot'],
    ['zips', 'zip'],
    ['referentiel', 'referentiel'],
  ];
  for (const [id, role] of inputs) {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      // A JSON chosen as the deposit is the deposit; any other kind is refused with the reason.
      const files = [...(input.files ?? [])];
      void Promise.all(files.map(async (file) => [file, await roleOf(file)] as const)).then(async (roles) => {
        for (const [file, found] of roles)
          add(chosen, file, typeof found === 'object' || role === 'zip' ? found : role);
        input.value = '';
        show();
      });
    });
  }
  byId<HTMLInputElement>('erreurs-seulement').addEventListener('change', (event) => {
    byId('cartes').classList.toggle('erreurs-seulement', (event.target as HTMLInputElement).checked);
  });
  byId('controler').addEventListener('click', () => void run());
  offerSchemas();
  document.body.dataset.state = 'pret';
}

init();
