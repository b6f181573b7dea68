import { itemsOf, type JsonDocument, type ParseOutcome, propertyOf } from './json/json-document';

/**
 * What the pipeline must know of a deposit before judging it (which software, which documents to
 * read in the zips, which avances a solde cites), read from the one parsed tree: the deposit is
 * parsed once, within its limits, and never again with JSON.parse.
 */
export interface DepositFacts {
  readonly numeroAns: string;
  /** nomFichier of every document the lines declare, NFC-normalised. */
  readonly declaredNames: ReadonlySet<string>;
  /** numeroASP the lines cite, only those of the documented form: anything else never becomes a key. */
  readonly citedNumerosAsp: readonly string[];
}

/** FIN + couloir + 6 digits (seed 004 §3.2, and the numbers the pipeline gives). */
export const NUMERO_ASP_PATTERN = /^FIN([A-Z]{3})\d{6}$/;
/** VARCHAR (=5) of letters and digits (decisions.md): the only form stored as a key. */
export const NUMERO_EDITEUR_PATTERN = /^[A-Za-z0-9]{5}$/;

const NO_FACTS: DepositFacts = { numeroAns: '', declaredNames: new Set(), citedNumerosAsp: [] };

export function depositFacts(parsed: ParseOutcome): DepositFacts {
  if (!parsed.ok) return NO_FACTS;
  const doc = parsed.doc;
  const numeroAns = propertyOf(doc.root, 'numeroAns');
  return {
    numeroAns: numeroAns?.type === 'string' ? (numeroAns.value as string) : '',
    declaredNames: declaredNamesOf(doc),
    citedNumerosAsp: citedNumerosAsp(doc),
  };
}

function lines(doc: JsonDocument) {
  return itemsOf(propertyOf(doc.root, 'lignesImport'));
}

export function declaredNamesOf(doc: JsonDocument): Set<string> {
  const names = new Set<string>();
  for (const line of lines(doc)) {
    for (const piece of itemsOf(propertyOf(line, 'piecesJustificatives'))) {
      const name = propertyOf(piece, 'nomFichier');
      if (name?.type === 'string') names.add((name.value as string).normalize('NFC'));
    }
  }
  return names;
}

function citedNumerosAsp(doc: JsonDocument): string[] {
  return lines(doc).flatMap((line) => {
    const value = propertyOf(line, 'numeroASP');
    return value?.type === 'string' && NUMERO_ASP_PATTERN.test(value.value as string)
      ? [value.value as string]
      : [];
  });
}
