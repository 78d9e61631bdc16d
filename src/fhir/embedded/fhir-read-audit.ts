/** What the audit trail keeps of one read of the embedded /fhir. */
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
 * The audit detail of a /fhir request that can return patient data (GET/HEAD, `POST …/_search`,
 * and a POST to the base, whose batch may hold GET entries), or undefined for other requests.
 * Pure: `url` is the request's path and query as received (Express `originalUrl`).
 */
export function fhirReadAudit(method: string, url: string, basePath: string): FhirReadDetail | undefined {
  const parsed = new URL(url, 'http://localhost');
  const path = parsed.pathname.replace(/\/+$/, '') || '/';
  // Express routes /FHIR/… here too (case-insensitive), so the base is matched the same way.
  const below = (path.toLowerCase().startsWith(basePath.toLowerCase()) ? path.slice(basePath.length) : path).replace(/^\/+/, '');
  const m = method.toUpperCase();
  const isRead = m === 'GET' || m === 'HEAD' || (m === 'POST' && (below === '' || /(^|\/)_search$/.test(below)));
  if (!isRead) return undefined;
  const detail: FhirReadDetail = { method: m, path, searchParams: [...new Set(parsed.searchParams.keys())].sort() };
  const resourceType = below.split('/')[0];
  if (resourceType) detail.resourceType = resourceType;
  return detail;
}
