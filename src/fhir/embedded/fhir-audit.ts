/** What the audit trail keeps of one request of a person to the embedded /fhir. */
export interface FhirReadDetail {
  method: string;
  /** The request path, e.g. `/fhir/Observation/abc` (resource ids are the gateway's own hashes). */
  path: string;
  /** The first path segment below /fhir (`Observation`), absent for the base (batch/transaction). */
  resourceType?: string;
  /** Names of the search parameters only: their values can carry identifiers (`identifier=MRN|…`). */
  searchParams: string[];
}

/**
 * The audit action and detail of a person's /fhir request: `fhir.read` for what can only return
 * data (GET/HEAD, `POST …/_search`), `fhir.write` for everything else (PUT, PATCH, DELETE, a
 * create, a batch or transaction POST to the base, which may write). Every request is audited.
 * Pure: `url` is the request's path and query as received (Express `originalUrl`).
 */
export function fhirAudit(method: string, url: string, basePath: string): { action: 'fhir.read' | 'fhir.write'; detail: FhirReadDetail } {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://localhost');
  } catch {
    // An odd request target (absolute form with a bad authority): audit what arrived, no parameters.
    parsed = new URL('http://localhost/');
    parsed.pathname = url.split('?')[0] ?? '/';
  }
  const path = parsed.pathname.replace(/\/+$/, '') || '/';
  // Express routes /FHIR/… here too (case-insensitive), so the base is matched the same way.
  const below = (path.toLowerCase().startsWith(basePath.toLowerCase()) ? path.slice(basePath.length) : path).replace(/^\/+/, '');
  const m = method.toUpperCase();
  const isRead = m === 'GET' || m === 'HEAD' || (m === 'POST' && /(^|\/)_search$/.test(below));
  const detail: FhirReadDetail = { method: m, path, searchParams: [...new Set(parsed.searchParams.keys())].sort() };
  const resourceType = below.split('/')[0];
  if (resourceType) detail.resourceType = resourceType;
  return { action: isRead ? 'fhir.read' : 'fhir.write', detail };
}
