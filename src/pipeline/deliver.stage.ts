import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import { GatewayError } from '../errors/gateway-error';
import { EhrClient, type EhrOutcome } from '../fhir/delivery/ehr-client.port';
import { decideDelivery, type DeliveryDecision, type RetrySettings } from '../fhir/delivery/retry-policy';
import { FHIR_DELIVERY_SETTINGS, FHIR_MAPPINGS, type FhirDeliverySettings } from '../fhir/fhir-tokens';
import { buildEcgBundle } from '../fhir/mapping/build-ecg-bundle';
import type { FhirMappings } from '../fhir/mapping/fhir-mappings';
import { ecgKeyFor } from '../fhir/mapping/resource-ids';
import { parseScoreResults } from '../fhir/score-results.schema';
import type { ClaimedMessage, TimelineEvent } from '../store/message';
import { MessageStore, type Transition } from '../store/message-store.port';
import type { StageLease } from './lease-heartbeat';
import type { PipelineStage } from './pipeline-stage';

/**
 * scored → delivered: re-decodes the raw bytes, maps the ECG and the stored model results to one
 * transaction Bundle (deterministic identifiers, conditional creates) and POSTs it to the EHR.
 * Every attempt is a `delivery-attempt` event on the timeline. 2xx → delivered with the returned
 * locations; a transient failure → stays scored with retryAt (backoff, Retry-After), within
 * DELIVERY_MAX_ATTEMPTS and DELIVERY_MAX_AGE_MS counted since the last replay; another 4xx → dead
 * with the EHR's OperationOutcome in the results. The worker's claim is the lock, so one
 * message is never delivered by two workers at once: a delivery whose lease is no longer valid
 * right before the POST throws STORE_CLAIM_LOST instead, and the worker applies nothing.
 */
@Injectable()
export class DeliverStage implements PipelineStage {
  readonly name = 'deliver';
  readonly from = 'scored' as const;
  private readonly logger: Logger;
  private readonly retry: RetrySettings;

  constructor(
    private readonly ehr: EhrClient,
    private readonly store: MessageStore,
    @Inject(FHIR_MAPPINGS) private readonly mappings: FhirMappings,
    @Inject(FHIR_DELIVERY_SETTINGS) private readonly settings: FhirDeliverySettings,
    @Inject(CONFIG) config: Config,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ module: 'fhir.deliver' });
    this.retry = {
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
      maxAgeMs: config.DELIVERY_MAX_AGE_MS,
      baseDelayMs: config.DELIVERY_BACKOFF_BASE_MS,
      maxDelayMs: config.DELIVERY_BACKOFF_MAX_MS,
    };
  }

  async run(claimed: ClaimedMessage, now: Date, lease?: StageLease): Promise<Transition> {
    const { row } = claimed;
    const timeline = await this.store.timeline(row.id);
    const episode = sinceLastReplay(timeline);
    const previous = episode.filter((e) => e.event === 'delivery-attempt');
    const attempt = previous.length + 1;
    const firstAttemptAt = previous[0] ? new Date(previous[0].at) : now;
    // The score event's time is when the results were produced: the same on every retry and replay.
    const scoredAt = [...timeline].reverse().find((e) => e.event === 'score')?.at ?? now.toISOString();

    const mapStarted = performance.now();
    const record = decodeEcg({ bytes: claimed.raw });
    const { bundle, warnings } = buildEcgBundle(
      {
        record,
        ecgKey: ecgKeyFor(record, { sha256: row.sha256, isNewVersion: row.versionOf !== undefined }),
        models: parseScoreResults(row.results),
        patientReference: this.settings.patientReference,
        sourceTimeZone: this.settings.sourceTimeZone,
        gatewayVersion: this.settings.gatewayVersion,
        recordedAt: scoredAt,
      },
      this.mappings,
    );

    const mapMs = Math.round((performance.now() - mapStarted) * 10) / 10;
    // Last moment to hold back: past its lease another replica may have the message and POST it too
    // (a VM freeze longer than the lease, renewals failing while the store is away). The POST itself
    // is not cancelled once sent; that overlap is bounded by FHIR_TIMEOUT_MS.
    if (lease && !lease.isValid()) {
      this.logger.warn({ messageId: row.id, attempt }, 'claim lost before delivery');
      throw lease.signal.reason instanceof GatewayError ? lease.signal.reason : new GatewayError('STORE_CLAIM_LOST', 'the claim on this message was lost before delivery');
    }
    const started = performance.now();
    const outcome = await this.ehr.postTransaction(bundle);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const decidedAt = new Date();
    const decision = decideDelivery(outcome, { attempt, firstAttemptAt, now: decidedAt, settings: this.retry, random: Math.random() });
    const detail = { attempt, entries: bundle.entry?.length ?? 0, mapMs, durationMs, ...outcomeDetail(outcome), ...(warnings.length > 0 ? { warnings: warnings.map((w) => w.code) } : {}) };
    this.logger.debug({ messageId: row.id, attempt, action: decision.action, durationMs }, 'delivery attempt');
    return transitionFor(decision, outcome, detail, attempt, decidedAt, this.settings.target);
  }
}

/** Timeline events since the most recent replay (a replay starts a new delivery episode). */
function sinceLastReplay(timeline: readonly TimelineEvent[]): TimelineEvent[] {
  let start = 0;
  timeline.forEach((e, i) => {
    if (e.event === 'replay') start = i + 1;
  });
  return timeline.slice(start);
}

/** What an attempt came to, without patient data: status, kinds, counts. */
function outcomeDetail(outcome: EhrOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'accepted':
      return {
        status: outcome.status,
        created: outcome.entryStatuses.filter((s) => s.startsWith('201')).length,
        existing: outcome.entryStatuses.filter((s) => s.startsWith('200')).length,
      };
    case 'http-error':
      return { status: outcome.status, ...(outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}) };
    case 'network-error':
      return { network: outcome.reason };
    case 'auth-error':
      return { auth: outcome.transient ? 'unavailable' : 'refused', ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
  }
}

/** `target` (the EHR base URL, or `embedded`) is kept with the outcome so the console links the resources where they were written. */
function transitionFor(decision: DeliveryDecision, outcome: EhrOutcome, detail: Record<string, unknown>, attempt: number, at: Date, target: string): Transition {
  const delivery = { attempts: attempt, lastAttemptAt: at.toISOString(), target };
  switch (decision.action) {
    case 'delivered':
      return {
        to: 'delivered',
        event: 'delivery-attempt',
        detail: { ...detail, locations: decision.locations.length },
        results: { delivery: { ...delivery, state: 'delivered', locations: decision.locations } },
      };
    case 'retry':
      return {
        to: 'scored',
        event: 'delivery-attempt',
        detail: { ...detail, delayMs: decision.delayMs },
        error: { code: decision.code, message: decision.message },
        retryAt: decision.retryAt,
        results: { delivery: { ...delivery, state: 'retrying', nextAttemptAt: decision.retryAt.toISOString() } },
      };
    case 'dead': {
      const operationOutcome = outcome.kind === 'http-error' ? outcome.outcome : undefined;
      return {
        to: 'dead',
        event: 'delivery-attempt',
        detail,
        error: { code: decision.code, ...(decision.field ? { field: decision.field } : {}), message: decision.message },
        results: { delivery: { ...delivery, state: 'dead', ...(operationOutcome ? { operationOutcome } : {}) } },
      };
    }
  }
}
