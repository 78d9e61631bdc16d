import { z } from 'zod';

/**
 * The schema of the code tables in `mappings/` (one JSON file per key below). Every code the
 * FHIR mapping writes comes from here, never from logic; a bad file stops startup.
 */

const nonEmpty = z.string().trim().min(1);
const uri = nonEmpty.refine((v) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(v), 'must be an absolute URI');
const coding = z.object({ system: uri, code: nonEmpty, display: nonEmpty }).strict();
const codeDisplay = z.object({ code: nonEmpty, display: nonEmpty }).strict();

export const fhirMappingsSchema = z
  .object({
    'ecg-codes': z
      .object({
        $comment: z.string().optional(),
        study: coding,
        category: coding,
        measurementSystem: uri,
        /** Keyed by LOINC code, as `EcgRecord.measurements` is; `unit` is UCUM. */
        measurements: z.record(nonEmpty, z.object({ display: nonEmpty, unit: nonEmpty }).strict()),
      })
      .strict(),
    'lead-codes': z
      .object({ $comment: z.string().optional(), system: uri, leads: z.record(nonEmpty, codeDisplay) })
      .strict(),
    units: z
      .object({
        $comment: z.string().optional(),
        system: uri,
        sampledData: z.object({ code: nonEmpty, unit: nonEmpty }).strict(),
        probability: z.object({ code: nonEmpty, unit: nonEmpty }).strict(),
        displays: z.record(nonEmpty, nonEmpty),
      })
      .strict(),
    'risk-probability': z
      .object({
        $comment: z.string().optional(),
        system: uri,
        strata: z.object({ low: codeDisplay, intermediate: codeDisplay, high: codeDisplay }).strict(),
      })
      .strict(),
    'model-outputs': z
      .object({
        $comment: z.string().optional(),
        system: uri,
        methodSystem: uri,
        outputs: z.record(
          nonEmpty,
          z
            .object({
              code: nonEmpty,
              display: nonEmpty,
              resource: z.enum(['RiskAssessment', 'Observation', 'both']).optional(),
              also: z.array(coding).optional(),
            })
            .strict(),
        ),
      })
      .strict(),
    'fhir-vocabulary': z
      .object({
        $comment: z.string().optional(),
        aiSecurityLabel: coding,
        indeterminate: coding,
        interpretation: z.object({ system: uri, low: codeDisplay, intermediate: codeDisplay, high: codeDisplay }).strict(),
        provenance: z
          .object({
            activity: coding,
            modelAgent: coding,
            gatewayAgent: coding,
            sourceRole: z.enum(['derivation', 'revision', 'quotation', 'source', 'removal']),
            derivationRole: z.enum(['derivation', 'revision', 'quotation', 'source', 'removal']),
          })
          .strict(),
        device: z
          .object({
            modelNameType: z.enum(['udi-label-name', 'user-friendly-name', 'patient-reported-name', 'manufacturer-name', 'model-name', 'other']),
            otherNameType: z.enum(['udi-label-name', 'user-friendly-name', 'patient-reported-name', 'manufacturer-name', 'model-name', 'other']),
            manufacturerNameType: z.enum(['udi-label-name', 'user-friendly-name', 'patient-reported-name', 'manufacturer-name', 'model-name', 'other']),
            gatewayName: nonEmpty,
            softwareType: coding,
          })
          .strict(),
        /** HL7 table 0001 / DICOM CS sex → FHIR administrative-gender. */
        gender: z.record(nonEmpty, z.enum(['male', 'female', 'other', 'unknown'])),
        texts: z
          .object({ notValidated: nonEmpty, intendedUse: nonEmpty, modelRun: nonEmpty, indeterminate: nonEmpty, ecgSource: nonEmpty, derivedLeads: nonEmpty })
          .strict(),
      })
      .strict(),
    'identifier-systems': z
      .object({
        $comment: z.string().optional(),
        ecg: uri,
        ecgMeasurement: uri,
        modelOutput: uri,
        model: uri,
        modelSha256: uri,
        gateway: uri,
        provenance: uri,
        dicomUid: uri,
        patient: z
          .object({
            byIssuer: z.record(nonEmpty, uri),
            defaultTemplate: nonEmpty.refine((v) => v.includes('{issuer}'), 'must contain {issuer}'),
            noIssuer: uri,
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

export type FhirMappings = Readonly<z.output<typeof fhirMappingsSchema>>;
export type FhirMappingFile = keyof z.input<typeof fhirMappingsSchema>;
export const FHIR_MAPPING_FILES = Object.keys(fhirMappingsSchema.shape) as FhirMappingFile[];

/**
 * Validates the parsed mapping files (keyed by file name without `.json`).
 * Returns a list of problems, one line per bad field, or the typed mappings.
 */
export function parseFhirMappings(files: Readonly<Record<string, unknown>>): { ok: true; mappings: FhirMappings } | { ok: false; problems: string[] } {
  const parsed = fhirMappingsSchema.safeParse(files);
  if (parsed.success) return { ok: true, mappings: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `mappings/${String(i.path[0] ?? '')}.json ${i.path.slice(1).join('.')}: ${i.message}`) };
}
