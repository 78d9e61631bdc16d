import type { Annotation, CodeableConcept, Coding, Observation, Patient, Reference, RiskAssessment } from '@medplum/fhirtypes';
import { GatewayError } from '../../errors/gateway-error';
import type { FhirMappings } from './fhir-mappings';
import { fillText } from './fill-text';
import type { MappableModel, MappableModelResult, MappableOutput, MappableReason } from './mapping-input';
import type { ResourceKey, ResourceKeys } from './resource-ids';

export interface ModelResourceContext {
  mappings: FhirMappings;
  keys: ResourceKeys;
  subject: Reference<Patient>;
  ecgFullUrl: string;
  modelDeviceFullUrl: string;
  effectiveDateTime: string | undefined;
  recordedAt: string;
}

export interface ModelResourceEntry {
  key: ResourceKey;
  resource: RiskAssessment | Observation;
}

/**
 * Per output of one model run (standards.md §5.2): a RiskAssessment for probabilities (prediction
 * with probabilityDecimal and qualitativeRisk from the stratum) and/or an Observation (regression
 * values, classes), as mappings/model-outputs.json and the output kind say. An indeterminate
 * output is written as such, with the reason and no number. Every resource carries the AI
 * security label; an unvalidated model's say so in a note.
 * Throws FHIR_MAPPING_FAILED for an output whose coding key is not in mappings/.
 */
export function modelResources(result: MappableModelResult, ctx: ModelResourceContext): ModelResourceEntry[] {
  const entries: ModelResourceEntry[] = [];
  for (const output of result.outputs) {
    const effective: MappableOutput =
      result.status === 'indeterminate' && output.status !== 'indeterminate'
        ? { key: output.key, meaning: output.meaning, coding: output.coding, kind: output.kind, status: 'indeterminate', reason: result.reason }
        : output;
    const mapped = ctx.mappings['model-outputs'].outputs[output.coding];
    if (!mapped) {
      throw new GatewayError('FHIR_MAPPING_FAILED', `model ${result.model.id} output ${output.key}: coding key "${output.coding}" is not in mappings/model-outputs.json`, {
        field: `manifest outputs[${output.key}].coding`,
      });
    }
    const coding: Coding[] = [{ system: ctx.mappings['model-outputs'].system, code: mapped.code, display: mapped.display }, ...(mapped.also ?? [])];
    const targets = mapped.resource ?? (output.kind === 'probability' ? 'RiskAssessment' : 'Observation');
    const key = ctx.keys.output(result.model.id, result.model.version, output.key);
    if (targets === 'RiskAssessment' || targets === 'both') {
      entries.push({ key, resource: riskAssessment(result.model, effective, coding, key, ctx) });
    }
    if (targets === 'Observation' || targets === 'both') {
      // With both, the Observation gets its own identifier next to the RiskAssessment's.
      const obsKey = targets === 'both' ? ctx.keys.output(result.model.id, result.model.version, `${output.key}.observation`) : key;
      entries.push({ key: obsKey, resource: modelObservation(result.model, effective, coding, obsKey, ctx) });
    }
  }
  return entries;
}

function riskAssessment(model: MappableModel, output: MappableOutput, coding: Coding[], key: ResourceKey, ctx: ModelResourceContext): RiskAssessment {
  const outcome: CodeableConcept = { coding, text: output.meaning };
  // An indeterminate result has no prediction at all: R4 ras-2 fails (in common validators)
  // on a prediction without a probability, and there is no number to give. The reason is in the note.
  let prediction: NonNullable<RiskAssessment['prediction']>[number] | undefined;
  if (output.status === 'indeterminate') {
    prediction = undefined;
  } else if (output.kind === 'probability' || output.kind === 'class') {
    prediction = { outcome, probabilityDecimal: output.probability };
    if (output.kind === 'probability' && output.stratum) {
      const rp = ctx.mappings['risk-probability'];
      const s = rp.strata[output.stratum];
      prediction.qualitativeRisk = { coding: [{ system: rp.system, code: s.code, display: s.display }] };
    }
    if (output.kind === 'class') prediction.rationale = output.label;
  } else {
    throw new GatewayError('FHIR_MAPPING_FAILED', `model ${model.id} output ${output.key}: a regression value cannot be a RiskAssessment prediction`, {
      field: `mappings/model-outputs.json ${output.coding}.resource`,
    });
  }
  return {
    resourceType: 'RiskAssessment',
    meta: { security: [ctx.mappings['fhir-vocabulary'].aiSecurityLabel] },
    identifier: [key.identifier],
    status: 'final',
    method: methodOf(model, ctx.mappings),
    code: { coding, text: output.meaning },
    subject: ctx.subject,
    occurrenceDateTime: ctx.recordedAt,
    performer: { reference: ctx.modelDeviceFullUrl, display: modelRunText(model, ctx.mappings) },
    basis: [{ reference: ctx.ecgFullUrl }],
    ...(prediction ? { prediction: [prediction] } : {}),
    note: notesFor(model, output, ctx.mappings),
  };
}

