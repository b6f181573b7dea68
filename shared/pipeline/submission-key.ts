import { PREFIXES } from '../config/resources';
import { unsafeKeyReason } from '../domain/safe-key';

/**
 * A deposited object's place in a submission, from its S3 key:
 * depot/<SIRET>/<avance|solde>/JSON-<numeroAns>-<AAAAMMJJ>-<NNN>.json, and zips named after the JSON
 * (<base>.zip or <base>-<suffix>.zip).
 */
export interface DepositKey {
  readonly siret: string;
  readonly type: 'avance' | 'solde';
  readonly kind: 'json' | 'zip';
  /** The object's file name. */
  readonly name: string;
  /** The JSON's base name, which names the submission. */
  readonly base: string;
  readonly submissionId: string;
}

export type KeyOutcome =
  | { readonly ok: true; readonly key: DepositKey }
  | { readonly ok: false; readonly reason: string };

const BASE = /^([Jj][Ss][Oo][Nn]-.+?-\d{8}-\d{3})(?:-[^/]+)?\.zip$/;

export function submissionId(siret: string, type: string, base: string): string {
  return `${siret}/${type}/${base}`;
}

export function parseDepositKey(key: string): KeyOutcome {
  if (!key.startsWith(PREFIXES.deposit)) return { ok: false, reason: `hors du dossier ${PREFIXES.deposit}` };
  const unsafe = unsafeKeyReason(key.slice(PREFIXES.deposit.length));
  if (unsafe) return { ok: false, reason: `chemin refusé : ${unsafe}` };
  const parts = key.slice(PREFIXES.deposit.length).split('/');
  if (parts.length !== 3)
    return { ok: false, reason: 'chemin attendu : depot/<SIRET>/<avance|solde>/<fichier>' };
  const [siret = '', type = '', name = ''] = parts;
  if (!/^\d{14}$/.test(siret))
    return { ok: false, reason: `dossier « ${siret} » : un SIRET de 14 chiffres est attendu` };
  if (type !== 'avance' && type !== 'solde')
    return { ok: false, reason: `dossier « ${type} » : avance ou solde attendu` };
  // One name, one object: `.JSON` beside `.json` would be two objects taken for one submission.
  const extension = /\.(json|zip)$/i.exec(name)?.[1];
  if (extension && extension !== extension.toLowerCase())
    return {
      ok: false,
      reason: `l'extension « .${extension} » doit être écrite en minuscules (.${extension.toLowerCase()}) : deux noms qui ne diffèrent que par la casse ne sont jamais confondus`,
    };
  if (/\.json$/.test(name)) {
    const base = name.replace(/\.json$/, '');
    return {
      ok: true,
      key: { siret, type, kind: 'json', name, base, submissionId: submissionId(siret, type, base) },
    };
  }
  const zip = BASE.exec(name);
  if (zip?.[1])
    return {
      ok: true,
      key: { siret, type, kind: 'zip', name, base: zip[1], submissionId: submissionId(siret, type, zip[1]) },
    };
  if (/\.zip$/i.test(name))
    return {
      ok: false,
      reason: `le .zip « ${name} » ne porte pas le nom de son fichier JSON (<nom du JSON>.zip ou <nom du JSON>-<suffixe>.zip)`,
    };
  return { ok: false, reason: `« ${name} » n'est ni un .json ni un .zip` };
}

/** S3 event keys are URL-encoded, spaces as '+'. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}
