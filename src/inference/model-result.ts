import type { PreprocessTrace } from '../ecg/signal/preprocess';
import type { ModelPurpose } from './manifest.schema';

/** Who produced a result: enough for a FHIR Device and for an analyst to trace it. */
export interface ModelIdentity {
  id: string;
  name: string;
  version: string;
  sha256: string;
  purpose: ModelPurpose;
  clinicallyValidated: boolean;
  intendedUse: string;
}

export type Stratum = 'low' | 'intermediate' | 'high';

/** Why a model gave no number: a stable code plus a text naming the rule (never patient values). */
export interface IndeterminateReason {
  code: string;
  message: string;
  /** The lead concerned, when the reason is about one lead. */
  lead?: string;
}

export interface StrataThresholds {
  sensitivityThreshold: { value: number; sensitivity: number };
  specificityThreshold: { value: number; specificity: number };
}

interface OutputBase {
  key: string;
  meaning: string;
  /** Key into mappings/ for the FHIR coding. */
  coding: string;
}

export interface ProbabilityResult extends OutputBase {
  kind: 'probability';
  status: 'scored';
  /** The model's raw tensor value before activation and calibration. */
  raw: number;
  probability: number;
  stratum?: Stratum;
  thresholds?: StrataThresholds;
}

export interface RegressionResult extends OutputBase {
  kind: 'regression';
  status: 'scored';
  raw: number;
  value: number;
  /** UCUM. */
  unit: string;
}

export interface ClassResult extends OutputBase {
  kind: 'class';
  status: 'scored';
  label: string;
  probability: number;
  probabilities: Readonly<Record<string, number>>;
}

export interface IndeterminateOutput extends OutputBase {
  kind: 'probability' | 'regression' | 'class';
  status: 'indeterminate';
  reason: IndeterminateReason;
}

export type OutputResult = ProbabilityResult | RegressionResult | ClassResult | IndeterminateOutput;

/**
 * One model's verdict on one ECG. `scored`: every output has a number (an output can still be
 * indeterminate on its own when the model returned a non-finite value). `indeterminate`: the
 * ECG was not fit for this model (quality gate, missing lead, too short); every output carries
 * the reason and none a number.
 */
export type ModelResult =
  | { model: ModelIdentity; status: 'scored'; preprocessing: PreprocessTrace; outputs: OutputResult[] }
  | { model: ModelIdentity; status: 'indeterminate'; reason: IndeterminateReason; outputs: OutputResult[] };

/** What the score stage stores in the message's `results`: `{ scores: ModelResult[] }`. */
export interface ScoreResults {
  scores: ModelResult[];
}
