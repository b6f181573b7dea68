import { NUMERO_ASP_PATTERN, NUMERO_EDITEUR_PATTERN } from '../domain/deposit-facts';
import { itemsOf, type JsonDocument, type JsonNode, propertyOf, rawText } from '../domain/json/json-document';
import type { FileVerdict } from '../domain/judge-file';
import { PROFILES } from '../domain/profiles';
import { BIO_LOINC_SOLDE } from '../domain/profiles/bio-loinc-solde';
import type { ProfileId } from '../domain/rules/line-environment';
import type { AvanceLedger, AvanceLineClaim, ClaimOwner, EditeurScope, Registry } from './ports';
import { REGISTRIES } from './ports';

/**
 * The vendor's history a judgement needs, with the documents' meaning, and the claims that make
 * its decisions stick under concurrency (two judges at once, a judgement retried):
 * - avance: every judged line uses up its numeroEditeur, accepted or rejected (« si la demande est
 *   rejetée, un nouveau numéro unique doit être généré », seeds 000 and 003);
 * - solde: the number is the avance's; a rejected solde line may come back in a later file; an
 *   accepted solde closes its avance (« une et une seule demande de paiement », seed 004), and for
 *   BIO-LOINC pays its FINESS géographiques, once per software.
 * The registries are read before judging (the usual verdicts), then claimed by conditional writes
 * once the verdict is known; a claim lost to a concurrent judgement re-judges with the winner known,
 * so that two files never both get the same number, avance or FINESS.
 */
export interface History {
  /** Avance: numeroEditeur → the file that used it. */
  readonly usedNumerosEditeur: Map<string, string>;
  /** Avance: numeroEditeur → the numeroASP this submission's earlier judgement gave (kept for ever). */
  readonly ownNumerosAsp: Map<string, string>;
  /** Solde: numeroASP → the file whose accepted solde closed it. */
  readonly closedAvances: Map<string, string>;
  /** BIO-LOINC: FINESS → the file whose accepted solde paid it. */
  readonly paidFiness: Map<string, string>;
}

export interface ClaimContext {
  readonly store: Registry & AvanceLedger;
  readonly scope: EditeurScope;
  readonly owner: ClaimOwner;
}

const othersOnly = (owners: Map<string, ClaimOwner>, own: string) =>
  new Map(
    [...owners]
      .filter(([, owner]) => owner.submissionId !== own)
      .map(([key, owner]) => [key, owner.fileName]),
  );

export async function readHistory(context: ClaimContext, doc: JsonDocument | undefined): Promise<History> {
  const { store, scope, owner } = context;
  const lines = doc ? itemsOf(propertyOf(doc.root, 'lignesImport')) : [];
  if (scope.type === 'avance') {
    // Only this deposit's numbers are looked up: the software's whole history grows without end.
    const numeros = lines.flatMap((line) => {
      const value = propertyOf(line, 'numeroEditeur');
      return value?.type === 'string' && NUMERO_EDITEUR_PATTERN.test(value.value as string)
        ? [value.value as string]
        : [];
    });
    const used = await store.registryOwners(REGISTRIES.numerosEditeur(scope), numeros);
    const own = [...used].filter(([, holder]) => holder.submissionId === owner.submissionId);
    const ownNumerosAsp = new Map(
      own.flatMap(([numero, holder]) => (holder.numeroASP ? [[numero, holder.numeroASP]] : [])),
    );
    // A state kept from before numbers lived in the claims: their numbers are read where they were.
    const legacy = own.filter(([, holder]) => holder.legacy).map(([numero]) => numero);
    if (legacy.length > 0)
      for (const [numero, numeroASP] of await store.legacyNumerosAsp(scope, legacy))
        ownNumerosAsp.set(numero, numeroASP);
    return {
      usedNumerosEditeur: othersOnly(used, owner.submissionId),
      ownNumerosAsp,
      closedAvances: new Map(),
      paidFiness: new Map(),
    };
  }
  const cited = lines.flatMap((line) => numeroAspOf(line) ?? []);
  const finess = lines.flatMap((line) => finessOf(line));
  const [closed, paid] = await Promise.all([
    store.registryOwners(REGISTRIES.closedAvances, cited),
    store.registryOwners(REGISTRIES.paidFiness(scope.siret, scope.numeroAns), finess),
  ]);
  return {
    usedNumerosEditeur: new Map(),
    ownNumerosAsp: new Map(),
    closedAvances: othersOnly(closed, owner.submissionId),
    paidFiness: othersOnly(paid, owner.submissionId),
  };
}

/**
 * Takes, for this submission, what its verdict decided. Returns true when a claim was lost (the
 * history then holds the winner, and the file must be judged again with it).
 */
