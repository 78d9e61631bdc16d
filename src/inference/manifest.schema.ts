import { z } from 'zod';
import { STANDARD_LEADS } from '../ecg/lead-name';

/**
 * The model manifest (`<MODEL_DIR>/<id>/manifest.json`): the whole contract between the gateway
 * and a model. Documented field by field in docs/model-manifest.md; keep the two in step.
 * Pure: no I/O, no onnxruntime. Cross-field rules (shape vs leads × rate × duration, filter
 * cut-offs below Nyquist, threshold order) are checked here so a bad manifest fails at start.
 */

const finite = z.number().finite();
const positive = finite.positive();
const probability = finite.min(0).max(1);
const nonEmpty = z.string().trim().min(1);

/** Filters the gateway applies zero-phase (forward-backward) at `input.sampleRateHz`, in order. */
export const filterSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('highpass'), cutoffHz: positive, order: z.number().int().min(1).max(8).default(2) }).strict(),
    z.object({ type: z.literal('lowpass'), cutoffHz: positive, order: z.number().int().min(1).max(8).default(4) }).strict(),
    z.object({ type: z.literal('notch'), frequencyHz: positive, qualityFactor: positive.default(30) }).strict(),
  ],
  { errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: `unknown filter ${JSON.stringify(typeField(ctx.data))} (known: highpass, lowpass, notch)` } : { message: ctx.defaultError }) },
);
export type FilterSpec = z.output<typeof filterSchema>;

export const normalizationSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('none') }).strict(),
    /** x · factor (after the unit conversion). */
    z.object({ type: z.literal('scale'), factor: finite.refine((v) => v !== 0, 'factor must not be 0') }).strict(),
    /** (x − mean) / (std + epsilon), per lead over the real (unpadded) samples of the window. */
    z.object({ type: z.literal('zscore-per-lead'), epsilon: positive.default(1e-6) }).strict(),
  ],
  { errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: `unknown normalization ${JSON.stringify(typeField(ctx.data))} (known: none, scale, zscore-per-lead)` } : { message: ctx.defaultError }) },
);
export type NormalizationSpec = z.output<typeof normalizationSchema>;

export const cropPadSchema = z
  .object({
    /** Which window of a longer record the model sees. */
    crop: z.enum(['start', 'center', 'end']).default('start'),
    /** How a shorter record (≥ minDurationS) is completed to durationS: zeros or the last sample, at the end. */
    pad: z.enum(['zero', 'edge']).default('zero'),
    /** Below this the result is indeterminate (too-short); defaults to durationS (no padding). */
    minDurationS: positive.optional(),
  })
  .strict();

export const inputSchema = z
  .object({
    name: nonEmpty,
    dtype: z.literal('float32'),
    /** NCL = (batch, leads, samples); NLC = (batch, samples, leads). */
    layout: z.enum(['NCL', 'NLC']),
    /** Batch first: -1 (dynamic) or a fixed size; then the two dimensions the layout names. */
    shape: z.tuple([z.number().int().refine((v) => v === -1 || v > 0, 'batch must be -1 (dynamic) or positive'), z.number().int().positive(), z.number().int().positive()]),
    leads: z.array(z.enum(STANDARD_LEADS, { errorMap: (_i, ctx) => ({ message: `unknown lead ${JSON.stringify(ctx.data)} (known: ${STANDARD_LEADS.join(', ')})` }) })).min(1),
    sampleRateHz: positive,
    durationS: positive,
    cropPad: cropPadSchema.default({}),
    units: z.enum(['uV', 'mV']),
    filters: z.array(filterSchema).default([]),
    normalization: normalizationSchema,
  })
  .strict()
  .superRefine((input, ctx) => {
    const samples = input.sampleRateHz * input.durationS;
    if (Math.abs(samples - Math.round(samples)) > 1e-6) {
      ctx.addIssue({ code: 'custom', path: ['durationS'], message: `sampleRateHz × durationS = ${samples} is not a whole number of samples` });
    }
    const [leadDim, sampleDim] = input.layout === 'NCL' ? [1, 2] : [2, 1];
    if (input.shape[leadDim] !== input.leads.length) {
      ctx.addIssue({ code: 'custom', path: ['shape', leadDim], message: `${input.shape[leadDim]} does not match the ${input.leads.length} leads listed` });
    }
    if (input.shape[sampleDim] !== Math.round(samples)) {
      ctx.addIssue({ code: 'custom', path: ['shape', sampleDim], message: `${input.shape[sampleDim]} does not match sampleRateHz × durationS = ${Math.round(samples)}` });
    }
    if (new Set(input.leads).size !== input.leads.length) ctx.addIssue({ code: 'custom', path: ['leads'], message: 'a lead is listed twice' });
    const nyquist = input.sampleRateHz / 2;
    input.filters.forEach((f, i) => {
      const hz = f.type === 'notch' ? f.frequencyHz : f.cutoffHz;
      const key = f.type === 'notch' ? 'frequencyHz' : 'cutoffHz';
      if (hz >= nyquist) ctx.addIssue({ code: 'custom', path: ['filters', i, key], message: `${hz} Hz is not below the Nyquist frequency ${nyquist} Hz` });
    });
    const min = input.cropPad.minDurationS;
    if (min !== undefined && min > input.durationS) ctx.addIssue({ code: 'custom', path: ['cropPad', 'minDurationS'], message: 'must not exceed durationS' });
  });
