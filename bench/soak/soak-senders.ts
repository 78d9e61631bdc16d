import { sendDicomFile } from '../../src/cli/send-dicom';
import type { GatewayProcess } from '../../test/helpers/gateway-process';
import { sendMllpOnce } from './mllp-once';
import type { DicomEcgs, Hl7Ecgs, SoakEcg } from './soak-ecgs';

/** What the senders know of one ECG at the end. */
export interface SendRecord {
  ecg: SoakEcg;
  /** Sends of this id (the first one and every retry). */
  attempts: number;
  acked: boolean;
  /** Epoch ms of the ACK / successful C-STORE-RSP. */
  ackedAt?: number;
  lastError?: string;
}

export interface SenderPlan {
  hl7: Hl7Ecgs;
  dicom: DicomEcgs;
  hl7Senders: number;
  dicomSenders: number;
  maxSendAttempts: number;
  /** No new send or retry after this (epoch ms). */
  stopAt: number;
  /** The replicas alive right now (ports change when one is restarted). */
  live: () => GatewayProcess[];
}

const SEND_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Exponential backoff with jitter, 200 ms doubling up to 3 s, as an interface engine's resend timer. */
const backoffMs = (attempt: number) => Math.min(3_000, 200 * 2 ** Math.min(attempt - 1, 4)) * (0.5 + Math.random() / 2);

/**
 * Several concurrent senders, each taking the next ECG of its protocol and sending it to the
 * replicas in turn (a load balancer's round robin) until it is acknowledged: on a refused or reset
 * connection, a timeout or a negative answer it resends the same id with backoff to the next
 * live replica, as an interface engine does, up to maxSendAttempts.
 */
export async function runSenders(ecgs: readonly SoakEcg[], plan: SenderPlan, watch?: (records: readonly SendRecord[]) => void): Promise<SendRecord[]> {
  const records = ecgs.map((ecg): SendRecord => ({ ecg, attempts: 0, acked: false }));
  watch?.(records);
  const queues = { hl7: records.filter((r) => r.ecg.kind === 'hl7'), dicom: records.filter((r) => r.ecg.kind === 'dicom') };
  let turn = 0;

  async function sendOnce(record: SendRecord, gw: GatewayProcess): Promise<void> {
    const { ecg } = record;
    if (ecg.kind === 'hl7') {
      const ack = await sendMllpOnce(gw.mllpPort, plan.hl7.text(ecg.id), SEND_TIMEOUT_MS);
      if (ack.code !== 'AA' || ack.controlId !== ecg.id) throw new Error(`ACK ${ack.code} for ${ack.controlId}`);
    } else {
      const result = await sendDicomFile(plan.dicom.file(ecg.id), '127.0.0.1', gw.dicomPort, { timeoutMs: SEND_TIMEOUT_MS });
      if (result.outcome !== 'stored') throw new Error(`C-STORE ${result.outcome}${'statusHex' in result ? ` ${result.statusHex}` : ''}`);
      plan.dicom.done(ecg.id);
    }
  }

  async function deliver(record: SendRecord): Promise<void> {
    while (record.attempts < plan.maxSendAttempts && Date.now() < plan.stopAt) {
      const live = plan.live();
      if (live.length === 0) {
        await sleep(200); // every replica is being restarted: nothing to send to, not an attempt
        continue;
      }
      const gw = live[turn++ % live.length]!;
      record.attempts++;
      try {
        await sendOnce(record, gw);
        record.acked = true;
        record.ackedAt = Date.now();
        return;
      } catch (err: unknown) {
        record.lastError = err instanceof Error ? err.message : String(err);
        await sleep(backoffMs(record.attempts));
      }
    }
  }

  async function worker(queue: SendRecord[]): Promise<void> {
    for (let next = queue.shift(); next && Date.now() < plan.stopAt; next = queue.shift()) await deliver(next);
  }

  await Promise.all([
    ...Array.from({ length: queues.hl7.length > 0 ? plan.hl7Senders : 0 }, () => worker(queues.hl7)),
    ...Array.from({ length: queues.dicom.length > 0 ? plan.dicomSenders : 0 }, () => worker(queues.dicom)),
  ]);
  return records;
}