export async function claimDecisions(
  context: ClaimContext,
  verdict: FileVerdict,
  doc: JsonDocument | undefined,
  history: History,
): Promise<boolean> {
  if (verdict.status !== 'processed') return false;
  const { store, scope, owner } = context;
  if (scope.type === 'avance') {
    // Every judged line uses up its number; a line already refused for it (2031) claims nothing.
    const lines = verdict.lines.flatMap((line) =>
      line.numeroEditeur !== null &&
      NUMERO_EDITEUR_PATTERN.test(line.numeroEditeur) &&
      !history.usedNumerosEditeur.has(line.numeroEditeur)
        ? [avanceLineClaim(doc, verdict, line)]
        : [],
    );
    return (await claimAvanceLines(context, verdict, lines, history)) > 0;
  }
  const lines = doc ? itemsOf(propertyOf(doc.root, 'lignesImport')) : [];
  const finessRegistry = REGISTRIES.paidFiness(scope.siret, scope.numeroAns);
  let lostAny = false;
  for (const verdictLine of verdict.lines) {
    if (!verdictLine.accepted) continue;
    const line = lines[verdictLine.numLigne - 1];
    const numeroASP = line ? numeroAspOf(line) : undefined;
    if (!line || !numeroASP) continue;
    const lostAvance = await store.claim(REGISTRIES.closedAvances, [numeroASP], owner);
    const finess = finessOf(line);
    const lostFiness = lostAvance.size === 0 ? await store.claim(finessRegistry, finess, owner) : new Map();
    if (lostAvance.size === 0 && lostFiness.size === 0) continue;
    // The line loses: it gives back what it had taken, and is judged again with the winners known.
    lostAny = true;
    for (const [key, winner] of lostAvance) history.closedAvances.set(key, winner.fileName);
    for (const [key, winner] of lostFiness) history.paidFiness.set(key, winner.fileName);
    if (lostAvance.size === 0) await store.release(REGISTRIES.closedAvances, [numeroASP], owner);
    await store.release(
      finessRegistry,
      finess.filter((key) => !lostFiness.has(key)),
      owner,
    );
  }
  return lostAny;
}

/**
 * Claims avance lines, one write each, and keeps in `history` what came of it: the numeroASP of
 * the accepted ones, the winners of lost claims. Returns how many claims were lost.
 */
export async function claimAvanceLines(
  context: ClaimContext,
  verdict: FileVerdict,
  lines: readonly AvanceLineClaim[],
  history: History,
): Promise<number> {
  if (lines.length === 0) return 0;
  const couloir = verdict.profile ? PROFILES[verdict.profile as ProfileId].couloir : '';
  const { lost, numerosAsp } = await context.store.claimAvanceLines(
    context.scope,
    couloir,
    lines,
    context.owner,
    history.ownNumerosAsp,
  );
  for (const [numero, winner] of lost) history.usedNumerosEditeur.set(numero, winner.fileName);
  for (const [numero, numeroASP] of numerosAsp) history.ownNumerosAsp.set(numero, numeroASP);
  return lost.size;
}

/**
 * A judged avance line as claimed: an accepted one carries its avance's facts (the amount as
 * written, the beneficiaries its profile names), recorded with its claim; none without an amount.
 */
export function avanceLineClaim(
  doc: JsonDocument | undefined,
  verdict: FileVerdict,
  line: FileVerdict['lines'][number],
): AvanceLineClaim {
  const claim = { numeroEditeur: line.numeroEditeur as string, accepted: line.accepted };
  const node =
    doc && line.accepted ? itemsOf(propertyOf(doc.root, 'lignesImport'))[line.numLigne - 1] : undefined;
  const amount = propertyOf(propertyOf(node, 'commande'), 'montantSegurHT');
  if (!doc || !node || !amount) return claim;
  const profile = verdict.profile ? PROFILES[verdict.profile as ProfileId] : undefined;
  return {
    ...claim,
    avance: {
      numeroAns: verdict.numeroAns ?? '',
      numeroEditeur: line.numeroEditeur as string,
      montantSegurHT: rawText(doc, amount),
      beneficiaires: profile?.beneficiariesOf?.(node) ?? [],
    },
  };
}

function numeroAspOf(line: JsonNode): string | undefined {
  const value = propertyOf(line, 'numeroASP');
  return value?.type === 'string' && NUMERO_ASP_PATTERN.test(value.value as string)
    ? (value.value as string)
    : undefined;
}

/** A BIO-LOINC solde's FINESS géographiques, as its profile says what it pays once (the same rule in-file). */
function finessOf(line: JsonNode): string[] {
  return BIO_LOINC_SOLDE.paidOnceOf?.(line) ?? [];
}
