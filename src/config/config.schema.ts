import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** The gateway's environment contract (architecture.md, "External contract"). */
export const configSchema = z.object({
  HTTP_PORT: port.default(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  MLLP_PORT: port.default(2575),
  MLLP_MAX_MESSAGE_BYTES: positiveInt.default(20 * 1024 * 1024),
  MLLP_IDLE_TIMEOUT_MS: positiveInt.default(300_000),
  DICOM_PORT: port.default(11112),
  DICOM_AE_TITLE: z.string().trim().min(1).max(16).default('ECGGW'),
  DICOM_ALLOWED_AE_TITLES: optionalString,
  /** Largest C-STORE dataset kept; a larger one is answered A700 (out of resources). */
  DICOM_MAX_OBJECT_BYTES: positiveInt.default(64 * 1024 * 1024),
  /** Largest STOW-RS request body; a larger one is answered 413. */
  STOW_MAX_REQUEST_BYTES: positiveInt.default(256 * 1024 * 1024),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString,
  FHIR_BASE_URL: optionalString,
  /** SMART Backend Services: client id registered with the EHR; with FHIR_PRIVATE_KEY_FILE (JWKS, JWK or PKCS#8 PEM). */
  FHIR_CLIENT_ID: optionalString,
  FHIR_PRIVATE_KEY_FILE: optionalString,
  FHIR_KEY_ID: optionalString,
  FHIR_JWT_ALG: z.enum(['RS384', 'ES384']).optional(),
  FHIR_SCOPES: z.string().trim().min(1).default('system/Patient.crs system/Observation.crs system/RiskAssessment.crs system/Device.crs system/Provenance.crs'),
  /** Per EHR request (discovery, token, transaction). A delivery may take longer than the lease: its worker renews the claim. */
  FHIR_TIMEOUT_MS: positiveInt.default(5_000),
  /** How results name their patient: a conditional reference (Patient must exist) or a conditional create. */
  FHIR_PATIENT_REFERENCE: z.enum(['conditional-reference', 'conditional-create']).default('conditional-create'),
  /** IANA zone of senders' local times (HL7 TS / DICOM DT without offset); default: the host's zone. */
  FHIR_SOURCE_TIMEZONE: optionalString,
  DELIVERY_MAX_ATTEMPTS: positiveInt.default(12),
  DELIVERY_MAX_AGE_MS: positiveInt.default(24 * 60 * 60 * 1000),
  DELIVERY_BACKOFF_BASE_MS: positiveInt.default(2_000),
  DELIVERY_BACKOFF_MAX_MS: positiveInt.default(10 * 60 * 1000),
  MODEL_DIR: optionalString,
  INFERENCE_THREADS: positiveInt.default(1),
  INFERENCE_MAX_BATCH: positiveInt.default(8),
  INFERENCE_MAX_WAIT_MS: z.coerce.number().int().min(0).default(5),
  /** How long a claim on a message holds without renewal: a replica that dies hands its messages on after this. */
  PIPELINE_LEASE_MS: positiveInt.default(30_000),
  /** How often a worker renews the lease of a message it works on; default a third of PIPELINE_LEASE_MS, at most that. */
  PIPELINE_LEASE_RENEW_MS: positiveInt.optional(),
  PIPELINE_POLL_MS: positiveInt.default(200),
  /** Messages each pipeline stage (decode, score, deliver) works on at once; the claim stays the lock. */
  PIPELINE_CONCURRENCY: positiveInt.default(4),
  /**
   * Token of the principal `admin` (e.g. from a Kubernetes secret); its hash is stored at start.
   * Unset: one is generated at first start and printed once.
   */
  ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  /** Lifetime of a console session (cookie `ecggw_session`) after login. */
  SESSION_TTL_MS: positiveInt.default(8 * 60 * 60 * 1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ConfigEnv = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;
