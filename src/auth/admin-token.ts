import type { AccessStore } from './access-store.port';
import { generateToken, secretHash } from './token-secret';

/** The principal of ADMIN_TOKEN or of the token generated at first start. */
export const ADMIN_PRINCIPAL = 'admin';

export type AdminTokenOutcome = { kind: 'from-env' } | { kind: 'generated'; token: string } | { kind: 'exists' };

/**
 * Makes sure the principal `admin` can log in. ADMIN_TOKEN set: its hash replaces the stored
 * one (the secret is the source of truth, e.g. for Kubernetes replicas). Unset: a token is
 * generated unless one is stored; insert-if-absent means that of replicas starting together on
 * one PostgreSQL exactly one generates (and prints) it.
 */
export async function ensureAdminToken(store: AccessStore, adminToken: string | undefined, now: Date): Promise<AdminTokenOutcome> {
  if (adminToken !== undefined) {
    await store.upsertToken(ADMIN_PRINCIPAL, secretHash(adminToken), now);
    return { kind: 'from-env' };
  }
  const token = generateToken();
  return (await store.insertTokenIfAbsent(ADMIN_PRINCIPAL, secretHash(token), now)) ? { kind: 'generated', token } : { kind: 'exists' };
}

/** The one-time banner for a generated admin token: kept off the JSON log lines so it is seen and not indexed. */
export function adminTokenBanner(token: string): string {
  const rule = '='.repeat(78);
  return [
    rule,
    `ADMIN TOKEN (shown once): ${token}`,
    'Keep it now: the gateway stores only its hash and will not print it again.',
    'Use it as "Authorization: Bearer <token>" or to log in to the console;',
    'more tokens: ecg-gateway token create <name>. Set ADMIN_TOKEN to choose it yourself.',
    rule,
    '',
  ].join('\n');
}
