/** Mean absolute error; NaN for no pairs. */
export function meanAbsoluteError(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (predicted.length !== n) throw new RangeError(`mae: ${n} values but ${predicted.length} predictions`);
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(truth[i]! - predicted[i]!);
  return sum / n;
}
