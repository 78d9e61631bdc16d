import { cpus } from 'node:os';

/** The line every benchmark table starts with: Node version, CPU model and cores. */
export function benchHeader(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `node ${process.version} · ${cpu} · ${cpus().length} cores`;
}

export interface LatencyStats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles (nearest-rank) of a list of durations in ms. */
export function latencyStats(samplesMs: readonly number[]): LatencyStats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN, mean };
}

/** Prints rows as an aligned text table. */
export function formatTable(title: string, rows: ReadonlyArray<Readonly<Record<string, string | number>>>): string {
  if (rows.length === 0) return `${title}\n(no rows)`;
  const cols = Object.keys(rows[0]!);
  const cell = (v: string | number | undefined) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : (v ?? ''));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [title, line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}
