import { PREFIXES } from '../config/resources';
import type { FileVerdict } from '../domain/judge-file';
import { buildHtmlReport, buildJsonReport, type ReportContext } from '../domain/reports';
import { reportNames } from './check-deposit';
import type { ObjectStore } from './ports';

/** The folder of a submission's outputs: retour/<SIRET>/<type>/. */
export function outputFolder(submission: { siret: string; type: string }): string {
  return `${PREFIXES.output}${submission.siret}/${submission.type}/`;
}

/** Both reports of a verdict beside where the annotated file goes; returns their locations. */
export async function writeReports(
  objects: ObjectStore,
  folder: string,
  fileName: string,
  verdict: FileVerdict,
  context: ReportContext,
): Promise<{ reportJson: string; reportHtml: string }> {
  const names = reportNames(fileName);
  const [reportJson, reportHtml] = await Promise.all([
    objects.putOutput(
      `${folder}${names.json}`,
      buildJsonReport(verdict, context),
      'application/json; charset=utf-8',
    ),
    objects.putOutput(
      `${folder}${names.html}`,
      buildHtmlReport(verdict, context),
      'text/html; charset=utf-8',
    ),
  ]);
  return { reportJson, reportHtml };
}
