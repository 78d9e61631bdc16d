import { createAccessStore } from '../auth/create-access-store';
import { ADMIN_PRINCIPAL } from '../auth/admin-token';
import { GATEWAY_PRINCIPAL } from '../auth/internal-credential';
import { generateToken, secretHash } from '../auth/token-secret';
import { loadConfig } from '../config/load-config';
import { GatewayError } from '../errors/gateway-error';
import type { CliIo } from './inspect.command';
import { parseArgs } from './parse-args';

/** Token names are principals in the audit trail: short, readable, no spaces. */
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Principals the gateway writes itself; a token may not pose as them. */
const RESERVED = new Set([ADMIN_PRINCIPAL, GATEWAY_PRINCIPAL, 'cli', 'unknown']);
/** The principal of CLI actions in the audit trail: whoever has shell access to the store. */
const CLI_PRINCIPAL = 'cli';

const USAGE = 'usage: ecg-gateway token create <name> | token list | token revoke <name>';

function usage(message: string, field = 'token'): GatewayError {
  return new GatewayError('CLI_USAGE', `${message} (${USAGE})`, { field });
}

function checkedName(name: string | undefined, forCreate: boolean): string {
  if (name === undefined) throw usage('a token name is needed', 'name');
  if (!TOKEN_NAME.test(name)) throw usage('a token name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit', 'name');
  if (forCreate && RESERVED.has(name.toLowerCase())) throw usage(`"${name}" is reserved`, 'name');
  return name;
}

/**
 * `token create <name>` (prints the new token once), `token list` (names, created, revoked;
 * never hashes), `token revoke <name>`: API tokens in the gateway's store (DATA_DIR or
 * DATABASE_URL, as `serve` uses). Creations and revocations are audited as principal `cli`.
 */
export async function tokenCommand(argv: readonly string[], io: CliIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const { positional } = parseArgs(argv, []);
  const [action, name, ...extra] = positional;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') throw usage(action === undefined ? 'a token action is needed' : `unknown token action "${action}"`);
  if (extra.length > 0 || (action === 'list' && name !== undefined)) throw usage('too many arguments');
  const checked = action === 'list' ? undefined : checkedName(name, action === 'create');
  const store = await createAccessStore(loadConfig(env));
  try {
    const now = new Date();
    switch (action) {
      case 'create': {
        const token = generateToken();
        if (!(await store.insertTokenIfAbsent(checked!, secretHash(token), now))) {
          throw new GatewayError('AUTH_TOKEN_EXISTS', 'a token with this name exists (revoked names stay taken, for the audit trail); choose another name', { field: 'name' });
        }
        await store.appendAudit({ at: now, principal: CLI_PRINCIPAL, action: 'token.create', detail: { name: checked } });
        io.out(token);
        io.err(`token "${checked}" created; it is shown only this once`);
        return 0;
      }
      case 'list':
        for (const t of await store.listTokens()) {
          io.out(JSON.stringify({ name: t.name, createdAt: t.createdAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null }));
        }
        return 0;
      case 'revoke':
        if (!(await store.revokeToken(checked!, now))) throw new GatewayError('AUTH_TOKEN_NOT_FOUND', 'no active token with this name', { field: 'name' });
        await store.appendAudit({ at: now, principal: CLI_PRINCIPAL, action: 'token.revoke', detail: { name: checked } });
        io.err(`token "${checked}" revoked; its sessions are ended`);
        return 0;
    }
  } finally {
    await store.close();
  }
}
