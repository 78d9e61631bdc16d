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
  /** Told once, when a renewal finds the claim gone (STORE_CLAIM_LOST). */
  onLost?: (err: GatewayError) => void;
}

/**
 * Keeps one claimed message's lease alive while a stage runs on it: renews it every
 * `intervalMs` (one renewal at a time, the next timed from the end of the last), so a slow
 * stage — a delivery to a slow EHR — never loses its claim to another replica, while a process
 * that dies stops renewing and its claim lapses after one lease. A renewal that finds the claim
 * gone stops the heartbeat and marks it `lost`: the stage's outcome must not be applied (the
 * store's transition refuses the stale token anyway). A renewal that fails for another reason
 * (store unreachable) is logged and tried again at the next beat; if the store stays away the
 * lease lapses, and the transition decides.
 */
export class LeaseHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private lostError: GatewayError | undefined;
  private count = 0;

  private constructor(
    private readonly store: MessageStore,
    private readonly claimed: ClaimedMessage,
    private readonly options: HeartbeatOptions,
    private readonly logger: Logger,
  ) {}

  /** Starts beating; the first renewal is one interval after the claim. */
  static start(store: MessageStore, claimed: ClaimedMessage, options: HeartbeatOptions, logger: Logger): LeaseHeartbeat {
    const heartbeat = new LeaseHeartbeat(store, claimed, options, logger);
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

  /** Stops beating and waits for a renewal in flight, so none lands after the stage's transition. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.renew().finally(() => {
        this.inFlight = undefined;
        this.schedule();
      });
    }, this.options.intervalMs);
  }

  /** One renewal; never rejects. */
  private async renew(): Promise<void> {
    const { row, claimToken } = this.claimed;
    try {
      await this.store.renewLease(row.id, claimToken, this.options.leaseMs, new Date());
      this.count++;
    } catch (err: unknown) {
      const e = toGatewayError(err);
      if (e.code === 'STORE_CLAIM_LOST') {
        this.stopped = true;
        this.lostError = e;
        this.options.onLost?.(e);
        return;
      }
      this.logger.warn({ errorCode: e.code, renewals: this.count }, 'lease renewal failed; trying again at the next beat');
    }
  }
}
