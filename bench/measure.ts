/** Small timing helpers for the benchmarks: medians over repeated runs, after a warm-up. */
export function medianMs(
  run: () => unknown,
  iterations: number,
  warmup = Math.max(5, iterations / 10),
): number {
  for (let i = 0; i < warmup; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

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
