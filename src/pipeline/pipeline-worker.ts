import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { toGatewayError, type GatewayError } from '../errors/gateway-error';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { ClaimedMessage } from '../store/message';
import { MessageStore, type Transition } from '../store/message-store.port';
import { LeaseHeartbeat, leaseRenewalMs, type StageLease } from './lease-heartbeat';
import { PIPELINE_STAGES, type PipelineStage } from './pipeline-stage';
import { MAX_TRANSIENT_ATTEMPTS, retryDelayMs } from './retry-policy';

/** Lets sockets and timers run between two messages: store calls resolve as microtasks and decoding is synchronous. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Moves messages through the registered stages: each stage has its own claim loop with at most
 * PIPELINE_CONCURRENCY messages in hand, so scoring and delivery overlap, a slow EHR holds up
 * only deliveries, and concurrent scores share micro-batched runs. A loop claims a row in
 * `stage.from` (a lease, so a row held by a process that died is taken over once the lease
 * expires; the claim is the lock: one worker per message), runs the stage while a heartbeat
 * renews the lease (so a stage may outlast PIPELINE_LEASE_MS, e.g. a delivery to a slow EHR),
 * and applies its transition with the claim token; a claim found lost is not applied. The stage
 * is handed the heartbeat as its lease: one that finds it lapsed before an outside effect throws
 * STORE_CLAIM_LOST and nothing is applied (the message is taken over once the lease runs out). Bad input → `failed`; transient → retried with backoff, then
 * `dead`; internal → `dead`. A loop polls every PIPELINE_POLL_MS when idle and is woken at once
 * when this process moves a message into its state. On shutdown the loops stop claiming and
 * wait for the messages in hand, before the store closes.
 */
