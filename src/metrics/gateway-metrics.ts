import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchObserver, BatcherStats } from '../inference/micro-batcher';
import { MESSAGE_STATES, type IngestProtocol, type MessageState } from '../store/message';
import { MessageStore } from '../store/message-store.port';

const PREFIX = 'ecg_gateway_';

/** What the pipeline worker applied after a stage: enough to label, nothing about the patient. */
export interface StageTransition {
  to: MessageState;
  event: string;
  error?: { code: string };
}

/** One loaded model's micro-batcher: counters read at scrape time, runs observed as they happen (a `LoadedModel` is one). */
export interface ModelStatsSource {
  readonly identity: { readonly id: string };
  stats(): Readonly<BatcherStats>;
  observeRuns?(observer: BatchObserver): () => void;
}

/** The delivery attempt's result, from the state the deliver stage moved the message to. */
function deliveryOutcome(to: MessageState): 'delivered' | 'retry' | 'dead' | 'failed' {
  if (to === 'delivered' || to === 'dead' || to === 'failed') return to;
  return 'retry';
}

/**
 * The gateway's Prometheus metrics, in a Registry of its own (not prom-client's global one, so
 * two gateways in one process never collide). Label values are only protocol, state, stage,
 * model id, outcome, error code and the replica's worker id: never an identifier from a message.
 *
 * With several replicas, Prometheus scrapes each one (adding its `instance` label): counters and
 * histograms count this process's work (sum them over replicas), `replica_info` tells the
 * series apart, and `queue_depth` reads the shared store, so every replica reports the same
 * numbers (take max, never the sum). deploy/OPERATIONS.md, "What to monitor".
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly received: Counter<'protocol'>;
  private readonly acknowledged: Counter<'protocol'>;
  private readonly refused: Counter<'protocol' | 'code'>;
  private readonly stageSeconds: Histogram<'stage' | 'outcome'>;
  private readonly deliveries: Counter<'outcome'>;
  private readonly deadLetters: Counter<'stage' | 'code'>;
  private readonly claimsLost: Counter<'stage'>;
  private readonly replicaInfo: Gauge<'worker_id'>;
  private readonly modelRunSeconds: Histogram<'model'>;
  private readonly modelBatchSize: Histogram<'model'>;
  private readonly unobserve: Array<() => void> = [];
  private modelSources: () => readonly ModelStatsSource[] = () => [];
  /** This scrape's one queue-depth query (undefined: the store did not answer); prom-client collects metrics concurrently. */
  private counts: Promise<Readonly<Record<MessageState, number>> | undefined> = Promise.resolve(undefined);

  constructor(private readonly store: MessageStore) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.received = new Counter({ name: `${PREFIX}messages_received_total`, help: 'Messages received, per ingest protocol (acknowledged + refused).', labelNames: ['protocol'], registers });
    this.acknowledged = new Counter({ name: `${PREFIX}messages_acknowledged_total`, help: 'Messages committed and accepted (AA/CA, C-STORE success, STOW-RS stored instance).', labelNames: ['protocol'], registers });
    this.refused = new Counter({ name: `${PREFIX}messages_refused_total`, help: 'Messages refused at the edge (NAK, C-STORE failure status, STOW-RS failed instance), by error code.', labelNames: ['protocol', 'code'], registers });
    this.stageSeconds = new Histogram({
      name: `${PREFIX}stage_duration_seconds`,
      help: 'Pipeline stage run time, by stage and the state the message moved to.',
      labelNames: ['stage', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.deliveries = new Counter({ name: `${PREFIX}delivery_attempts_total`, help: 'FHIR delivery attempts, by outcome (delivered, retry, dead, failed).', labelNames: ['outcome'], registers });
    this.deadLetters = new Counter({ name: `${PREFIX}dead_letters_total`, help: 'Messages moved to dead, by stage and error code.', labelNames: ['stage', 'code'], registers });
    this.claimsLost = new Counter({
      name: `${PREFIX}claims_lost_total`,
      help: 'Stage runs whose claim was taken over by another worker before their transition (outcome not applied), by stage.',
      labelNames: ['stage'],
      registers,
    });
    this.replicaInfo = new Gauge({
      name: `${PREFIX}replica_info`,
      help: 'Always 1; worker_id names this replica (host:pid:random), as in the claimed_by of the rows it works on.',
      labelNames: ['worker_id'],
      registers,
    });
    this.modelRunSeconds = new Histogram({
      name: `${PREFIX}model_run_seconds`,
      help: 'Time of each model session run (one micro-batch), per model id.',
      labelNames: ['model'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.modelBatchSize = new Histogram({
      name: `${PREFIX}model_batch_size`,
      help: 'ECGs in each model session run (one micro-batch), per model id.',
      labelNames: ['model'],
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    const counts = (): Promise<Readonly<Record<MessageState, number>> | undefined> => this.counts;
    new Gauge({
      name: `${PREFIX}store_up`,
      help: "1 when the store answered this scrape's queue-depth query, else 0.",
      registers,
      async collect() {
        this.set((await counts()) ? 1 : 0);
      },
    });
    new Gauge({
      name: `${PREFIX}queue_depth`,
      help: 'Messages in the store, per state, read at scrape time. Shared by every replica on one database: aggregate with max, not sum.',
      labelNames: ['state'],
      registers,
      async collect() {
        // A store that cannot answer must not take the whole scrape down (the other series are
        // what an operator needs then): queue_depth is left out and store_up is 0.
        const byState = await counts();
        this.reset();
        if (byState) for (const state of MESSAGE_STATES) this.set({ state }, byState[state]);
      },
    });
    this.modelCounters();
  }

  /** One message answered at the edge: acknowledged, or refused with the gateway's error code (catalogue `ErrorCode`). */
  messageAnswered(protocol: IngestProtocol, refusedCode?: string): void {
    this.received.inc({ protocol });
    if (refusedCode === undefined) this.acknowledged.inc({ protocol });
    else this.refused.inc({ protocol, code: refusedCode });
  }

  /** A pipeline stage's transition was stored; delivery attempts and dead letters are read off it. */
  stageFinished(stage: string, transition: StageTransition, seconds: number): void {
    this.stageSeconds.observe({ stage, outcome: transition.to }, seconds);
    if (transition.event === 'delivery-attempt') this.deliveries.inc({ outcome: deliveryOutcome(transition.to) });
    if (transition.to === 'dead') this.deadLetters.inc({ stage, code: transition.error?.code ?? 'unknown' });
  }

  /** A stage's claim was taken over before its outcome could be stored. */
  claimLost(stage: string): void {
    this.claimsLost.inc({ stage });
  }

  /** Names this replica's series: its pipeline worker id. */
  replicaStarted(workerId: string): void {
    this.replicaInfo.reset();
    this.replicaInfo.set({ worker_id: workerId }, 1);
  }

  /**
   * Where the model counters come from (the InferenceModule registers its loaded models, a
   * fixed set after start); each model's runs are observed into the run-time and batch-size
   * histograms from now on.
   */
  watchModels(source: () => readonly ModelStatsSource[]): void {
    this.modelSources = source;
    for (const stop of this.unobserve.splice(0)) stop();
    for (const m of source()) {
      const model = m.identity.id;
      const stop = m.observeRuns?.((run) => {
        this.modelRunSeconds.observe({ model }, run.seconds);
        this.modelBatchSize.observe({ model }, run.size);
      });
      if (stop) this.unobserve.push(stop);
    }
  }

  /** The text exposition (Prometheus 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    this.counts = this.store.countByState().catch(() => undefined);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Model run time and batch sizes, from each micro-batcher's running totals at scrape time:
   * rate(run_seconds)/rate(runs) is the mean run time, rate(items)/rate(runs) the mean batch.
   */
  private modelCounters(): void {
    const sources = (): readonly ModelStatsSource[] => this.modelSources();
    const registers = [this.registry];
    // Running totals kept by the batchers: a counter is set to them at scrape time.
    const total = (name: string, help: string, read: (s: Readonly<BatcherStats>) => number): void => {
      new Counter({
        name: `${PREFIX}${name}`,
        help,
        labelNames: ['model'],
        registers,
        collect() {
          this.reset();
          for (const m of sources()) this.inc({ model: m.identity.id }, read(m.stats()));
        },
      });
    };
    total('model_runs_total', 'Model session runs (micro-batches), per model id.', (s) => s.runs);
    total('model_batched_items_total', 'ECGs scored through model session runs, per model id.', (s) => s.items);
    total('model_run_seconds_total', 'Time spent in model session runs, per model id.', (s) => s.runSeconds);
    new Gauge({
      name: `${PREFIX}model_largest_batch`,
      help: 'Largest micro-batch run so far, per model id.',
      labelNames: ['model'],
      registers,
      collect() {
        for (const m of sources()) this.set({ model: m.identity.id }, m.stats().largestBatch);
      },
    });
  }
}
