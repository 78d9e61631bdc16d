import type { OutputEvaluation } from './evaluate-outputs';

export interface EvaluationHeading {
  id: string;
  version: string;
  sha256: string;
  dataset: string;
  records: number;
  scored: number;
  indeterminate: number;
  resamples: number;
  seed: number;
  /** Indeterminate results by reason code (quality gate, missing lead …). */
  indeterminateReasons: Readonly<Record<string, number>>;
}

/** Published stratum counts per output key (the manifest's metadata, when it lists them). */
export type PublishedStrata = Readonly<Record<string, { low: number; intermediate: number; high: number }>>;

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

/** The evaluation as a plain-text table: heading, one row per output, then a verdict line. */
export function formatEvaluation(h: EvaluationHeading, rows: readonly OutputEvaluation[], published: PublishedStrata = {}): string {
  const lines = [
    `model ${h.id} ${h.version} sha256 ${h.sha256}`,
    `data ${h.dataset}: ${h.records} records, ${h.scored} scored, ${h.indeterminate} indeterminate; bootstrap ${h.resamples} resamples, seed ${h.seed}, percentile 95% CI`,
  ];
  const reasons = Object.entries(h.indeterminateReasons).map(([code, n]) => `${code} ${n}`);
  if (reasons.length > 0) lines.push(`indeterminate by reason: ${reasons.join(', ')} (left out of every metric)`);
  lines.push('');
  const header = ['output', 'metric', 'n', 'pos', 'gateway (95% CI)', 'manifest (95% CI)', 'manifest in our CI', 'ours in manifest CI', 'low/intermediate/high/indeterminate', 'manifest strata'];
  const table = rows.map((r) => {
    const p = published[r.key];
    const s = r.strata;
    return [
      r.key,
      r.metric,
      String(r.n),
      r.positives === undefined ? '-' : String(r.positives),
      `${f4(r.value)} (${f3(r.ci95[0])}-${f3(r.ci95[1])})`,
      r.published ? `${f4(r.published.value)}${r.published.ci95 ? ` (${f3(r.published.ci95[0])}-${f3(r.published.ci95[1])})` : ''}` : '-',
      r.withinOurCi === undefined ? '-' : r.withinOurCi ? 'yes' : 'NO',
      r.withinPublishedCi === undefined ? '-' : r.withinPublishedCi ? 'yes' : 'NO',
      r.metric === 'MAE' ? `-/-/-/${s.indeterminate}` : `${s.low}/${s.intermediate}/${s.high}/${s.indeterminate}`,
      p ? `${p.low}/${p.intermediate}/${p.high}` : '-',
    ];
  });
  const widths = header.map((c, i) => Math.max(c.length, ...table.map((r) => r[i]!.length)));
  const fmt = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  lines.push(fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...table.map(fmt));
  const compared = rows.filter((r) => r.withinPublishedCi !== undefined);
  const ok = compared.filter((r) => r.withinPublishedCi && r.withinOurCi);
  lines.push('', `${ok.length} of ${compared.length} outputs match the manifest (each figure within the other's 95% CI)`);
  return lines.join('\n');
}