@Injectable()
export class PipelineWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger: Logger;
  private readonly renewMs: number;
  private running = false;
  private loops: Array<Promise<void>> = [];
  /** Wakes a stage loop that sleeps for want of work. */
  private readonly wakers = new Map<PipelineStage, () => void>();

  constructor(
    private readonly store: MessageStore,
    @Inject(PIPELINE_STAGES) private readonly stages: readonly PipelineStage[],
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly metrics: GatewayMetrics,
  ) {
    this.logger = root.child({ module: 'pipeline' });
    // Checked here, at start: a lease that cannot survive two late renewals is refused (CONFIG_INVALID).
    this.renewMs = leaseRenewalMs(config);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loops = this.stages.map((stage) => this.runLoop(stage));
    this.metrics.replicaStarted(this.workerId);
    this.logger.info(
      { workerId: this.workerId, stages: this.stages.map((s) => s.name), concurrency: this.config.PIPELINE_CONCURRENCY, pollMs: this.config.PIPELINE_POLL_MS, leaseMs: this.config.PIPELINE_LEASE_MS, leaseRenewMs: this.renewMs },
      'pipeline worker started',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers.values()) wake();
    await Promise.all(this.loops);
    this.logger.info({ workerId: this.workerId }, 'pipeline worker stopped');
  }

  /** Claims one message for `stage` and moves it on; false when there was nothing to claim. */
  async step(stage: PipelineStage): Promise<boolean> {
    const claim = await this.claim(stage);
    if (!claim) return false;
    await this.process(stage, claim.claimed, claim.claimedAt);
    return true;
  }

  /** Claims with the time the lease is counted from, which the heartbeat needs to know when it lapses. */
  private async claim(stage: PipelineStage): Promise<{ claimed: ClaimedMessage; claimedAt: Date } | undefined> {
    const claimedAt = new Date();
    const claimed = await this.store.claimNext(stage.from, this.workerId, this.config.PIPELINE_LEASE_MS, claimedAt);
    return claimed && { claimed, claimedAt };
  }

  /** Runs the stage on a claimed message and applies its transition; never rejects. */
  private async process(stage: PipelineStage, claimed: ClaimedMessage, claimedAt: Date): Promise<void> {
    const log = this.logger.child({ messageId: claimed.row.id, stage: stage.name });
    const started = performance.now();
    const heartbeat = LeaseHeartbeat.start(this.store, claimed, {
      leaseMs: this.config.PIPELINE_LEASE_MS,
      intervalMs: this.renewMs,
      claimedAt,
      onLost: (e) => log.warn({ errorCode: e.code }, 'claim lost while the stage runs; stopped renewing its lease'),
    }, log);
    let transition: Transition | undefined;
    try {
      transition = await this.runStage(stage, claimed, heartbeat);
    } finally {
      await heartbeat.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    if (transition === undefined) {
      // The stage found its claim lost or its lease lapsed and stopped before an outside effect: apply nothing, the lease decides.
      this.metrics.claimLost(stage.name);
      log.warn({ errorCode: 'STORE_CLAIM_LOST', renewals: heartbeat.renewals }, 'claim lost before the stage finished; nothing is applied');
      return;
    }
    if (heartbeat.lost) {
      // Another worker has the message (our lease lapsed: a stall longer than the lease, or the store was unreachable).
      this.metrics.claimLost(stage.name);
      log.warn({ errorCode: heartbeat.lost.code, renewals: heartbeat.renewals }, 'claim lost while the stage ran; its outcome is not applied');
      return;
    }
    try {
      await this.store.transition(claimed.row.id, claimed.claimToken, transition, new Date());
      this.metrics.stageFinished(stage.name, transition, seconds);
      const level = transition.to === 'failed' || transition.to === 'dead' ? 'warn' : 'info';
      log[level]({ state: transition.to, attempts: claimed.row.attempts, ...(transition.error ? { errorCode: transition.error.code, errorField: transition.error.field } : {}), ...transition.detail }, `pipeline ${stage.name} done`);
      for (const next of this.stages) if (next.from === transition.to) this.wakers.get(next)?.();
    } catch (err: unknown) {
      const e = toGatewayError(err);
      if (e.code === 'STORE_CLAIM_LOST') {
        this.metrics.claimLost(stage.name);
        log.warn({ errorCode: e.code }, 'claim lost before the transition; another worker has the message');
      } else log.error({ errorCode: e.code }, 'transition could not be stored; the lease will expire and the message be retried');
    }
  }

  /** One stage's claim loop: claims while fewer than PIPELINE_CONCURRENCY are in hand; drains them before it ends. */
  private async runLoop(stage: PipelineStage): Promise<void> {
    const inHand = new Set<Promise<void>>();
    const limit = this.config.PIPELINE_CONCURRENCY;
    while (this.running) {
      if (inHand.size >= limit) {
        await Promise.race(inHand);
        continue;
      }
      let claim: { claimed: ClaimedMessage; claimedAt: Date } | undefined;
      try {
        claim = await this.claim(stage);
      } catch (err: unknown) {
        this.logger.error({ stage: stage.name, errorCode: toGatewayError(err).code }, 'pipeline claim failed');
      }
      if (claim) {
        const work: Promise<void> = this.process(stage, claim.claimed, claim.claimedAt)
          .catch((err: unknown) => this.logger.error({ stage: stage.name, errorCode: toGatewayError(err).code }, 'pipeline step failed'))
          .finally(() => inHand.delete(work));
        inHand.add(work);
      }
      await yieldToIo();
      if (!claim && this.running) await this.sleep(stage, this.config.PIPELINE_POLL_MS);
    }
    await Promise.all(inHand);
  }

  /** The stage's transition; undefined when the stage threw STORE_CLAIM_LOST (it found its lease gone: nothing to apply). */
  private async runStage(stage: PipelineStage, claimed: ClaimedMessage, lease: StageLease): Promise<Transition | undefined> {
    try {
      return await stage.run(claimed, new Date(), lease);
    } catch (err: unknown) {
      const e = toGatewayError(err);
      if (e.code === 'STORE_CLAIM_LOST') return undefined;
      return this.failure(stage, claimed, e);
    }
  }

  private failure(stage: PipelineStage, claimed: ClaimedMessage, e: GatewayError): Transition {
    const error = e.field === undefined ? { code: e.code, message: e.message } : { code: e.code, field: e.field, message: e.message };
    const attempts = claimed.row.attempts;
    if (e.kind === 'transient' && attempts < MAX_TRANSIENT_ATTEMPTS) {
      return { to: stage.from, event: `${stage.name}-retry`, error, retryAt: new Date(Date.now() + retryDelayMs(attempts)), detail: { attempts } };
    }
    if (e.kind === 'transient' || e.kind === 'internal') return { to: 'dead', event: stage.name, error, detail: { attempts } };
    return { to: 'failed', event: stage.name, error };
  }

  /** Waits `ms`, or less when `stage`'s loop is woken (work arrived, or shutdown). */
  private sleep(stage: PipelineStage, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wakers = this.wakers;
      function done(): void {
        clearTimeout(timer);
        if (wakers.get(stage) === done) wakers.delete(stage);
        resolve();
      }
      wakers.set(stage, done);
    });
  }
}
