import type { Finding } from '../findings';
import type { CheckDraft } from '../rules/engine';
import type { AttachmentChecker } from '../rules/line-environment';
import {
  type EntryHead,
  isNoise,
  MAX_ATTACHMENT_BYTES,
  MAX_ZIP_BYTES,
  PDF_HEADER_WINDOW,
  type ZipEntryInfo,
  type ZipListing,
} from './zip-entries';

/**
 * Matches each declared attachment (nomFichier) with the submission's zips, from their central
 * directories and the first bytes of the declared entries only. Pure: the zips were read before.
 *
 * A declared name is compared, after NFC normalisation, with each entry's last path segment, so a
 * document placed in a folder of the zip is still found.
 */
export interface ZipInspection {
  readonly listings: readonly ZipListing[];
  readonly heads: readonly EntryHead[];
}

export type SubmissionAttachments = AttachmentChecker;

interface Located {
  readonly listing: ZipListing;
  readonly entry: ZipEntryInfo;
}

const SIGNATURES: ReadonlyArray<{ format: string; bytes: readonly number[] }> = [
  { format: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46] },
  { format: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'JPG', bytes: [0xff, 0xd8, 0xff] },
];

const OTHER_SIGNATURES: ReadonlyArray<{ label: string; bytes: readonly number[] }> = [
  { label: 'un .zip ou un document Office', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { label: 'un GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { label: 'un TIFF', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { label: 'un document Word ancien (.doc)', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

const PDF_MARK = [0x25, 0x50, 0x44, 0x46];

/**
 * PNG and JPEG by their signature at offset 0; PDF by `%PDF` within its first 1,024 bytes, as PDF
 * readers accept it (some generators put a few bytes before the header), and no further.
 */
export function detectFormat(head: Uint8Array): string | undefined {
  const atStart = SIGNATURES.find((signature) =>
    signature.bytes.every((byte, index) => head[index] === byte),
  )?.format;
  if (atStart) return atStart;
  return pdfHeaderOffset(head) !== undefined ? 'PDF' : undefined;
}

function pdfHeaderOffset(head: Uint8Array): number | undefined {
  const last = Math.min(PDF_HEADER_WINDOW, head.length - PDF_MARK.length);
  for (let offset = 0; offset <= last; offset++) {
    if (PDF_MARK.every((byte, index) => head[offset + index] === byte)) return offset;
  }
  return undefined;
}

function describeContent(head: Uint8Array): string {
  const detected = detectFormat(head);
  if (detected) return `un ${detected}`;
  const other = OTHER_SIGNATURES.find((signature) =>
    signature.bytes.every((byte, index) => head[index] === byte),
  );
  if (other) return other.label;
  if (head.length === 0) return 'un contenu illisible';
  const printable = [...head].every(
    (byte) =>
      byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f) || byte >= 0x80,
  );
  return printable
    ? 'du texte'
    : `des octets ${[...head.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}`;
}

/** Undeclared entries named in the 8011 warning of a zip; the others are counted. */
const UNDECLARED_SHOWN = 5;

export function createAttachmentChecker(inspection: ZipInspection): SubmissionAttachments {
  const byName = new Map<string, Located[]>();
  for (const listing of inspection.listings) {
    for (const entry of listing.entries) {
      if (isNoise(entry)) continue;
      const list = byName.get(entry.baseName) ?? [];
      list.push({ listing, entry });
      byName.set(entry.baseName, list);
    }
  }
  const heads = new Map(inspection.heads.map((head) => [`${head.zipName}\u0000${head.path}`, head]));
  const declared = new Set<string>();
  const unreadable = inspection.listings.filter((listing) => listing.unreadable);
  const refused = inspection.listings.filter((listing) => listing.refused);

  const checkDeclared = (nomFichier: string, declaredFormat: string | undefined): CheckDraft[] => {
    const name = nomFichier.normalize('NFC');
    declared.add(name);
    const found = byName.get(name) ?? [];
    const first = found[0];
    if (!first) {
      const refusedZip = refused[0];
      if (refusedZip) {
        return [
          { code: '3011', params: { recu: nomFichier, zip: refusedZip.zipName, raison: refusedZip.refused } },
        ];
      }
      const raison =
        unreadable.length > 0
          ? ` (illisible : ${unreadable.map((listing) => listing.zipName).join(', ')})`
          : '';
      return [{ code: '3001', params: { recu: nomFichier, raison } }];
    }
    const drafts: CheckDraft[] = [];
    const differing = found.find(
      (other) =>
        other.entry.crc32 !== first.entry.crc32 ||
        other.entry.uncompressedSize !== first.entry.uncompressedSize,
    );
    if (differing) {
      drafts.push({
        code: '3006',
        params: { recu: nomFichier, zip: first.listing.zipName, autreZip: differing.listing.zipName },
      });
    }
    for (const { listing, entry } of found) {
      const where = { recu: nomFichier, zip: listing.zipName, chemin: entry.path };
      if (listing.size > MAX_ZIP_BYTES)
        drafts.push({ code: '3005', params: { ...where, taille: listing.size, max: MAX_ZIP_BYTES } });
      if (entry.unsafePath) drafts.push({ code: '3008', params: { ...where, raison: entry.unsafePath } });
      if (entry.encrypted) drafts.push({ code: '3007', params: where });
      if (entry.absurdSizes) drafts.push({ code: '3009', params: { ...where, raison: entry.absurdSizes } });
      if (entry.encrypted || entry.absurdSizes || entry.unsafePath) continue;
      if (entry.uncompressedSize === 0) drafts.push({ code: '3003', params: where });
      else if (entry.uncompressedSize > MAX_ATTACHMENT_BYTES) {
        drafts.push({
          code: '3002',
          params: { ...where, taille: entry.uncompressedSize, max: MAX_ATTACHMENT_BYTES },
        });
      } else if (declaredFormat) {
        // Fail closed: a document whose first bytes could not be had is refused, never passed.
        const head = heads.get(`${listing.zipName}\u0000${entry.path}`);
        if (!head || head.unreadable !== undefined) {
          drafts.push({
            code: '3010',
            params: { ...where, raison: head?.unreadable ?? 'premiers octets illisibles' },
          });
        } else if (detectFormat(head.bytes) !== declaredFormat) {
          drafts.push({
            code: '3004',
            params: { ...where, format: declaredFormat, contenu: describeContent(head.bytes) },
          });
        }
      }
    }
    return drafts;
  };

  const finish = (): Finding[] => {
    const findings: Finding[] = [];
    for (const listing of unreadable) {
      findings.push({
        code: '8010',
        field: '',
        params: { zip: listing.zipName, raison: listing.unreadable },
        severity: 'warning',
      });
    }
    for (const listing of refused) {
      findings.push({
        code: '8013',
        field: '',
        params: { zip: listing.zipName, raison: listing.refused },
        severity: 'warning',
      });
    }
    for (const listing of inspection.listings) {
      if (listing.size > MAX_ZIP_BYTES) {
        findings.push({
          code: '8012',
          field: '',
          params: { zip: listing.zipName, taille: listing.size, max: MAX_ZIP_BYTES },
          severity: 'warning',
        });
      }
      // One warning per zip, naming the first few: 100,000 stray entries are one line, not 100,000.
      const undeclared = listing.entries.filter((entry) => !isNoise(entry) && !declared.has(entry.baseName));
      if (undeclared.length > 0) {
        const shown = undeclared.slice(0, UNDECLARED_SHOWN).map((entry) => `« ${entry.path} »`);
        const more = undeclared.length - shown.length;
        findings.push({
          code: '8011',
          field: '',
          params: {
            zip: listing.zipName,
            nombre: undeclared.length,
            chemins: shown.join(', '),
            autres: more > 0 ? ` et ${more} autre(s)` : '',
          },
          severity: 'warning',
        });
      }
    }
    return findings;
  };

  return { checkDeclared, finish };
}