export type InputSpec = z.output<typeof inputSchema>;

export const calibrationSchema = z
  .discriminatedUnion(
    'type',
    [
      z.object({ type: z.literal('none') }).strict(),
      /** p = 1 / (1 + exp(−(a · logit(p₀) + b))), p₀ the activated output. */
      z.object({ type: z.literal('platt'), a: finite, b: finite }).strict(),
      /** Piecewise-linear through (x, y), x strictly increasing, y non-decreasing in [0, 1]; clamped outside. */
      z.object({ type: z.literal('isotonic'), x: z.array(finite).min(2), y: z.array(probability).min(2) }).strict(),
    ],
    { errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: `unknown calibration ${JSON.stringify(typeField(ctx.data))} (known: none, platt, isotonic)` } : { message: ctx.defaultError }) },
  )
  .superRefine((c, ctx) => {
    if (c.type !== 'isotonic') return;
    if (c.x.length !== c.y.length) ctx.addIssue({ code: 'custom', path: ['y'], message: `has ${c.y.length} points, x has ${c.x.length}` });
    for (let i = 1; i < c.x.length; i++) if (!(c.x[i]! > c.x[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['x', i], message: 'x must be strictly increasing' });
    for (let i = 1; i < c.y.length; i++) if (c.y[i]! < c.y[i - 1]!) ctx.addIssue({ code: 'custom', path: ['y', i], message: 'y must be non-decreasing' });
  });
export type CalibrationSpec = z.output<typeof calibrationSchema>;

export const strataSchema = z
  .object({
    /** Below this value: low. Chosen for the stated sensitivity. */
    sensitivityThreshold: z.object({ value: probability, sensitivity: probability }).strict(),
    /** At or above this value: high. Chosen for the stated specificity. */
    specificityThreshold: z.object({ value: probability, specificity: probability }).strict(),
  })
  .strict()
  .refine((s) => s.sensitivityThreshold.value <= s.specificityThreshold.value, {
    path: ['specificityThreshold', 'value'],
    message: 'must be at or above sensitivityThreshold.value',
  });
export type StrataSpec = z.output<typeof strataSchema>;

export const performanceSchema = z
  .object({
    metric: nonEmpty,
    value: finite,
    ci95: z.tuple([finite, finite]).optional(),
    dataset: nonEmpty,
    source: nonEmpty.optional(),
  })
  .strict();

const outputCommon = {
  /** Stable name of the result; unique in the manifest. */
  key: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'use lower-case letters, digits, _ . -'),
  /** ONNX output tensor name. */
  tensor: nonEmpty,
  meaning: nonEmpty,
  /** Key into mappings/ for the FHIR coding of this output. */
  coding: nonEmpty,
  performance: z.array(performanceSchema).default([]),
};
const index = z.number().int().min(0);

