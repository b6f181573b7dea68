import { appendFileSync } from 'node:fs';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/**
 * Structured JSON logs and CloudWatch metrics, by Powertools for AWS Lambda: levels
 * (POWERTOOLS_LOG_LEVEL), the request id and cold start of the invocation, error stacks, and
 * embedded-metric-format documents. The use cases see only the small `Logger` port below, so that
 * they stay testable without Lambda.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line carries `fields` (the submission id as correlation id). */
  child(fields: Record<string, unknown>): Logger;
}

/** A function's logger: the port, and the Lambda context of the invocation (request id, cold start). */
export interface FunctionLogger extends Logger {
  addContext(context: Context): void;
}

type Sink = (line: string) => void;

/**
 * Lambda sends stdout to CloudWatch; the embedded stack sends the functions' lines to a file
 * (SEGUR_LOG_FILE) to keep the terminal for people. Undefined: stdout, as Powertools writes it.
 */
function fileSink(): Sink | undefined {
  const file = process.env.SEGUR_LOG_FILE;
  return file ? (line) => appendFileSync(file, `${line}\n`) : undefined;
}

/**
 * Powertools' Logger, printing through a sink when one is set. `printLog` and `createLogger` are
 * the extension points Powertools documents for subclasses; children keep the sink.
 */
class HouseLogger extends PowertoolsLogger {
  private sink?: Sink;

  static create(options: ConstructorOptions, sink: Sink | undefined): HouseLogger {
    const logger = new HouseLogger(options);
    logger.sink = sink;
    return logger;
  }

  protected override createLogger(options?: ConstructorOptions): HouseLogger {
    return HouseLogger.create(options ?? {}, this.sink);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    const sink = this.sink ?? fileSink();
    if (!sink) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    sink(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}

function asPort(logger: HouseLogger): FunctionLogger {
  // Powertools takes extra objects as rest arguments: none is passed when there are no fields.
  const extra = (fields?: Record<string, unknown>) => (fields ? [fields] : []);
  return {
    info: (message, fields) => logger.info(message, ...extra(fields)),
    warn: (message, fields) => logger.warn(message, ...extra(fields)),
    error: (message, fields) => logger.error(message, ...extra(fields)),
    child: (fields) => asPort(logger.createChild({ persistentKeys: fields }) as HouseLogger),
    addContext: (context) => logger.addContext(context),
  };
}

/** `write` replaces the output (tests); otherwise SEGUR_LOG_FILE, otherwise stdout. */
export function createLogger(
  service: string,
  base: Record<string, unknown> = {},
  write?: Sink,
): FunctionLogger {
  return asPort(HouseLogger.create({ serviceName: service, persistentKeys: base }, write));
}

export const METRICS_NAMESPACE = 'SegurPipeline';

export type MetricUnitName = 'Count' | 'Milliseconds' | 'Bytes';

/**
 * One EMF document by Powertools' Metrics: CloudWatch turns the log line into metrics, no API call.
 * Every metric carries the `service` dimension (the function that counts it: the alarms name it).
 * A fresh Metrics per document: the embedded stack runs several invocations at once in one process.
 */
export function emitMetrics(
  service: string,
  dimensions: Record<string, string>,
  metrics: Record<string, { value: number; unit: MetricUnitName }>,
  write: Sink | undefined = fileSink(),
): void {
  const recorder = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  for (const [name, value] of Object.entries(dimensions)) recorder.addDimension(name, value);
  for (const [name, { value, unit }] of Object.entries(metrics))
    recorder.addMetric(name, MetricUnit[unit], value);
  if (!write) {
    recorder.publishStoredMetrics();
    return;
  }
  write(JSON.stringify(recorder.serializeMetrics()));
  recorder.clearMetrics();
}
