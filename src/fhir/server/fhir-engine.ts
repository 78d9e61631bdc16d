import { badRequest, getReferenceString, getStatus, normalizeOperationOutcome, parseSearchRequest } from '@medplum/core';
import { FhirRouter, makeSimpleRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { JournaledRepository, ResourceChange } from './journaled-repository';
import { loadR4Definitions } from './r4-definitions';
import { outcomeOf, validateRequestBody } from './validate-resources';

export interface FhirEngineRequest {
  method: string;
  /** Path below the FHIR base, e.g. `/`, `/Observation`, `/Observation/123`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  body?: unknown;
  /** `Prefer: return=minimal` leaves resources out of transaction responses. */
  preferMinimal?: boolean;
}

export interface FhirEngineResponse {
  status: number;
  body: Resource;
  headers: Record<string, string>;
}

/**
 * Wraps every request (the engine runs them one at a time): `execute` runs the request on the
 * in-memory repository and resolves with what it committed there (empty for reads and refused
 * writes). A hook may first bring memory up to date with other processes' writes and serialise
 * writes across processes; it must make the changes durable before it resolves. When it throws,
 * the engine answers 500, and the hook must have put memory back to the persisted state.
 */
export interface FhirRequestHook {
  run(kind: 'read' | 'write', execute: () => Promise<ResourceChange[]>): Promise<void>;
}

export interface FhirEngineOptions {
  /** Called with what a write changed before it is acknowledged; a throw rolls the write back (500). */
  onCommit?: (changes: ResourceChange[]) => void | Promise<void>;
  /** Persistence around each request (the embedded /fhir), in place of `onCommit`. */
  hook?: FhirRequestHook;
}

interface Executed {
  response: FhirEngineResponse;
  /** What a successful write committed in memory; empty for reads and refused writes. */
  changes: ResourceChange[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A FHIR R4 server core on @medplum/fhir-router: R4 validation of every write (400 with an
 * OperationOutcome naming the element), conditional references resolved inside the request,
 * and all-or-nothing transactions (the router processes a transaction entry by entry; the
 * journal undoes every entry when one fails). Requests run one at a time, so a conditional
 * create is race-free. The same core serves the embedded `/fhir` and the tests' FHIR server.
 */
export class FhirEngine {
  private readonly router = new FhirRouter();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: JournaledRepository,
    private readonly options: FhirEngineOptions = {},
  ) {
    loadR4Definitions();
  }

  handle(req: FhirEngineRequest): Promise<FhirEngineResponse> {
    const run = this.queue.then(() => this.handleNow(req));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async handleNow(req: FhirEngineRequest): Promise<FhirEngineResponse> {
    const hook = this.options.hook;
    if (!hook) {
      const { response, changes } = await this.execute(req);
      if (response.status >= 400 || !WRITE_METHODS.has(req.method.toUpperCase())) return response;
      try {
        await this.options.onCommit?.(changes);
      } catch (err: unknown) {
        await this.undo(changes);
        return respond(500, normalizeOperationOutcome(err));
      }
      return response;
    }
    let executed: Executed | undefined;
    try {
      await hook.run(WRITE_METHODS.has(req.method.toUpperCase()) ? 'write' : 'read', async () => {
        executed = await this.execute(req);
        return executed.changes;
      });
    } catch (err: unknown) {
      return respond(500, normalizeOperationOutcome(err));
    }
    return executed?.response ?? respond(500, normalizeOperationOutcome(new Error('the persistence hook did not run the request')));
  }

  /** Runs one request on the in-memory repository; a write is all-or-nothing there. */
  private async execute(req: FhirEngineRequest): Promise<Executed> {
    const method = req.method.toUpperCase();
    if (!METHODS.has(method)) return unchanged(respond(405, badRequest(`method ${method} not supported`)));
    const path = req.path.replace(/\/+$/, '') || '/';
    if (method === 'GET' && path === '/metadata') return unchanged({ status: 200, body: capabilityStatement(), headers: {} });
    if (!WRITE_METHODS.has(method)) return unchanged(await this.route(method, path, req.query, undefined));

    const body = req.body as Resource | undefined;
    if (method === 'POST' || method === 'PUT') {
      if (typeof body !== 'object' || body === null || typeof body.resourceType !== 'string') {
        return unchanged(respond(400, badRequest('the body is not a FHIR resource')));
      }
      const issues = validateRequestBody(body);
      if (issues.length > 0) return unchanged(respond(400, outcomeOf(issues.map((i) => ({ ...i, severity: 'error' })))));
      const unresolved = await this.resolveConditionalReferences(body);
      if (unresolved) return unchanged(unresolved);
    }
    this.repo.begin();
    let response: FhirEngineResponse;
    try {
      response = await this.route(method, path, req.query, body);
      const failed = failureOf(response, body);
      if (failed) {
        await this.repo.rollback();
        return unchanged(failed);
      }
    } catch (err: unknown) {
      await this.repo.rollback();
      return unchanged(respond(500, normalizeOperationOutcome(err)));
    }
    const changes = await this.repo.commit();
    if (req.preferMinimal && response.body.resourceType === 'Bundle') {
      response.body = { ...response.body, entry: (response.body.entry ?? []).map((e) => ({ response: e.response! })) };
    }
    return { response, changes };
  }

  private async route(method: string, path: string, query: string, body: Resource | undefined): Promise<FhirEngineResponse> {
    const url = query ? `${path}?${query}` : path;
    const [outcome, resource] = await this.router.handleRequest(makeSimpleRequest(method as HttpMethod, url, body), this.repo);
    const status = getStatus(outcome);
    if (!resource) return respond(status, outcome);
    const headers: Record<string, string> = {};
    if (resource.resourceType !== 'Bundle' && resource.id && resource.meta?.versionId) {
      headers['etag'] = `W/"${resource.meta.versionId}"`;
      if (status === 201) headers['location'] = `${getReferenceString(resource as Resource & { id: string })}/_history/${resource.meta.versionId}`;
    }
    return { status, body: resource, headers };
  }

  /** `Type?query` references are resolved to the one match (none: 400, several: 412), as in a transaction. */
  private async resolveConditionalReferences(body: Resource): Promise<FhirEngineResponse | undefined> {
    const targets: Array<{ holder: { reference: string }; path: string }> = [];
    collectReferences(body, body.resourceType, targets);
    const resolved = new Map<string, string>();
    for (const t of targets) {
      const ref = t.holder.reference;
      if (!/^[A-Z][A-Za-z]+\?/.test(ref)) continue;
      let literal = resolved.get(ref);
      if (!literal) {
        const matches = await this.repo.searchResources(parseSearchRequest(ref));
        if (matches.length !== 1) {
          const issue: OperationOutcomeIssue = {
            severity: 'error',
            code: matches.length === 0 ? 'not-found' : 'multiple-matches',
            details: { text: `conditional reference ${matches.length === 0 ? 'matches no resource' : 'matches several resources'}` },
            expression: [t.path],
          };
          return respond(matches.length === 0 ? 400 : 412, outcomeOf([issue]));
        }
        literal = getReferenceString(matches[0]!);
        resolved.set(ref, literal);
      }
      t.holder.reference = literal;
    }
    return undefined;
  }

  /** Reverts committed changes whose persistence failed (best effort, in memory). */
  private async undo(changes: ResourceChange[]): Promise<void> {
    for (const c of changes) {
      if (c.resource) await this.repo.deleteResource(c.resourceType, c.id).catch(() => undefined);
    }
  }
}

function respond(status: number, outcome: OperationOutcome): FhirEngineResponse {
  return { status, body: outcome, headers: {} };
}

function unchanged(response: FhirEngineResponse): Executed {
  return { response, changes: [] };
}

/** A transaction fails as a whole: the first failed entry's status and outcome become the reply. */
function failureOf(response: FhirEngineResponse, body: Resource | undefined): FhirEngineResponse | undefined {
  if (response.status >= 400) return response;
  if (body?.resourceType !== 'Bundle' || body.type !== 'transaction' || response.body.resourceType !== 'Bundle') return undefined;
  const entries: BundleEntry[] = (response.body as Bundle).entry ?? [];
  for (let i = 0; i < entries.length; i++) {
    const r = entries[i]?.response;
    const status = Number.parseInt(r?.status ?? '', 10);
    if (!(status >= 200 && status < 300)) {
      const outcome = (r?.outcome as OperationOutcome | undefined) ?? badRequest('transaction entry failed');
      const issues = (outcome.issue ?? []).map((iss) => ({ ...iss, expression: iss.expression ?? [`Bundle.entry[${i}]`] }));
      return respond(Number.isFinite(status) && status >= 400 ? status : 400, outcomeOf(issues.length > 0 ? issues : [{ severity: 'error', code: 'processing', expression: [`Bundle.entry[${i}]`] }]));
    }
  }
  return undefined;
}

function collectReferences(value: unknown, path: string, out: Array<{ holder: { reference: string }; path: string }>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectReferences(v, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const obj = value as Record<string, unknown>;
  if (typeof obj['reference'] === 'string') out.push({ holder: obj as { reference: string }, path });
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'request' || k === 'response') continue;
    if (typeof v === 'object' && v !== null) collectReferences(v, `${path}.${k}`, out);
  }
}

function capabilityStatement(): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2025-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
        resource: (['Patient', 'Observation', 'RiskAssessment', 'Device', 'Provenance'] as const).map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'create' }, { code: 'update' }, { code: 'search-type' }],
          conditionalCreate: true,
        })),
      },
    ],
  };
}