const probabilityOutput = z
  .object({
    ...outputCommon,
    kind: z.literal('probability'),
    /** Position in the last dimension of the tensor. */
    index,
    activation: z.enum(['none', 'sigmoid', 'softmax']),
    /** With softmax: the indices (in the same tensor) that form the group, including `index`. */
    softmaxGroup: z.array(index).min(2).optional(),
    calibration: calibrationSchema.default({ type: 'none' }),
    strata: strataSchema.optional(),
  })
  .strict();

const regressionOutput = z
  .object({
    ...outputCommon,
    kind: z.literal('regression'),
    index,
    /** UCUM unit of the value after rescale (`a` for years, `%`, `ms`). */
    unit: nonEmpty,
    /** value = raw · scale + offset. */
    rescale: z.object({ scale: finite, offset: finite }).strict().default({ scale: 1, offset: 0 }),
  })
  .strict();

const classOutput = z
  .object({
    ...outputCommon,
    kind: z.literal('class'),
    /** The mutually exclusive classes; the result is the most probable label and each class's probability. */
    classes: z.array(z.object({ index, label: nonEmpty }).strict()).min(2),
    /** softmax over the classes' raw values, or none when the tensor already holds probabilities. */
    activation: z.enum(['none', 'softmax']),
  })
  .strict();

// discriminatedUnion takes plain objects only, so the cross-field rules of each kind run on the union.
export const outputSchema = z
  .discriminatedUnion('kind', [probabilityOutput, regressionOutput, classOutput], {
    errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: `unknown output kind ${JSON.stringify(kindField(ctx.data))} (known: probability, regression, class)` } : { message: ctx.defaultError }),
  })
  .superRefine((o, ctx) => {
    if (o.kind === 'probability') {
      if (o.activation === 'softmax' && (o.softmaxGroup === undefined || !o.softmaxGroup.includes(o.index))) {
        ctx.addIssue({ code: 'custom', path: ['softmaxGroup'], message: 'softmax needs a group of indices that includes index' });
      }
      if (o.activation !== 'softmax' && o.softmaxGroup !== undefined) ctx.addIssue({ code: 'custom', path: ['softmaxGroup'], message: 'only with activation softmax' });
    }
    if (o.kind === 'class' && new Set(o.classes.map((c) => c.index)).size !== o.classes.length) {
      ctx.addIssue({ code: 'custom', path: ['classes'], message: 'two classes share an index' });
    }
  });
export type OutputSpec = z.output<typeof outputSchema>;
export type ProbabilityOutputSpec = Extract<OutputSpec, { kind: 'probability' }>;
export type RegressionOutputSpec = Extract<OutputSpec, { kind: 'regression' }>;
export type ClassOutputSpec = Extract<OutputSpec, { kind: 'class' }>;

export const MODEL_PURPOSES = ['clinical', 'reference', 'contract-test'] as const;
export type ModelPurpose = (typeof MODEL_PURPOSES)[number];

export const manifestSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** Must equal the model's folder name. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, . _ -'),
    name: nonEmpty,
    version: nonEmpty,
    /** Lower-case hex SHA-256 of model.onnx. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    purpose: z.enum(MODEL_PURPOSES),
    intendedUse: nonEmpty,
    clinicallyValidated: z.boolean(),
    description: nonEmpty.optional(),
    license: nonEmpty,
    citation: z.array(nonEmpty).default([]),
    /** Free-form provenance (training data, seeds, export checks); not interpreted by the gateway. */
    metadata: z.record(z.string(), z.unknown()).optional(),
    input: inputSchema,
    outputs: z.array(outputSchema).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.purpose === 'contract-test' && m.clinicallyValidated) {
      ctx.addIssue({ code: 'custom', path: ['clinicallyValidated'], message: 'a contract-test model cannot be clinically validated' });
    }
    const seen = new Set<string>();
    m.outputs.forEach((o, i) => {
      if (seen.has(o.key)) ctx.addIssue({ code: 'custom', path: ['outputs', i, 'key'], message: `duplicate key "${o.key}"` });
      seen.add(o.key);
    });
  });

export type ModelManifest = z.output<typeof manifestSchema>;

function typeField(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : data;
}
function kindField(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { kind?: unknown }).kind : data;
}
