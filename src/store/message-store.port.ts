import type {
  ClaimedMessage,
  IncomingMessage,
  MessageFilter,
  MessagePage,
  MessageRow,
  MessageState,
  ReceiveOutcome,
  TimelineEvent,
} from './message';

export interface Transition {
  to: MessageState;
  event: string;
  detail?: Readonly<Record<string, unknown>>;
  error?: { code: string; field?: string; message: string };
  summary?: Readonly<Record<string, unknown>>;
  results?: Readonly<Record<string, unknown>>;
  /** Keep the claim (e.g. a retry scheduled later) instead of releasing it. */
  retryAt?: Date;
}

/**
 * The gateway's durable store. Adapters: embedded SQLite (default) and PostgreSQL; both pass
 * `test/store/message-store.contract.ts`. Every method that precedes an acknowledgement has
 * committed durably when its promise resolves.
 */
export abstract class MessageStore {
  /** Applies versioned schema migrations. */
  abstract migrate(): Promise<void>;
  /** Commits raw bytes + a `received` row (or records a repeat). Throws STORE_UNAVAILABLE. */
  abstract receive(message: IncomingMessage): Promise<ReceiveOutcome>;
  /** Claims the oldest due row in `state` for `leaseMs`; expired claims of dead workers are claimable. */
  abstract claimNext(state: MessageState, workerId: string, leaseMs: number, now: Date): Promise<ClaimedMessage | undefined>;
  /**
   * Extends a held claim's lease to `now + leaseMs` (the pipeline's heartbeat while a stage runs).
   * Throws STORE_CLAIM_LOST when `claimToken` no longer holds the row in hand: taken over after
   * its lease ran out, or already released by a transition (a retry waiting for its time included).
   */
  abstract renewLease(id: string, claimToken: string, leaseMs: number, now: Date): Promise<void>;
  /** Moves a claimed row on and appends to its timeline; fails if the claim was lost. */
  abstract transition(id: string, claimToken: string, transition: Transition, now: Date): Promise<void>;
  /** Puts a failed/dead row back to `state` for reprocessing (API replay). */
  abstract replay(id: string, state: MessageState, now: Date): Promise<MessageRow>;
  abstract get(id: string): Promise<MessageRow | undefined>;
  abstract getRaw(id: string): Promise<Uint8Array | undefined>;
  abstract timeline(id: string): Promise<TimelineEvent[]>;
  abstract list(filter: MessageFilter): Promise<MessagePage>;
  abstract countByState(): Promise<Readonly<Record<MessageState, number>>>;
  /** True when a write can be committed now (for /health). */
  abstract isWritable(): Promise<boolean>;
  abstract close(): Promise<void>;
}
