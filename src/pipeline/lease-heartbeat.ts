import type { Logger } from 'pino';
import type { Config } from '../config/config.schema';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import type { ClaimedMessage } from '../store/message';
import type { MessageStore } from '../store/message-store.port';

/**
 * How often a worker renews the lease of a message it works on: PIPELINE_LEASE_RENEW_MS, by
 * default a third of PIPELINE_LEASE_MS. The lease must cover three intervals, so two renewals
 * in a row can be late or fail (a slow store round trip, a GC pause, a failover) before the
 * claim lapses and another replica may take the message over. Throws CONFIG_INVALID otherwise.
 */
export function leaseRenewalMs(config: Pick<Config, 'PIPELINE_LEASE_MS' | 'PIPELINE_LEASE_RENEW_MS'>): number {
  const lease = config.PIPELINE_LEASE_MS;
  const renew = config.PIPELINE_LEASE_RENEW_MS ?? Math.floor(lease / 3);
  if (renew < 1) {
    throw new GatewayError('CONFIG_INVALID', `PIPELINE_LEASE_MS (${lease}) is too short to be renewed: it must be at least 3 ms`, { field: 'PIPELINE_LEASE_MS' });
  }
  if (3 * renew > lease) {
    throw new GatewayError(
      'CONFIG_INVALID',
      `PIPELINE_LEASE_RENEW_MS (${renew}) × 3 must not exceed PIPELINE_LEASE_MS (${lease}): a claim must survive two late renewals`,
      { field: 'PIPELINE_LEASE_RENEW_MS' },
    );
  }
  return renew;
}

export interface HeartbeatOptions {
  leaseMs: number;
  intervalMs: number;
  /**
   * How long one renewal may take before it counts as failed (default `intervalMs`): a renewal
   * hung on a dead connection must not hold up the next beat, nor `stop()`.
   */
  renewalTimeoutMs?: number;
  /** When the claim was taken (default: now); the lease first runs until this + `leaseMs`. */
  claimedAt?: Date;
  /** Told once, when a renewal finds the claim gone (STORE_CLAIM_LOST). A throw is logged, never propagated. */
  onLost?: (err: GatewayError) => void;
}

/**
 * What a stage is told about its claim: `isValid()` reads the clock when asked (a timer fires
 * late after a VM freeze, the clock does not lie), `signal` aborts once the claim is lost or the
 * lease has lapsed, with a STORE_CLAIM_LOST GatewayError as its reason.
 */
export interface StageLease {
  readonly signal: AbortSignal;
  isValid(): boolean;
}

/**
 * Keeps one claimed message's lease alive while a stage runs on it: renews it every
 * `intervalMs` (one renewal at a time, the next timed from the start of the last), so a slow
 * stage — a delivery to a slow EHR — never loses its claim to another replica, while a process
 * that dies stops renewing and its claim lapses after one lease. A renewal that finds the claim
 * gone stops the heartbeat and marks it `lost`: the stage's outcome must not be applied (the
 * store's transition refuses the stale token anyway). A renewal that fails for another reason
 * (store unreachable) or takes longer than `renewalTimeoutMs` is logged and tried again at the
 * next beat. The heartbeat knows until when the claim is surely ours (`validUntil`: the start of
 * the last successful renewal, or the claim, plus the lease); past it another replica may have
 * taken the message over, so the lease (`StageLease`) reports itself invalid and a stage with an
 * external effect (the EHR POST) must not start it.
 */
export class LeaseHeartbeat implements StageLease {
  private timer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private lostError: GatewayError | undefined;
  private count = 0;
  private validUntilMs: number;
  private readonly controller = new AbortController();

  private constructor(
    private readonly store: MessageStore,
    private readonly claimed: ClaimedMessage,
    private readonly options: HeartbeatOptions,
    private readonly logger: Logger,
  ) {
    this.validUntilMs = (options.claimedAt?.getTime() ?? Date.now()) + options.leaseMs;
  }

