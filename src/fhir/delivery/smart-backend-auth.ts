import { randomUUID } from 'node:crypto';
import Client from 'fhir-kit-client';
import { SignJWT, type KeyLike } from 'jose';

export type SmartSigningAlg = 'RS384' | 'ES384';

export interface SigningKey {
  key: KeyLike | Uint8Array;
  kid: string;
  alg: SmartSigningAlg;
}

export interface SmartSettings {
  clientId: string;
  signingKey: SigningKey;
  /** Space-separated system scopes, e.g. `system/Observation.crs system/RiskAssessment.crs`. */
  scopes: string;
  timeoutMs: number;
}

/** Why no token could be had: `transient` (unreachable, 5xx) is retried, otherwise the client is refused. */
export class SmartAuthError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SmartAuthError';
  }
}

interface SmartConfiguration {
  tokenEndpoint: string;
}

/** Assertions live at most this long; SMART requires exp ≤ 5 minutes ahead. */
const ASSERTION_LIFETIME_S = 240;

/**
 * SMART Backend Services (SMART App Launch 2.x, client-confidential-asymmetric): discovers the
 * token endpoint from `{base}/.well-known/smart-configuration` and checks it supports
 * client_credentials + private_key_jwt + our algorithm; authenticates with a signed assertion
 * (RS384 or ES384, kid, unique jti, exp ≤ 5 min); caches the access token until shortly before
 * `expires_in`; `invalidate` drops it after a 401 so the next call renews.
 */
export class SmartBackendAuth {
  private configuration: Promise<SmartConfiguration> | undefined;
  private cached: { token: string; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly fhirBaseUrl: () => string,
    private readonly settings: SmartSettings,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** A valid access token: the cached one, or a new one from the token endpoint. Throws SmartAuthError. */
  accessToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.clock()) return Promise.resolve(this.cached.token);
    this.inflight ??= this.requestToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets `token` (the EHR answered 401 with it). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private discover(): Promise<SmartConfiguration> {
    this.configuration ??= this.fetchConfiguration().catch((err: unknown) => {
      this.configuration = undefined;
      throw err;
    });
    return this.configuration;
  }

  private async fetchConfiguration(): Promise<SmartConfiguration> {
    const client = new Client({ baseUrl: this.fhirBaseUrl() });
    let doc: Record<string, unknown>;
    try {
      doc = (await client.request('.well-known/smart-configuration', {
        options: { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.settings.timeoutMs) },
      })) as Record<string, unknown>;
    } catch (err: unknown) {
      const status = statusOf(err);
      if (status !== undefined && status < 500 && status !== 408 && status !== 429) {
        throw new SmartAuthError(`SMART discovery: ${status} from .well-known/smart-configuration`, false, status);
      }
      throw new SmartAuthError(`SMART discovery failed: ${describe(err)}`, true, status);
    }
    const tokenEndpoint = doc['token_endpoint'];
    if (typeof tokenEndpoint !== 'string') throw new SmartAuthError('SMART discovery: smart-configuration has no token_endpoint', false);
    const lacks = (field: string, value: string): boolean => Array.isArray(doc[field]) && !(doc[field] as unknown[]).includes(value);
    if (lacks('grant_types_supported', 'client_credentials')) throw new SmartAuthError('SMART discovery: grant_types_supported lacks client_credentials', false);
    if (lacks('token_endpoint_auth_methods_supported', 'private_key_jwt')) throw new SmartAuthError('SMART discovery: token_endpoint_auth_methods_supported lacks private_key_jwt', false);
    if (lacks('token_endpoint_auth_signing_alg_values_supported', this.settings.signingKey.alg)) {
      throw new SmartAuthError(`SMART discovery: token_endpoint_auth_signing_alg_values_supported lacks ${this.settings.signingKey.alg}`, false);
    }
    return { tokenEndpoint };
  }

  private async requestToken(): Promise<string> {
    const { tokenEndpoint } = await this.discover();
    const { clientId, signingKey } = this.settings;
    const now = Math.floor(this.clock() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(tokenEndpoint)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_S)
      .setJti(randomUUID())
      .sign(signingKey.key);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.settings.scopes,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    let res: Response;
    try {
      res = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err: unknown) {
      throw new SmartAuthError(`token endpoint unreachable: ${describe(err)}`, true);
    }
    const text = await res.text();
    if (!res.ok) {
      const transient = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new SmartAuthError(`token endpoint answered ${res.status}${oauthError(text)}`, transient, res.status);
    }
    let body: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err: unknown) {
      if (!(err instanceof SyntaxError)) throw err;
      throw new SmartAuthError('token endpoint answered with something that is not JSON', true, res.status);
    }
    if (typeof body.access_token !== 'string' || String(body.token_type).toLowerCase() !== 'bearer') {
      throw new SmartAuthError('token endpoint answered without a bearer access_token', false, res.status);
    }
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300) * 1000;
    // Renew a little early (10 %, at most 30 s) so a token never expires in flight.
    this.cached = { token: body.access_token, expiresAt: this.clock() + lifetimeMs - Math.min(30_000, lifetimeMs / 10) };
    return body.access_token;
  }
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { response?: { status?: unknown } } | undefined)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === 'string' ? `${err.message} (${cause.code})` : `${err.name}: ${err.message}`;
  }
  const status = statusOf(err);
  return status !== undefined ? `HTTP ${status}` : 'unknown error';
}

function oauthError(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    return typeof body.error === 'string' ? ` ${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : '';
  } catch (err: unknown) {
    if (err instanceof SyntaxError) return '';
    throw err;
  }
}
