import { lambdaContext } from '../../../local/embedded/queue-poller';
import { createLogger, emitMetrics } from '../../../shared/observability/logger';

describe('structured logs and metrics (Powertools)', () => {
  it('writes one JSON line per event, with the correlation id of a child logger and the error’s stack', () => {
    const lines: string[] = [];
    const logger = createLogger('judge', {}, (line) => lines.push(line)).child({
      submissionId: '88558855858745/avance/JSON-1',
    });
    logger.error('lecture impossible', { error: new Error('denied', { cause: new Error('403') }) });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({
      level: 'ERROR',
      service: 'judge',
      message: 'lecture impossible',
      submissionId: '88558855858745/avance/JSON-1',
      error: { name: 'Error', message: 'denied', cause: { message: '403' } },
    });
    expect(line.error.stack).toContain('logger.test.ts');
    expect(Number.isNaN(Date.parse(line.timestamp))).toBe(false);
  });

  it('carries the invocation’s request id and cold start once a Lambda context is added', () => {
    const lines: string[] = [];
    const logger = createLogger('intake', {}, (line) => lines.push(line));
    const context = lambdaContext('segur-intake');
    logger.addContext(context);
    logger.info('arrivée enregistrée', { key: 'depot/x' });
    logger.child({ submissionId: 's' }).warn('en attente');
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({
      level: 'INFO',
      function_request_id: context.awsRequestId,
      function_name: 'segur-intake',
      cold_start: expect.any(Boolean),
      key: 'depot/x',
    });
    expect(second).toMatchObject({
      level: 'WARN',
      function_request_id: context.awsRequestId,
      submissionId: 's',
    });
  });

  it('filters by level (POWERTOOLS_LOG_LEVEL)', () => {
    const lines: string[] = [];
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    try {
      const logger = createLogger('notify', {}, (line) => lines.push(line));
      logger.info('courriel publié');
      logger.error('publication impossible');
    } finally {
      delete process.env.POWERTOOLS_LOG_LEVEL;
    }
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['publication impossible']);
  });

  it('writes CloudWatch embedded-metric-format documents with the emitting function as dimension', () => {
    const lines: string[] = [];
    emitMetrics(
      'judge',
      { profile: 'HOP-DPI-avance' },
      { LinesAccepted: { value: 3, unit: 'Count' }, JudgementLatency: { value: 40, unit: 'Milliseconds' } },
      (line) => lines.push(line),
    );
    const document = JSON.parse(lines[0] as string);
    expect(document._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'SegurPipeline',
        Dimensions: [expect.arrayContaining(['service', 'profile'])],
        Metrics: [
          { Name: 'LinesAccepted', Unit: 'Count' },
          { Name: 'JudgementLatency', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(document).toMatchObject({ service: 'judge', profile: 'HOP-DPI-avance', LinesAccepted: 3 });
  });
});
