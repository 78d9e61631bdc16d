import type { CalibrationSpec, ClassOutputSpec, OutputSpec, ProbabilityOutputSpec, RegressionOutputSpec, StrataSpec } from './manifest.schema';
import type { OutputResult, Stratum } from './model-result';

/**
 * Raw model outputs → findings, as the manifest says (docs/model-manifest.md, "outputs[]"):
 * activation, calibration, risk strata, regression units. Pure: no onnxruntime, no I/O.
 */

const EPS = 1e-12;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

/** Numerically stable softmax of `values`. */
export function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const e = values.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Applies a calibration to the activated probability p0 (z: its logit, exact when known). */
export function calibrate(c: CalibrationSpec, p0: number, z = logit(p0)): number {
  switch (c.type) {
    case 'none':
      return p0;
    case 'platt':
      return sigmoid(c.a * z + c.b);
    case 'isotonic': {
      const { x, y } = c;
      if (p0 <= x[0]!) return y[0]!;
      const last = x.length - 1;
      if (p0 >= x[last]!) return y[last]!;
      let i = 1;
      while (x[i]! < p0) i++;
      const x0 = x[i - 1]!;
      const x1 = x[i]!;
      return y[i - 1]! + ((p0 - x0) / (x1 - x0)) * (y[i]! - y[i - 1]!);
    }
  }
}

/** low below the sensitivity threshold, high at or above the specificity threshold, intermediate between. */
export function stratify(p: number, s: StrataSpec): Stratum {
  if (p < s.sensitivityThreshold.value) return 'low';
  if (p >= s.specificityThreshold.value) return 'high';
  return 'intermediate';
}

type Row = ArrayLike<number>;

function invalid(o: OutputSpec, what: string): OutputResult {
  return {
    key: o.key,
    kind: o.kind,
    meaning: o.meaning,
    coding: o.coding,
    status: 'indeterminate',
    reason: { code: 'model-output-invalid', message: `output ${o.key}: the model returned ${what}` },
  };
}

function probabilityResult(o: ProbabilityOutputSpec, row: Row): OutputResult {
  const raw = row[o.index]!;
  if (!Number.isFinite(raw)) return invalid(o, 'a value that is not a finite number');
  let p0: number;
  let z: number | undefined;
  switch (o.activation) {
    case 'sigmoid':
      p0 = sigmoid(raw);
      z = raw;
      break;
    case 'softmax': {
      const group = o.softmaxGroup ?? [o.index];
      const values = group.map((i) => row[i]!);
      if (!values.every(Number.isFinite)) return invalid(o, 'a value that is not a finite number');
      p0 = softmax(values)[group.indexOf(o.index)]!;
      break;
    }
    case 'none':
      if (raw < -1e-6 || raw > 1 + 1e-6) return invalid(o, `${raw}, which is not a probability (activation none)`);
      p0 = Math.min(1, Math.max(0, raw));
      break;
  }
  const probability = calibrate(o.calibration, p0, z);
  const result: OutputResult = { key: o.key, kind: 'probability', meaning: o.meaning, coding: o.coding, status: 'scored', raw, probability };
  if (o.strata) {
    result.stratum = stratify(probability, o.strata);
    result.thresholds = {
      sensitivityThreshold: { ...o.strata.sensitivityThreshold },
      specificityThreshold: { ...o.strata.specificityThreshold },
    };
  }
  return result;
}

function regressionResult(o: RegressionOutputSpec, row: Row): OutputResult {
  const raw = row[o.index]!;
  if (!Number.isFinite(raw)) return invalid(o, 'a value that is not a finite number');
  return { key: o.key, kind: 'regression', meaning: o.meaning, coding: o.coding, status: 'scored', raw, value: raw * o.rescale.scale + o.rescale.offset, unit: o.unit };
}

function classResult(o: ClassOutputSpec, row: Row): OutputResult {
  const values = o.classes.map((c) => row[c.index]!);
  if (!values.every(Number.isFinite)) return invalid(o, 'a value that is not a finite number');
  const probs = o.activation === 'softmax' ? softmax(values) : values;
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
  const probabilities: Record<string, number> = {};
  o.classes.forEach((c, i) => (probabilities[c.label] = probs[i]!));
  return { key: o.key, kind: 'class', meaning: o.meaning, coding: o.coding, status: 'scored', label: o.classes[best]!.label, probability: probs[best]!, probabilities };
}

/** Interprets one ECG's raw outputs (per tensor: its row of the batch) for every manifest output. */
export function interpretOutputs(outputs: readonly OutputSpec[], rows: Readonly<Record<string, Row>>): OutputResult[] {
  return outputs.map((o) => {
    const row = rows[o.tensor];
    if (!row) return invalid(o, `no tensor "${o.tensor}"`);
    switch (o.kind) {
      case 'probability':
        return probabilityResult(o, row);
      case 'regression':
        return regressionResult(o, row);
      case 'class':
        return classResult(o, row);
    }
  });
}
