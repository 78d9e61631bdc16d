import type { PoolConfig } from 'pg';

/**
 * Connection settings every PostgreSQL pool of the gateway shares, so that a replica whose host
 * dies or freezes mid-transaction cannot hold row locks or the embedded /fhir's advisory lock
 * for hours (the server's defaults: no idle-in-transaction limit, TCP keepalive after 2 h):
 * - the server ends a session idle inside a transaction after IDLE_IN_TRANSACTION_MS, which
 *   releases its locks; every transaction of the gateway runs its statements back to back;
 * - TCP keepalive finds a peer that vanished without closing the socket;
 * - no statement or query may run longer than STATEMENT_MS (a hung connection then errors,
 *   and the caller's retry or lease takes over).
 */
export const IDLE_IN_TRANSACTION_MS = 30_000;
export const STATEMENT_MS = 60_000;

export function poolSettings(connectionString: string, extra: PoolConfig = {}): PoolConfig {
  return {
    connectionString,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    statement_timeout: STATEMENT_MS,
    query_timeout: STATEMENT_MS + 5_000,
    ...extra,
  };
}
