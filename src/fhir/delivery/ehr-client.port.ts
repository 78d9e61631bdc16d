import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';

/** What one transaction POST to the EHR came to; classified by retry-policy.ts. */
export type EhrOutcome =
  | { kind: 'accepted'; status: number; locations: string[]; entryStatuses: string[] }
  | { kind: 'http-error'; status: number; retryAfter?: string; outcome?: OperationOutcome; message: string }
  | { kind: 'network-error'; reason: 'timeout' | 'connection'; message: string }
  /** The authorization server could not be reached (transient) or refused the client (not). */
  | { kind: 'auth-error'; transient: boolean; status?: number; message: string };

/**
 * The EHR as the gateway sees it: a FHIR REST endpoint (with SMART Backend Services auth behind
 * it when configured) that takes transaction Bundles. Never throws for a failed delivery: the
 * outcome says what happened.
 */
export abstract class EhrClient {
  /** The FHIR base URL deliveries go to (for logs and the timeline). */
  abstract baseUrl(): string;
  abstract postTransaction(bundle: Bundle): Promise<EhrOutcome>;
}
