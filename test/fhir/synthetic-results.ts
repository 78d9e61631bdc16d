import type { MappableModel, MappableModelResult } from '../../src/fhir/mapping/mapping-input';

type ModelIdentity = MappableModel & { purpose: string };
type ModelResult = MappableModelResult;

/** A model identity shaped as the inference runtime reports it (src/inference/model-result.ts). */
export function modelIdentity(overrides: Partial<ModelIdentity> = {}): ModelIdentity {
  return {
    id: 'contract-ecgfounder-cad',
    name: 'ECGFounder CAD (contract test)',
    version: '1.0.0',
    sha256: 'a'.repeat(64),
    purpose: 'contract-test',
    clinicallyValidated: false,
    intendedUse: 'Testing the gateway runtime only; outputs mean nothing.',
    ...overrides,
  };
}

/** Four vessel probabilities with one stratum each, plus a regression output. */
export function scoredResult(model: ModelIdentity = modelIdentity()): ModelResult {
  return {
    model,
    status: 'scored',
    outputs: [
      { key: 'rca', meaning: 'RCA stenosis', coding: 'ecg-ai.stenosis-rca', kind: 'probability', status: 'scored', probability: 0.1, stratum: 'low' },
      { key: 'lm', meaning: 'LM stenosis', coding: 'ecg-ai.stenosis-lm', kind: 'probability', status: 'scored', probability: 0.45, stratum: 'intermediate' },
      { key: 'lad', meaning: 'LAD stenosis', coding: 'ecg-ai.stenosis-lad', kind: 'probability', status: 'scored', probability: 0.8, stratum: 'high' },
      { key: 'lcx', meaning: 'LCx stenosis', coding: 'ecg-ai.stenosis-lcx', kind: 'probability', status: 'scored', probability: 0.52 },
      { key: 'age', meaning: 'ECG age', coding: 'ecg-ai.age', kind: 'regression', status: 'scored', value: 61.5, unit: 'a' },
    ],
  };
}

/** The same model, indeterminate for the whole ECG (signal-quality gate). */
export function indeterminateResult(model: ModelIdentity = modelIdentity()): ModelResult {
  const reason = { code: 'flat-lead', message: 'standard deviation below 10 µV', lead: 'V3' };
  return {
    model,
    status: 'indeterminate',
    reason,
    outputs: [
      { key: 'rca', meaning: 'RCA stenosis', coding: 'ecg-ai.stenosis-rca', kind: 'probability', status: 'indeterminate', reason },
      { key: 'age', meaning: 'ECG age', coding: 'ecg-ai.age', kind: 'regression', status: 'indeterminate', reason },
    ],
  };
}