function modelObservation(model: MappableModel, output: MappableOutput, coding: Coding[], key: ResourceKey, ctx: ModelResourceContext): Observation {
  const vocab = ctx.mappings['fhir-vocabulary'];
  const units = ctx.mappings.units;
  const base: Observation = {
    resourceType: 'Observation',
    meta: { security: [vocab.aiSecurityLabel] },
    identifier: [key.identifier],
    status: 'final',
    category: [{ coding: [ctx.mappings['ecg-codes'].category] }],
    code: { coding, text: output.meaning },
    subject: ctx.subject,
    ...(ctx.effectiveDateTime ? { effectiveDateTime: ctx.effectiveDateTime } : {}),
    issued: ctx.recordedAt,
    method: methodOf(model, ctx.mappings),
    device: { reference: ctx.modelDeviceFullUrl, display: modelRunText(model, ctx.mappings) },
    derivedFrom: [{ reference: ctx.ecgFullUrl }],
    note: notesFor(model, output, ctx.mappings),
  };
  if (output.status === 'indeterminate') {
    return { ...base, dataAbsentReason: { coding: [vocab.indeterminate], text: indeterminateText(output.reason, ctx.mappings) } };
  }
  switch (output.kind) {
    case 'probability': {
      const obs: Observation = { ...base, valueQuantity: { value: output.probability, unit: units.probability.unit, system: units.system, code: units.probability.code } };
      if (output.stratum) {
        const i = vocab.interpretation[output.stratum];
        obs.interpretation = [{ coding: [{ system: vocab.interpretation.system, code: i.code, display: i.display }] }];
      }
      return obs;
    }
    case 'regression':
      return { ...base, valueQuantity: { value: output.value, unit: units.displays[output.unit] ?? output.unit, system: units.system, code: output.unit } };
    case 'class':
      return {
        ...base,
        valueCodeableConcept: { text: output.label },
        component: [{ code: { text: 'probability' }, valueQuantity: { value: output.probability, unit: units.probability.unit, system: units.system, code: units.probability.code } }],
      };
  }
}

function methodOf(model: MappableModel, mappings: FhirMappings): CodeableConcept {
  return {
    coding: [{ system: mappings['model-outputs'].methodSystem, code: model.id, display: `${model.name} ${model.version}` }],
    text: modelRunText(model, mappings),
  };
}

function modelRunText(model: MappableModel, mappings: FhirMappings): string {
  return fillText(mappings['fhir-vocabulary'].texts.modelRun, { modelName: model.name, modelVersion: model.version, modelId: model.id });
}

function indeterminateText(reason: MappableReason, mappings: FhirMappings): string {
  const message = reason.lead ? `${reason.message} (lead ${reason.lead})` : reason.message;
  return fillText(mappings['fhir-vocabulary'].texts.indeterminate, { code: reason.code, message });
}

/** Intended use always; "not clinically validated" when the manifest says so. */
export function notesFor(model: MappableModel, output: MappableOutput | undefined, mappings: FhirMappings): Annotation[] {
  const texts = mappings['fhir-vocabulary'].texts;
  const notes: Annotation[] = [{ text: fillText(texts.intendedUse, { intendedUse: model.intendedUse }) }];
  if (!model.clinicallyValidated) notes.push({ text: texts.notValidated });
  if (output?.status === 'indeterminate') notes.push({ text: indeterminateText(output.reason, mappings) });
  return notes;
}
