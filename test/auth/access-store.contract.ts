import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { ensureAdminToken } from '../../src/auth/admin-token';
import type { AccessStore } from '../../src/auth/access-store.port';
import { secretHash } from '../../src/auth/token-secret';
import { isGatewayError } from '../../src/errors/gateway-error';

/** A fresh, migrated, empty access store; `another` opens a second handle on the same database (a replica). */
export interface AccessStoreUnderTest {
  store: AccessStore;
  another: () => Promise<AccessStore>;
  cleanup: () => Promise<void>;
}

export type AccessStoreFactory = () => Promise<AccessStoreUnderTest>;

const T0 = new Date('2024-03-05T10:15:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const MESSAGE_A = '0b7f5a4e-3f39-4d59-9e0c-1d1f3b0b6a01';
const MESSAGE_B = '0b7f5a4e-3f39-4d59-9e0c-1d1f3b0b6a02';

async function open(t: TestContext, factory: AccessStoreFactory): Promise<AccessStoreUnderTest> {
  const sut = await factory();
  t.after(() => sut.cleanup());
  return sut;
}

/** The behaviour every AccessStore adapter must show (SQLite and PostgreSQL): tokens, sessions, audit trail. */
export function accessStoreContract(adapter: string, factory: AccessStoreFactory): void {
  describe(`AccessStore contract: ${adapter}`, () => {
    test('a token is found by its hash until it is revoked; list shows names and dates, never hashes', async (t) => {
      const { store } = await open(t, factory);
      assert.equal(await store.insertTokenIfAbsent('ward-3', secretHash('secret-1'), T0), true);
      assert.equal(await store.principalForToken(secretHash('secret-1')), 'ward-3');
      assert.equal(await store.principalForToken(secretHash('secret-2')), undefined);
      assert.equal(await store.insertTokenIfAbsent('ward-3', secretHash('secret-2'), at(1)), false, 'a name is taken once');
      assert.equal(await store.principalForToken(secretHash('secret-2')), undefined);
      assert.deepEqual(await store.listTokens(), [{ name: 'ward-3', createdAt: T0 }]);

      assert.equal(await store.revokeToken('ward-3', at(5)), true);
      assert.equal(await store.principalForToken(secretHash('secret-1')), undefined, 'revoked');
      assert.equal(await store.revokeToken('ward-3', at(6)), false, 'already revoked');
      assert.equal(await store.revokeToken('nobody', at(6)), false);
      assert.deepEqual(await store.listTokens(), [{ name: 'ward-3', createdAt: T0, revokedAt: at(5) }]);
      assert.equal(await store.insertTokenIfAbsent('ward-3', secretHash('secret-3'), at(7)), false, 'a revoked name stays taken');
    });

    test('upsert replaces a token and lifts its revocation (ADMIN_TOKEN at start)', async (t) => {
      const { store } = await open(t, factory);
      await store.upsertToken('admin', secretHash('first-admin-token'), T0);
      await store.revokeToken('admin', at(1));
      await store.upsertToken('admin', secretHash('second-admin-token'), at(2));
      assert.equal(await store.principalForToken(secretHash('first-admin-token')), undefined);
      assert.equal(await store.principalForToken(secretHash('second-admin-token')), 'admin');
      assert.deepEqual(await store.listTokens(), [{ name: 'admin', createdAt: T0 }]);
    });

    test('upserting the same token keeps its sessions; a rotated one ends them', async (t) => {
      const { store } = await open(t, factory);
      await store.upsertToken('admin', secretHash('first-admin-token'), T0);
      await store.createSession({ sessionHash: secretHash('s1'), principal: 'admin', createdAt: T0, expiresAt: at(1000) });
      await store.upsertToken('admin', secretHash('first-admin-token'), at(1));
      assert.ok(await store.findSession(secretHash('s1'), at(2)), 'a restart with the same ADMIN_TOKEN keeps the console logged in');
      await store.upsertToken('admin', secretHash('second-admin-token'), at(3));
      assert.equal(await store.findSession(secretHash('s1'), at(4)), undefined, 'rotation ends the old sessions');
    });

    test('sessions are found until they expire or are deleted; revoking the token ends them', async (t) => {
      const { store } = await open(t, factory);
      await store.insertTokenIfAbsent('analyst', secretHash('tok'), T0);
      await store.createSession({ sessionHash: secretHash('s1'), principal: 'analyst', createdAt: T0, expiresAt: at(1000) });
      await store.createSession({ sessionHash: secretHash('s2'), principal: 'analyst', createdAt: T0, expiresAt: at(1000) });
      await store.createSession({ sessionHash: secretHash('s3'), principal: 'other', createdAt: T0, expiresAt: at(1000) });
      assert.deepEqual(await store.findSession(secretHash('s1'), at(999)), { sessionHash: secretHash('s1'), principal: 'analyst', createdAt: T0, expiresAt: at(1000) });
      assert.equal(await store.findSession(secretHash('s1'), at(1000)), undefined, 'expired at expiresAt');
      await store.deleteSession(secretHash('s1'));
      assert.equal(await store.findSession(secretHash('s1'), at(1)), undefined, 'deleted');
      await store.revokeToken('analyst', at(2));
      assert.equal(await store.findSession(secretHash('s2'), at(3)), undefined, 'ended with its token');
      assert.ok(await store.findSession(secretHash('s3'), at(3)), 'another principal keeps its session');
      // A session made in the instant between a login's token check and a revoke is no key either.
      await store.createSession({ sessionHash: secretHash('s4'), principal: 'analyst', createdAt: at(3), expiresAt: at(1000) });
      assert.equal(await store.findSession(secretHash('s4'), at(4)), undefined, 'a revoked principal has no session');
    });

    test('audit events list newest first, filter by message and page with a cursor', async (t) => {
      const { store } = await open(t, factory);
      await store.appendAudit({ at: at(0), principal: 'admin', action: 'session.login' });
      await store.appendAudit({ at: at(1), principal: 'admin', action: 'message.open', messageId: MESSAGE_A });
      await store.appendAudit({ at: at(2), principal: 'ward-3', action: 'message.replay', messageId: MESSAGE_B, detail: { stateBefore: 'dead', outcome: 'replayed' } });
      await store.appendAudit({ at: at(3), principal: 'ward-3', action: 'message.raw', messageId: MESSAGE_A });

      const all = await store.listAudit({ limit: 10 });
      assert.deepEqual(all, {
        items: [
          { at: at(3).toISOString(), principal: 'ward-3', action: 'message.raw', messageId: MESSAGE_A },
          { at: at(2).toISOString(), principal: 'ward-3', action: 'message.replay', messageId: MESSAGE_B, detail: { stateBefore: 'dead', outcome: 'replayed' } },
          { at: at(1).toISOString(), principal: 'admin', action: 'message.open', messageId: MESSAGE_A },
          { at: at(0).toISOString(), principal: 'admin', action: 'session.login' },
        ],
      });
      assert.deepEqual((await store.listAudit({ messageId: MESSAGE_A, limit: 10 })).items.map((e) => e.action), ['message.raw', 'message.open']);

      const first = await store.listAudit({ limit: 3 });
      assert.equal(first.items.length, 3);
      assert.ok(first.nextCursor);
      const second = await store.listAudit({ limit: 3, cursor: first.nextCursor });
      assert.deepEqual(second.items.map((e) => e.action), ['session.login']);
      assert.equal(second.nextCursor, undefined);

      await assert.rejects(store.listAudit({ limit: 3, cursor: 'bm9wZQ' }), (err: unknown) => isGatewayError(err) && err.code === 'API_BAD_REQUEST');
    });

    test('replicas starting together generate one admin token between them', async (t) => {
      const sut = await open(t, factory);
      const replicas = [sut.store, ...(await Promise.all([sut.another(), sut.another(), sut.another()]))];
      t.after(() => Promise.all(replicas.slice(1).map((s) => s.close())));
      const outcomes = await Promise.all(replicas.map((s) => ensureAdminToken(s, undefined, T0)));
      const generated = outcomes.filter((o) => o.kind === 'generated');
      assert.equal(generated.length, 1, JSON.stringify(outcomes.map((o) => o.kind)));
      assert.deepEqual(outcomes.filter((o) => o.kind === 'exists').length, replicas.length - 1);
      const token = (generated[0] as { token: string }).token;
      assert.match(token, /^ecggw_[A-Za-z0-9_-]{43}$/);
      for (const s of replicas) assert.equal(await s.principalForToken(secretHash(token)), 'admin', 'every replica accepts it');
      assert.equal((await ensureAdminToken(sut.store, undefined, at(1))).kind, 'exists', 'a later start generates nothing');
    });
  });
}
