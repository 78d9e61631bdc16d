import Client from 'fhir-kit-client';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { EhrClient, type EhrOutcome } from './ehr-client.port';
import { SmartAuthError, type SmartBackendAuth } from './smart-backend-auth';

export interface FhirKitEhrClientSettings {
  /** The FHIR base URL; a function because the embedded /fhir's port is known only after listen. */
  baseUrl: () => string;
  timeoutMs: number;
  /** SMART Backend Services (external EHRs); unset = `authorization` below, or no Authorization header. */
  auth?: SmartBackendAuth;
  /**
   * A fixed Authorization header value, read per request: the gateway's InternalCredential for
   * its own embedded /fhir. A function so the secret is not a plain field of these settings.
   */
  authorization?: () => string;
}

interface FhirKitError {
  response: { status: number; data?: unknown };
  config?: { headers?: { get?: (name: string) => string | null } };
}

/**
 * The EhrClient adapter on fhir-kit-client 1.9: POSTs the transaction Bundle to the base URL with
 * `Prefer: return=minimal` and a timeout, attaches the SMART access token, and on a 401 renews
 * the token once and tries again. Turns every failure into an EhrOutcome (status, Retry-After,
 * OperationOutcome) instead of throwing.
 */
export class FhirKitEhrClient extends EhrClient {
  private client: Client | undefined;
  private clientBase: string | undefined;

  constructor(private readonly settings: FhirKitEhrClientSettings) {
    super();
  }

  override baseUrl(): string {
    return this.settings.baseUrl();
  }

  override async postTransaction(bundle: Bundle): Promise<EhrOutcome> {
    const auth = this.settings.auth;
    let token: string | undefined;
    try {
      token = auth ? await auth.accessToken() : undefined;
    } catch (err: unknown) {
      return authError(err);
    }
    let outcome = await this.send(bundle, token);
    if (auth && token && outcome.kind === 'http-error' && outcome.status === 401) {
      auth.invalidate(token);
      try {
        token = await auth.accessToken();
      } catch (err: unknown) {
        return authError(err);
      }
      outcome = await this.send(bundle, token);
    }
    return outcome;
  }

  private fhirClient(): Client {
    const base = this.settings.baseUrl();
    if (!this.client || this.clientBase !== base) {
      this.client = new Client({ baseUrl: base });
      this.clientBase = base;
    }
    return this.client;
  }

  private async send(bundle: Bundle, token: string | undefined): Promise<EhrOutcome> {
    const headers: Record<string, string> = { prefer: 'return=minimal' };
    if (token) headers['authorization'] = `Bearer ${token}`;
    else if (this.settings.authorization) headers['authorization'] = this.settings.authorization();
    try {
      const response = (await this.fhirClient().transaction({
        body: bundle as Parameters<Client['transaction']>[0]['body'],
        options: { headers, signal: AbortSignal.timeout(this.settings.timeoutMs) },
      })) as Bundle & { __response?: { status?: number } };
      const entries = response.entry ?? [];
      // A server that ran the transaction as a batch may answer 200 with failed entries: not delivered.
      const failed = entries.findIndex((e) => !/^2\d\d/.test(e.response?.status ?? ''));
      if (failed >= 0) {
        const r = entries[failed]!.response;
        const status = Number.parseInt(r?.status ?? '', 10);
        const outcome = isOperationOutcome(r?.outcome) ? r.outcome : undefined;
        return { kind: 'http-error', status: Number.isFinite(status) ? status : 500, ...(outcome ? { outcome } : {}), message: `transaction entry ${failed} answered ${r?.status ?? 'nothing'}` };
      }
      return {
        kind: 'accepted',
        status: Object.getOwnPropertyDescriptor(response, '__response')?.value?.status ?? 200,
        locations: entries.map((e) => e.response?.location ?? '').filter((l) => l !== ''),
        entryStatuses: entries.map((e) => e.response?.status ?? ''),
      };
    } catch (err: unknown) {
      return classify(err);
    }
  }
}

function classify(err: unknown): EhrOutcome {
  if (isFhirKitError(err)) {
    const { status, data } = err.response;
    const outcome = isOperationOutcome(data) ? data : undefined;
    const retryAfter = err.config?.headers?.get?.('retry-after') ?? undefined;
    return {
      kind: 'http-error',
      status,
      ...(retryAfter !== undefined && retryAfter !== null ? { retryAfter } : {}),
      ...(outcome ? { outcome } : {}),
      message: typeof data === 'string' ? data.slice(0, 200) : `HTTP ${status}`,
    };
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return { kind: 'network-error', reason: 'timeout', message: err.message };
  }
  if (err instanceof Error) {
    const code = (err as Error & { cause?: { code?: unknown } }).cause?.code;
    return { kind: 'network-error', reason: 'connection', message: typeof code === 'string' ? code : err.message };
  }
  return { kind: 'network-error', reason: 'connection', message: 'unknown error' };
}

function authError(err: unknown): EhrOutcome {
  if (err instanceof SmartAuthError) return { kind: 'auth-error', transient: err.transient, ...(err.status !== undefined ? { status: err.status } : {}), message: err.message };
  return { kind: 'auth-error', transient: false, message: err instanceof Error ? err.message : 'authentication failed' };
}

function isFhirKitError(err: unknown): err is FhirKitError {
  return typeof err === 'object' && err !== null && typeof (err as { response?: { status?: unknown } }).response?.status === 'number';
}

function isOperationOutcome(data: unknown): data is OperationOutcome {
  return typeof data === 'object' && data !== null && (data as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}
