import { createLogger, emitMetrics } from '../../../shared/observability/logger';

describe('structured logs and metrics', () => {
  it('writes one JSON line per event, with the correlation id of a child logger', () => {
    const lines: string[] = [];
    const logger = createLogger('judge', {}, (line) => lines.push(line)).child({
      submissionId: '88558855858745/avance/JSON-1',
    });
    logger.error('lecture impossible', { error: new Error('denied', { cause: new Error('403') }) });
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'ERROR',
      service: 'judge',
      message: 'lecture impossible',
      submissionId: '88558855858745/avance/JSON-1',
      error: { name: 'Error', message: 'denied', cause: '403' },
    });
  });

  it('writes CloudWatch embedded-metric-format documents', () => {
    const lines: string[] = [];
    emitMetrics(
      'SegurPipeline',
      { profile: 'HOP-DPI-avance' },
      { LinesAccepted: { value: 3, unit: 'Count' } },
      (line) => lines.push(line),
    );
    const document = JSON.parse(lines[0] as string);
    expect(document._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'SegurPipeline',
        Dimensions: [['profile']],
        Metrics: [{ Name: 'LinesAccepted', Unit: 'Count' }],
      },
    ]);
    expect(document).toMatchObject({ profile: 'HOP-DPI-avance', LinesAccepted: 3 });
  });
});
