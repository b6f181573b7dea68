import type { StoredObjectRef, SubmissionRecord } from './ports';

/**
 * The objects a judgement reads: once judged, a name keeps the exact object judged (its frozen
 * ref), whatever was uploaded under it since; only a zip under a new name adds to it (documents the
 * judgement found missing). A replacement can reach the store's records in a race with the
 * judgement's completion; it still never reaches a verdict.
 */
export function contentToJudge(submission: SubmissionRecord): {
  json?: StoredObjectRef;
  zips: Readonly<Record<string, StoredObjectRef>>;
} {
  const judged = submission.judgedContent;
  if (!judged) return { json: submission.json, zips: submission.zips };
  return { json: judged.json ?? submission.json, zips: { ...submission.zips, ...judged.zips } };
}
