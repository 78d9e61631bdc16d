import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error';
import type { MappableModelResult } from './mapping/mapping-input';

/**
 * The part of the score stage's stored results (`row.results.scores`, src/inference/model-result.ts)
 * the FHIR mapping needs, parsed from the store's JSON: unknown fields (raw values, thresholds,
 * preprocessing traces) pass through untouched.
 */
const reason = z.object({ code: z.string(), message: z.string(), lead: z.string().optional() }).passthrough();
const base = { key: z.string(), meaning: z.string(), coding: z.string() };
const output = z.union([
  z.object({ ...base, kind: z.literal('probability'), status: z.literal('scored'), probability: z.number().min(0).max(1), stratum: z.enum(['low', 'intermediate', 'high']).optional() }).passthrough(),
  z.object({ ...base, kind: z.literal('regression'), status: z.literal('scored'), value: z.number(), unit: z.string() }).passthrough(),
  z.object({ ...base, kind: z.literal('class'), status: z.literal('scored'), label: z.string(), probability: z.number().min(0).max(1) }).passthrough(),
  z.object({ ...base, kind: z.enum(['probability', 'regression', 'class']), status: z.literal('indeterminate'), reason }).passthrough(),
]);
const model = z
  .object({ id: z.string(), name: z.string(), version: z.string(), sha256: z.string(), clinicallyValidated: z.boolean(), intendedUse: z.string() })
  .passthrough();
const modelResult = z.union([
  z.object({ model, status: z.literal('scored'), outputs: z.array(output) }).passthrough(),
  z.object({ model, status: z.literal('indeterminate'), reason, outputs: z.array(output) }).passthrough(),
]);
const scoreResults = z.object({ scores: z.array(modelResult) }).passthrough();

/** Reads the model results of a scored message. Throws FHIR_MAPPING_FAILED naming the bad field. */
export function parseScoreResults(results: unknown): MappableModelResult[] {
  const parsed = scoreResults.safeParse(results);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayError('FHIR_MAPPING_FAILED', `the stored model results cannot be read: ${issue?.message ?? 'invalid'}`, {
      field: `results.${issue?.path.join('.') ?? 'scores'}`,
    });
  }
  return parsed.data.scores as MappableModelResult[];
}
