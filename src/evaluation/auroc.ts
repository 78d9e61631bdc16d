/**
 * Area under the ROC curve by the rank statistic (Mann–Whitney U / (n₁·n₀)); tied scores get
 * their mid-rank, so a tie between a positive and a negative counts one half. Labels are 0 or 1.
 * Returns NaN when either class is absent (the AUROC is undefined there, not 0.5).
 */
export function auroc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new RangeError(`auroc: ${n} labels but ${scores.length} scores`);
  const order = Array.from({ length: n }, (_v, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSumPositives = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && scores[order[j]!] === scores[order[i]!]) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1 … j share their mean
    for (let k = i; k < j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSumPositives += midRank;
      }
    }
    i = j;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
