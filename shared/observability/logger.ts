import { appendFileSync } from 'node:fs';

/**
 * Structured JSON logs (one line per event, CloudWatch Logs Insights reads the fields) carrying the
 * submission id as correlation id, and CloudWatch embedded-metric-format lines for the metrics.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Lambda sends stdout to CloudWatch; the embedded stack sends it to a file (SEGUR_LOG_FILE) to keep the terminal for people. */
export function defaultWrite(line: string): void {
  const file = process.env.SEGUR_LOG_FILE;
  if (file) appendFileSync(file, `${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export function createLogger(
  service: string,
  base: Record<string, unknown> = {},
  write: (line: string) => void = defaultWrite,
): Logger {
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) =>
    write(
      JSON.stringify(
        { level, timestamp: new Date().toISOString(), service, message, ...base, ...fields },
        errorReplacer,
      ),
    );
  return {
    info: (message, fields) => log('INFO', message, fields),
    warn: (message, fields) => log('WARN', message, fields),
    error: (message, fields) => log('ERROR', message, fields),
    child: (fields) => createLogger(service, { ...base, ...fields }, write),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return {
      name: value.name,
      message: value.message,
      cause: value.cause instanceof Error ? value.cause.message : value.cause,
    };
  return value;
}

export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes';

/** One EMF document: CloudWatch turns these log lines into metrics, no API call needed. */
export function emitMetrics(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: Record<string, { value: number; unit: MetricUnit }>,
  write: (line: string) => void = defaultWrite,
): void {
  const document: Record<string, unknown> = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(metrics).map(([name, { unit }]) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const [name, { value }] of Object.entries(metrics)) document[name] = value;
  write(JSON.stringify(document));
}

export const METRICS_NAMESPACE = 'SegurPipeline';
