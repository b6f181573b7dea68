import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { judgeFile } from '../../../shared/domain/judge-file';
import { ROOT, sampleReferentiel } from '../../support/deposits';

/** events/faulty/: each variant of a sample gets the verdict its manifest says. */
interface FaultySample {
  path: string;
  expect: { fileCode?: string; line?: number; code?: string; field?: string };
}
const manifest: FaultySample[] = JSON.parse(readFileSync(join(ROOT, 'events/faulty/expected.json'), 'utf8'));

describe('faulty sample deposits', () => {
  it.each(manifest.map((sample) => [sample.path, sample] as const))('%s', (path, sample) => {
    const bytes = readFileSync(join(ROOT, 'events/faulty', path));
    const { verdict } = judgeFile(bytes, { fileName: basename(path), referentiel: sampleReferentiel() });
    if (sample.expect.fileCode) {
      expect(verdict.status).toBe('rejected');
      expect(verdict.fileErrors.map((error) => error.code)).toEqual([sample.expect.fileCode]);
    } else {
      const line = verdict.lines[(sample.expect.line ?? 1) - 1];
      expect({ code: line?.codeTraitement, field: line?.field }).toEqual({
        code: sample.expect.code,
        field: sample.expect.field,
      });
    }
  });
});
