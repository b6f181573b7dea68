import { judgeFile } from '../shared/domain/judge-file';
import { PROFILE_IDS } from '../shared/domain/profiles';
import { repeatFirstLine, sampleName, sampleReferentiel } from '../test/support/deposits';
import { formatTable } from './measure';

/**
 * Issue 2's benchmark: for a 200-line file of each profile, the median time of controls 1 and 2
 * (with the référentiel, so that every check runs), the lines per second, and the ratio to
 * JSON.parse of the same text measured in the same run. Targets: ≥ 10,000 lines/s, ≤ 10× JSON.parse.
 */
export function runValidationBench(iterations = 200): string {
  const referentiel = sampleReferentiel();
  const rows = PROFILE_IDS.map((profile) => {
    const text = repeatFirstLine(profile, 200);
    const bytes = new TextEncoder().encode(text);
    const fileName = sampleName(profile);
    const verdict = judgeFile(bytes, { fileName, referentiel }).verdict;
    if (verdict.status !== 'processed' || verdict.lines.length !== 200)
      throw new Error(`${profile}: le fichier de 200 lignes est rejeté`);
    // Alternated, then paired: machine noise (a shared VM here) hits both sides of each ratio alike.
    const checks: number[] = [];
    const parses: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < iterations + 20; i++) {
      const parseStart = process.hrtime.bigint();
      JSON.parse(new TextDecoder().decode(bytes));
      const checkStart = process.hrtime.bigint();
      judgeFile(bytes, { fileName, referentiel });
      const end = process.hrtime.bigint();
      if (i < 20) continue; // warm-up
      const parseMs = Number(checkStart - parseStart) / 1e6;
      const checkMs = Number(end - checkStart) / 1e6;
      parses.push(parseMs);
      checks.push(checkMs);
      ratios.push(checkMs / parseMs);
    }
    const check = median(checks);
    const parse = median(parses);
    return {
      profile,
      'file KiB': (bytes.length / 1024).toFixed(0),
      'check ms (median)': check.toFixed(2),
      'lines/s': Math.round(200 / (check / 1000)).toLocaleString('en-US'),
      'JSON.parse ms': parse.toFixed(2),
      'ratio to JSON.parse (median of pairs)': `${median(ratios).toFixed(1)}×`,
    };
  });
  return formatTable(rows);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
