/** The console's only way to the gateway: same-origin fetch with the session cookie. */

/** The session is missing or expired: the console shows the login form. */
export class Unauthorized extends Error {}

/** Any other non-2xx answer, with the problem+json body when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { code?: string; field?: string; detail?: string } = {},
  ) {
    super(problem.detail ?? `HTTP ${status}`);
  }
}

/**
 * GET/POST/DELETE a JSON endpoint. Cookie-authenticated writes must carry
 * `X-Requested-With: ecg-gateway` (the gateway's CSRF rule), so every request sends it.
 */
export async function api<T>(path: string, init: { method?: 'GET' | 'POST' | 'DELETE'; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'ecg-gateway' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status === 401) throw new Unauthorized();
  if (!res.ok) {
    let problem: { code?: string; field?: string; detail?: string } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      problem = { detail: `HTTP ${res.status}` };
    }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A readable line for an error shown in the page. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return [err.problem.code, err.problem.field, err.message].filter(Boolean).join(' · ');
  return err instanceof Error ? err.message : String(err);
}
