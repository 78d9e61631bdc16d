import type { ModelManifest, OutputSpec } from '../inference/manifest.schema';
import type { RefusedModel } from '../inference/model-registry';

/** One output as an operator needs it: meaning, kind, thresholds or unit, published performance. */
export type OutputSummary = Pick<OutputSpec, 'key' | 'kind' | 'meaning' | 'coding' | 'performance'> & {
  strata?: unknown;
  unit?: string;
  classes?: Array<{ index: number; label: string }>;
  calibration?: string;
};

export interface ModelSummary {
  id: string;
  name: string;
  version: string;
  sha256: string;
  purpose: string;
  intendedUse: string;
  clinicallyValidated: boolean;
  description?: string;
  license: string;
  citation: string[];
  input: { leads: string[]; sampleRateHz: number; durationS: number; units: string; layout: string; shape: number[] };
  outputs: OutputSummary[];
}

export interface ModelCatalogue {
  modelDir: string;
  models: ModelSummary[];
  /** Model folders refused at start, with the check that failed. */
  refused: RefusedModel[];
}

function outputSummary(o: OutputSpec): OutputSummary {
  const base: OutputSummary = { key: o.key, kind: o.kind, meaning: o.meaning, coding: o.coding, performance: o.performance };
  switch (o.kind) {
    case 'probability':
      return { ...base, calibration: o.calibration.type, ...(o.strata !== undefined ? { strata: o.strata } : {}) };
    case 'regression':
      return { ...base, unit: o.unit };
    case 'class':
      return { ...base, classes: o.classes };
  }
}

/** The manifest fields the console's models page shows (no training metadata blobs). Pure. */
export function modelSummary(m: ModelManifest): ModelSummary {
  const summary: ModelSummary = {
    id: m.id,
    name: m.name,
    version: m.version,
    sha256: m.sha256,
    purpose: m.purpose,
    intendedUse: m.intendedUse,
    clinicallyValidated: m.clinicallyValidated,
    license: m.license,
    citation: m.citation,
    input: { leads: m.input.leads, sampleRateHz: m.input.sampleRateHz, durationS: m.input.durationS, units: m.input.units, layout: m.input.layout, shape: [...m.input.shape] },
    outputs: m.outputs.map(outputSummary),
  };
  if (m.description !== undefined) summary.description = m.description;
  return summary;
}
