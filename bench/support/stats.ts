/** Percentiles of a sample of milliseconds, rounded to 0.1 ms. */
export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

const round = (value: number): number => Math.round(value * 10) / 10;

/** Nearest-rank percentiles: p99 of 200 samples is the 198th smallest. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) {
    return { count: 0, p50: null, p95: null, p99: null, max: null };
  }

  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number): number =>
    round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: round(sorted[sorted.length - 1]!),
  };
}

/** A ratio of two figures, or null when either is missing or the divisor is 0. */
export function ratio(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || reference === 0) {
    return null;
  }

  return Math.round((value / reference) * 10) / 10;
}

/** Renders rows as a fixed-width text table; the first row is the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]): string =>
    row.map((cell, column) => cell.padStart(widths[column]!)).join('  ');

  return [
    line(rows[0]!),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}
