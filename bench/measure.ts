import { spawnSync } from 'node:child_process';

export function formatTable(rows: ReadonlyArray<Record<string, string | number>>): string {
  const first = rows[0];
  if (!first) return '';
  const headers = Object.keys(first);
  const cells = rows.map((row) => headers.map((header) => String(row[header])));
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((row) => (row[index] as string).length)),
  );
  const line = (values: string[]) =>
    values.map((value, index) => value.padEnd(widths[index] as number)).join('  ');
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

/** A scenario's figures as it printed them (numbers, and a few words): each bench reads its own. */
// biome-ignore lint/suspicious/noExplicitAny: the figures are the scenario's own JSON.
export type Figures = Record<string, any>;

/**
 * Runs one scenario of the bench in its own process (`self` is the bench's entry, `args` name the
 * scenario), so that its peak RSS is its own; returns the figures it printed as its last line (JSON).
 */
export function runScenario(
  self: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Figures {
  // The bench's own Node flags (--enable-source-maps: the CPU shares trace the bundle to its sources).
  const child = spawnSync(process.execPath, [...process.execArgv, self, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs,
    env: options.env,
  });
  if (child.status !== 0) throw new Error(`${args.join(' ')}: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string);
}
