import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { toGatewayError, type GatewayError } from '../errors/gateway-error';
import type { ClaimedMessage } from '../store/message';
import { MessageStore, type Transition } from '../store/message-store.port';
import { PIPELINE_STAGES, type PipelineStage } from './pipeline-stage';
import { MAX_TRANSIENT_ATTEMPTS, retryDelayMs } from './retry-policy';

/** Lets sockets and timers run between two messages: store calls resolve as microtasks and decoding is synchronous. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Moves messages through the registered stages: claims a row in `stage.from` (a lease, so a
 * row held by a process that died is taken over once the lease expires), runs the stage, and
 * applies its transition with the claim token. Bad input → `failed`; transient → retried with
 * backoff, then `dead`; internal → `dead`. Polls every PIPELINE_POLL_MS when idle; stops before
 * the store closes on shutdown, finishing the message in hand.
 */
@Injectable()
export class PipelineWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger: Logger;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: MessageStore,
    @Inject(PIPELINE_STAGES) private readonly stages: readonly PipelineStage[],
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ module: 'pipeline' });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.runLoop();
    this.logger.info({ workerId: this.workerId, stages: this.stages.map((s) => s.name), pollMs: this.config.PIPELINE_POLL_MS, leaseMs: this.config.PIPELINE_LEASE_MS }, 'pipeline worker started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.logger.info({ workerId: this.workerId }, 'pipeline worker stopped');
  }

  /** Claims one message for `stage` and moves it on; false when there was nothing to claim. */
  async step(stage: PipelineStage): Promise<boolean> {
    const claimed = await this.store.claimNext(stage.from, this.workerId, this.config.PIPELINE_LEASE_MS, new Date());
    if (!claimed) return false;
    const log = this.logger.child({ messageId: claimed.row.id, stage: stage.name });
    const transition = await this.runStage(stage, claimed);
    try {
      await this.store.transition(claimed.row.id, claimed.claimToken, transition, new Date());
      const level = transition.to === 'failed' || transition.to === 'dead' ? 'warn' : 'info';
      log[level]({ state: transition.to, attempts: claimed.row.attempts, ...(transition.error ? { errorCode: transition.error.code, errorField: transition.error.field } : {}), ...transition.detail }, `pipeline ${stage.name} done`);
    } catch (err: unknown) {
      const e = toGatewayError(err);
      if (e.code === 'STORE_CLAIM_LOST') log.warn({ errorCode: e.code }, 'claim lost before the transition; another worker has the message');
      else log.error({ errorCode: e.code }, 'transition could not be stored; the lease will expire and the message be retried');
    }
    return true;
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      let worked = false;
      for (const stage of this.stages) {
        if (!this.running) break;
        try {
          worked = (await this.step(stage)) || worked;
        } catch (err: unknown) {
          this.logger.error({ stage: stage.name, errorCode: toGatewayError(err).code }, 'pipeline step failed');
        }
        await yieldToIo();
      }
      if (!worked && this.running) await this.sleep(this.config.PIPELINE_POLL_MS);
    }
  }

  private async runStage(stage: PipelineStage, claimed: ClaimedMessage): Promise<Transition> {
    try {
      return await stage.run(claimed, new Date());
    } catch (err: unknown) {
      return this.failure(stage, claimed, toGatewayError(err));
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

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