  /** Starts beating; the first renewal is one interval after the claim. */
  static start(store: MessageStore, claimed: ClaimedMessage, options: HeartbeatOptions, logger: Logger): LeaseHeartbeat {
    const heartbeat = new LeaseHeartbeat(store, claimed, options, logger);
    heartbeat.armExpiry();
    heartbeat.schedule();
    return heartbeat;
  }

  /** Set once a renewal found the claim taken over or released. */
  get lost(): GatewayError | undefined {
    return this.lostError;
  }

  /** Renewals that succeeded. */
  get renewals(): number {
    return this.count;
  }

  /** Until when (ms since the epoch) the claim is surely held: no other replica can have taken it before. */
  get validUntil(): number {
    return this.validUntilMs;
  }

  /** Aborts when the claim is lost or the lease lapsed; checked against the clock when read. */
  get signal(): AbortSignal {
    this.isValid();
    return this.controller.signal;
  }

  /** True while the claim is not known lost and its lease has not run out, by the clock now. */
  isValid(): boolean {
    if (!this.controller.signal.aborted && Date.now() >= this.validUntilMs) {
      this.invalidate(new GatewayError('STORE_CLAIM_LOST', 'the lease on this message lapsed (renewals failed or the process stalled); another worker may have it'));
    }
    return !this.controller.signal.aborted;
  }

  /**
   * Stops beating and waits for a renewal in flight, so none lands after the stage's transition;
   * the wait is bounded by the renewal timeout (a renewal still hung then is left behind: at worst
   * it renews a lease the transition has already released, which the store refuses).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    await this.inFlight;
  }

  /**
   * The next beat, `intervalMs` after the start of the last renewal (one at a time): a renewal
   * that hung until its timeout costs no more than one interval, so the lease's three intervals
   * still outlast two failed renewals.
   */
  private schedule(lastTookMs = 0): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const started = Date.now();
      this.inFlight = this.renew().finally(() => {
        this.inFlight = undefined;
        this.schedule(Date.now() - started);
      });
    }, Math.max(0, this.options.intervalMs - lastTookMs));
  }

  /** Aborts the signal when `validUntil` passes (late after a freeze: `isValid()` reads the clock itself). */
  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    if (this.stopped || this.controller.signal.aborted) return;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      if (this.isValid()) this.armExpiry(); // renewed meanwhile
    }, Math.max(0, this.validUntilMs - Date.now()));
    this.expiryTimer.unref();
  }

  private invalidate(reason: GatewayError): void {
    if (this.controller.signal.aborted) return;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.controller.abort(reason);
  }

  /** One renewal, bounded by the renewal timeout; never rejects. */
  private async renew(): Promise<void> {
    const { row, claimToken } = this.claimed;
    const startedAt = Date.now();
    try {
      await withTimeout(this.store.renewLease(row.id, claimToken, this.options.leaseMs, new Date(startedAt)), this.options.renewalTimeoutMs ?? this.options.intervalMs);
      this.count++;
      // The store's lease runs from the time we sent it, at the latest: count from our start.
      if (startedAt + this.options.leaseMs > this.validUntilMs && !this.controller.signal.aborted) {
        this.validUntilMs = startedAt + this.options.leaseMs;
        this.armExpiry();
      }
    } catch (err: unknown) {
      const e = toGatewayError(err);
      if (e.code === 'STORE_CLAIM_LOST') {
        this.stopped = true;
        this.lostError = e;
        this.invalidate(e);
        try {
          this.options.onLost?.(e);
        } catch (thrown: unknown) {
          this.logger.error({ errorCode: toGatewayError(thrown).code }, 'lease heartbeat onLost callback threw; ignored');
        }
        return;
      }
      this.logger.warn({ errorCode: e.code, renewals: this.count }, 'lease renewal failed; trying again at the next beat');
    }
  }
}

/**
 * Settles with `work`, or rejects with STORE_UNAVAILABLE after `ms`. Hand-written: a plain
 * Promise.race whose timer is cleared, and a late rejection of `work` is swallowed (it no longer counts).
 */
function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayError('STORE_UNAVAILABLE', `the lease renewal took longer than ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
