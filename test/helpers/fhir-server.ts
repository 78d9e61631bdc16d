import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { FhirEngine } from '../../src/fhir/server/fhir-engine';
import { handleFhirHttp } from '../../src/fhir/server/fhir-http-handler';
import { JournaledRepository } from '../../src/fhir/server/journaled-repository';

/**
 * The tests' EHR: a FHIR R4 server on @medplum/fhir-router with R4 validation (400 + an
 * OperationOutcome on an invalid resource) and all-or-nothing transactions, plus what a test
 * needs to play a real EHR badly: a SMART Backend Services token endpoint that verifies the
 * client's private_key_jwt with its registered JWKS, and faults on demand (a status such as 503
 * with Retry-After, a response dropped after commit, a slow response). Runs as its own process
 * (fhir-server.main.ts); tests drive it over HTTP (`/_admin/*`).
 */

export interface SmartOptions {
  clientId: string;
  /** The client's public JWKS, as registered with the authorization server. */
  jwks: JSONWebKeySet;
  tokenLifetimeS: number;
  scopesSupported?: string[];
}

export interface TestFhirServerOptions {
  smart?: SmartOptions;
}

interface Fault {
  kind: 'status' | 'drop' | 'delay';
  status?: number;
  retryAfter?: string;
  delayMs?: number;
}

export interface TestFhirServerStats {
  posts: number;
  committedPosts: number;
  faultsServed: number;
  unauthorized: number;
  tokensIssued: number;
  tokenRequestsRejected: number;
  tokenRejections: string[];
}

const FHIR_BASE = '/fhir';
const TOKEN_PATH = '/auth/token';

