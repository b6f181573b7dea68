import { fitResultMessage, type ResultMessage } from '../../shared/pipeline/result-message';

const line = (numLigne: number) => ({
  numLigne,
  numeroEditeur: String(numLigne).padStart(5, '0'),
  codeTraitement: '2001',
  libelleTraitement: `Ligne ${numLigne} : ${'x'.repeat(1500)}`,
  numeroASP: null,
});

const message = (lines: number): ResultMessage => ({
  submissionId: '88558855858745/avance/JSON-1234567890-20220315-001',
  siret: '88558855858745',
  type: 'avance',
  fileName: 'JSON-1234567890-20220315-001.json',
  profile: 'HOP-DPI-avance',
  status: 'processed',
  outcome: 'jugement',
  accepted: 0,
  rejected: lines,
  fileErrors: [],
  lines: Array.from({ length: lines }, (_, index) => line(index + 1)),
  outputs: { annotated: null, reportJson: 's3://b/r.json', reportHtml: 's3://b/r.html' },
});

describe('result messages fit in an SQS message', () => {
  it('keeps a message that fits as it is', () => {
    const small = message(3);
    expect(fitResultMessage(small, 256 * 1024)).toEqual(small);
  });

  it('keeps the first lines of one that does not, and says how many were left out', () => {
    const fitted = fitResultMessage(message(400), 256 * 1024);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(248 * 1024);
    expect(fitted.lines.length).toBeGreaterThan(100);
    expect(fitted.lines.length + (fitted.linesOmitted ?? 0)).toBe(400);
    expect(fitted.lines[0]?.numLigne).toBe(1);
    expect(fitted.rejected).toBe(400);
  });

  it('makes every text well-formed', () => {
    const odd = { ...message(1), fileName: 'JSON-\ud800.json' };
    expect(fitResultMessage(odd, 256 * 1024).fileName).toBe('JSON-\ufffd.json');
  });
});
