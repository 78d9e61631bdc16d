import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { GatewayError, isGatewayError } from '../../errors/gateway-error';
import type { IncomingMessage, MessageState } from '../message';
import type { Transition } from '../message-store.port';
import { applySqliteMigrations } from './sqlite-migrations';
import { SqliteWrites } from './sqlite-writes';

export interface WriterOptions {
  file: string;
  groupCommit: boolean;
}

/** One write for the writer thread; `id` pairs it with its answer. */
export type WriterRequest = { id: number } & (
  | { op: 'migrate'; now: Date }
  | { op: 'receive'; message: IncomingMessage }
  | { op: 'claimNext'; state: MessageState; workerId: string; leaseMs: number; now: Date }
  | { op: 'renewLease'; messageId: string; claimToken: string; leaseMs: number; now: Date }
  | { op: 'transition'; messageId: string; claimToken: string; transition: Transition; now: Date }
  | { op: 'replay'; messageId: string; state: MessageState; now: Date }
  | { op: 'probe'; now: Date }
  | { op: 'settings' }
  | { op: 'close' }
);

export type WriterResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: string; field?: string; message: string } };

/** GatewayErrors (claim lost, not found, state conflict) travel as they are; driver errors are STORE_UNAVAILABLE. */
function errorOf(err: unknown): { code: string; field?: string; message: string } {
  const e = isGatewayError(err) ? err : new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (${err instanceof Error ? err.message : 'unknown error'})`);
  return e.field === undefined ? { code: e.code, message: e.message } : { code: e.code, field: e.field, message: e.message };
}

/** Opens the store's one read-write connection: WAL, and synchronous=FULL so a commit survives power loss. */
export function openWriteConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: the WAL is fsynced at every commit, so a resolved receive() survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The writer thread: owns the read-write connection and runs every write in arrival order.
 * Requests that arrive while a commit is being fsynced queue up in the port; the next turn takes
 * them all, and consecutive receives go into one transaction — group commit that grows with
 * the load, with no timer and no added latency when idle.
 */
function serve(options: WriterOptions): void {
  const port = parentPort;
  if (!port) return;
  let db: Database.Database | undefined;
  let writes: SqliteWrites | undefined;
  let openError: unknown;
  try {
    db = openWriteConnection(options.file);
    writes = new SqliteWrites(db);
  } catch (err: unknown) {
    openError = err;
  }
  const queue: WriterRequest[] = [];
  let scheduled = false;
  const reply = (r: WriterResponse): void => port.postMessage(r);
  const fail = (req: WriterRequest, err: unknown): void => reply({ id: req.id, ok: false, error: errorOf(err) });

  const one = (req: WriterRequest): unknown => {
    if (!db || !writes || !db.open) throw openError ?? new Error('the database connection is closed');
    switch (req.op) {
      case 'migrate':
        return applySqliteMigrations(db, () => req.now.toISOString());
      case 'receive':
        return writes.receiveBatch([req.message])[0];
      case 'claimNext':
        return writes.claimNext(req.state, req.workerId, req.leaseMs, req.now);
      case 'renewLease':
        return writes.renewLease(req.messageId, req.claimToken, req.leaseMs, req.now);
      case 'transition':
        return writes.transition(req.messageId, req.claimToken, req.transition, req.now);
      case 'replay':
        return writes.replay(req.messageId, req.state, req.now);
      case 'probe':
        return writes.probe(req.now);
      case 'settings':
        return { journalMode: db.pragma('journal_mode', { simple: true }), synchronous: db.pragma('synchronous', { simple: true }) };
      case 'close':
        db.close();
        return undefined;
    }
  };

  const drain = (): void => {
    scheduled = false;
    const batch = queue.splice(0);
    for (let i = 0; i < batch.length; ) {
      const req = batch[i]!;
      if (req.op === 'receive' && options.groupCommit && writes && db?.open) {
        let j = i;
        while (j < batch.length && batch[j]!.op === 'receive') j++;
        const receives = batch.slice(i, j) as Array<Extract<WriterRequest, { op: 'receive' }>>;
        try {
          const outcomes = writes.receiveBatch(receives.map((r) => r.message));
          receives.forEach((r, k) => reply({ id: r.id, ok: true, value: outcomes[k] }));
        } catch (err: unknown) {
          for (const r of receives) fail(r, err);
        }
        i = j;
        continue;
      }
      try {
        reply({ id: req.id, ok: true, value: one(req) });
      } catch (err: unknown) {
        fail(req, err);
      }
      i++;
    }
  };

  port.on('message', (req: WriterRequest) => {
    queue.push(req);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
}

serve(workerData as WriterOptions);
