import type { ByteRangeSource } from '../adapters/byte-range-source';
import { depositFacts } from '../domain/deposit-facts';
import { DEFAULT_LIMITS, parseJsonDocument, sourceTextOf } from '../domain/json/json-document';
import { parisDay } from '../domain/paris-day';
import type { Referentiel } from '../domain/referentiel';
import type { DemandType } from '../domain/rules/line-environment';
import { checkDeposit, type DepositOutputs } from './check-deposit';
import { inspectZips } from './inspect-zips';

/**
 * A vendor's own check before sending (`controler` on the command line, the simulator in the
 * browser): the deposit's first bytes (read capped), its zips as ranged sources, the optional
 * référentiel; the same verdict, annotated file and reports as the pipeline's. One implementation
 * for both: only the sources differ (local files, or the browser's File.slice).
 */
export interface UploadToCheck {
  /** At most the size limit + 1 bytes of the deposit, and its real size. */
  readonly bytes: Uint8Array;
  readonly totalBytes: number;
  readonly fileName: string;
  readonly zips: readonly ByteRangeSource[];
  readonly referentiel?: Referentiel;
  readonly type?: DemandType;
  readonly profile?: string;
  readonly now: Date;
}

export interface UploadCheck {
  readonly outputs: DepositOutputs;
  /** Documents the deposit declares (to say plainly when no zip was given to find them in). */
  readonly declaredAttachments: number;
  readonly stats: { readonly zipBytesRead: number; readonly zipBytesTotal: number };
}

export const UPLOAD_LIMIT_BYTES = DEFAULT_LIMITS.maxBytes;

export async function checkUpload(upload: UploadToCheck): Promise<UploadCheck> {
  // Parsed once: the documents to look for in the zips come from the same tree as the verdict.
  const parsed = parseJsonDocument(upload.bytes, DEFAULT_LIMITS, upload.totalBytes);
  const facts = depositFacts(parsed);
  const zipCheck = upload.zips.length > 0 ? await inspectZips(upload.zips, facts.declaredNames) : undefined;
  const outputs = checkDeposit({
    parsed,
    options: {
      fileName: upload.fileName,
      type: upload.type,
      profile: upload.profile,
      referentiel: upload.referentiel,
      attachments: zipCheck?.checker,
      // Checked before sending: the name should carry today's date (a warning, never a rejection).
      depositDay: parisDay(upload.now),
    },
    report: { generatedAt: upload.now.toISOString(), source: sourceTextOf(parsed, upload.bytes) },
  });
  return {
    outputs,
    declaredAttachments: facts.declaredNames.size,
    stats: {
      zipBytesRead: zipCheck?.stats.zipBytesRead ?? 0,
      zipBytesTotal: zipCheck?.stats.zipBytesTotal ?? 0,
    },
  };
}