export function createTestFhirServer(options: TestFhirServerOptions = {}): Server {
  const repo = new JournaledRepository();
  // When each identifier was first committed (epoch ms, sub-ms precision), and who waits for one.
  const committedAt = new Map<string, number>();
  const commitWaiters = new Map<string, Array<(at: number) => void>>();
  const engine = new FhirEngine(repo, {
    onCommit: (changes) => {
      const at = performance.timeOrigin + performance.now();
      for (const c of changes) {
        for (const i of (c.resource as { identifier?: Array<{ system?: string; value?: string }> } | undefined)?.identifier ?? []) {
          const key = `${i.system ?? ''}|${i.value ?? ''}`;
          if (committedAt.has(key)) continue;
          committedAt.set(key, at);
          for (const w of commitWaiters.get(key) ?? []) w(at);
          commitWaiters.delete(key);
        }
      }
    },
  });
  const faults: Fault[] = [];
  const tokens = new Map<string, number>();
  const seenJti = new Set<string>();
  const stats: TestFhirServerStats = { posts: 0, committedPosts: 0, faultsServed: 0, unauthorized: 0, tokensIssued: 0, tokenRequestsRejected: 0, tokenRejections: [] };
  const jwks = options.smart ? createLocalJWKSet(options.smart.jwks) : undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : 'internal' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    if (url.pathname.startsWith('/_admin/')) return admin(url.pathname.slice('/_admin/'.length), req, res);
    if (url.pathname === TOKEN_PATH && req.method === 'POST') return token(req, res, `${origin}${TOKEN_PATH}`);
    if (url.pathname === `${FHIR_BASE}/.well-known/smart-configuration`) {
      return json(res, 200, {
        token_endpoint: `${origin}${TOKEN_PATH}`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        scopes_supported: options.smart?.scopesSupported ?? ['system/*.rs', 'system/*.crs', 'system/Observation.crs', 'system/RiskAssessment.crs', 'system/Device.crs', 'system/Provenance.crs', 'system/Patient.crs'],
        capabilities: ['client-confidential-asymmetric'],
      });
    }
    if (!url.pathname.startsWith(FHIR_BASE)) return json(res, 404, { error: 'not found' });
    if (options.smart && url.pathname !== `${FHIR_BASE}/metadata` && !authorized(req)) {
      stats.unauthorized++;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', details: { text: 'missing, unknown or expired access token' } }] }));
      return;
    }
    if (req.method !== 'POST') return handleFhirHttp(engine, FHIR_BASE, req, res);

    stats.posts++;
    const fault = faults.shift();
    if (fault?.kind === 'status') {
      stats.faultsServed++;
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status ?? 503, headers);
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', details: { text: 'injected fault' } }] }));
      return;
    }
    if (fault?.kind === 'drop') {
      // Commit the request, then lose the response: the client cannot know it succeeded.
      stats.faultsServed++;
      const sink = new DroppedResponse(res);
      await handleFhirHttp(engine, FHIR_BASE, req, sink.asResponse());
      if (sink.status < 400) stats.committedPosts++;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      stats.faultsServed++;
      await new Promise((r) => setTimeout(r, fault.delayMs ?? 0));
    }
    await handleFhirHttp(engine, FHIR_BASE, req, res);
    if (res.statusCode < 400) stats.committedPosts++;
  }

  function authorized(req: IncomingMessage): boolean {
    const m = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''));
    const expires = m ? tokens.get(m[1]!) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  async function token(req: IncomingMessage, res: ServerResponse, tokenUrl: string): Promise<void> {
    const form = new URLSearchParams(await readText(req));
    const reject = (error: string, why: string) => {
      stats.tokenRequestsRejected++;
      stats.tokenRejections.push(why);
      json(res, error === 'invalid_client' ? 401 : 400, { error, error_description: why });
    };
    if (!options.smart || !jwks) return reject('invalid_client', 'SMART is not configured on this server');
    if (form.get('grant_type') !== 'client_credentials') return reject('unsupported_grant_type', 'grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return reject('invalid_request', 'bad client_assertion_type');
    const assertion = form.get('client_assertion') ?? '';
    try {
      const header = decodeProtectedHeader(assertion);
      if (header.typ !== 'JWT' || !header.kid) return reject('invalid_client', 'assertion header needs typ JWT and kid');
      const { payload } = await jwtVerify(assertion, jwks, {
        algorithms: ['RS384', 'ES384'],
        issuer: options.smart.clientId,
        subject: options.smart.clientId,
        audience: tokenUrl,
      });
      const now = Math.floor(Date.now() / 1000);
      if (typeof payload.exp !== 'number' || payload.exp > now + 300 + 5) return reject('invalid_client', 'exp must be at most 5 minutes ahead');
      if (typeof payload.jti !== 'string' || seenJti.has(payload.jti)) return reject('invalid_client', 'jti missing or replayed');
      seenJti.add(payload.jti);
    } catch (err: unknown) {
      return reject('invalid_client', `assertion rejected: ${err instanceof Error ? err.message : 'invalid'}`);
    }
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, Date.now() + options.smart.tokenLifetimeS * 1000);
    stats.tokensIssued++;
    json(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: options.smart.tokenLifetimeS, scope: form.get('scope') ?? '' });
  }

  async function admin(action: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = req.method === 'POST' ? (JSON.parse((await readText(req)) || '{}') as Record<string, unknown>) : {};
    const count = typeof body['count'] === 'number' ? body['count'] : 1;
    switch (action) {
      case 'fail':
        for (let i = 0; i < count; i++) {
          const f: Fault = { kind: 'status', status: Number(body['status'] ?? 503) };
          if (body['retryAfter'] !== undefined) f.retryAfter = String(body['retryAfter']);
          faults.push(f);
        }
        return json(res, 200, { queued: faults.length });
      case 'drop':
        for (let i = 0; i < count; i++) faults.push({ kind: 'drop' });
        return json(res, 200, { queued: faults.length });
      case 'delay':
        for (let i = 0; i < count; i++) faults.push({ kind: 'delay', delayMs: Number(body['ms'] ?? 1000) });
        return json(res, 200, { queued: faults.length });
      case 'revoke-tokens':
        tokens.clear();
        return json(res, 200, { revoked: true });
      case 'stats':
        return json(res, 200, { ...stats, pendingFaults: faults.length });
      case 'committed': {
        // Long poll: when was a resource with this identifier (system|value) committed?
        const url = new URL(req.url ?? '/', 'http://localhost');
        const key = url.searchParams.get('identifier') ?? '';
        const waitMs = Number(url.searchParams.get('wait') ?? 0);
        const known = committedAt.get(key);
        if (known !== undefined) return json(res, 200, { at: known });
        const at = await new Promise<number | undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), waitMs);
          const list = commitWaiters.get(key) ?? [];
          list.push((t) => {
            clearTimeout(timer);
            resolve(t);
          });
          commitWaiters.set(key, list);
        });
        return at === undefined ? json(res, 404, { error: 'not committed' }) : json(res, 200, { at });
      }
      default:
        return json(res, 404, { error: `unknown admin action ${action}` });
    }
  }

  return server;
}

/** Lets the FHIR handler write a full response into nothing, remembering only its status. */
class DroppedResponse {
  status = 0;
  constructor(private readonly real: ServerResponse) {}
  asResponse(): ServerResponse {
    const self = this;
    return Object.assign(Object.create(this.real) as ServerResponse, {
      writeHead(status: number) {
        self.status = status;
        return this;
      },
      end() {
        return this;
      },
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
