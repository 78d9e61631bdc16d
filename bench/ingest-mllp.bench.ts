import { join } from 'node:path';
import { startGateway } from '../test/helpers/gateway-process';
import { hl7Fixture } from '../test/helpers/hl7-messages';
import { benchHeader, formatTable, latencyStats } from './bench-header';
import { framedHl7, openRawMllp } from './raw-mllp-client';

const FIXTURE = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');

export interface IngestBenchRow extends Record<string, string | number> {
  pipeline: string;
  senders: number;
  messages: number;
  'msg/s': number;
  'MB/s': number;
  'ACK p50 ms': number;
  'ACK p95 ms': number;
  'ACK p99 ms': number;
  'ACK max ms': number;
}

/** The MA 12-lead fixture under a distinct MSH-10, MLLP-framed once up front. */
function framedMessages(prefix: string, n: number): Buffer[] {
  const text = hl7Fixture(FIXTURE);
  return Array.from({ length: n }, (_, i) => framedHl7(text, `${prefix}-${i}`));
}

/**
 * A lean MLLP sender: one message, wait for its ACK, next. The bench measures the gateway, so the
 * client does no HL7 parsing (node-hl7-client re-parses every 190 kB message it sends, which on a
 * shared CPU would be measured as gateway latency); the e2e tests use node-hl7-client.
 */
async function sendSequentially(port: number, frames: readonly Buffer[], latencies: number[]): Promise<void> {
  const client = await openRawMllp(port);
  try {
    for (const frame of frames) {
      const started = process.hrtime.bigint();
      const ack = await client.send(frame);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (!ack.includes('\rMSA|AA|')) throw new Error(`not accepted: ${ack.split('\r')[1] ?? ack}`);
    }
  } finally {
    client.close();
  }
}

/**
 * MLLP ingest against the real gateway process (fresh DATA_DIR, SQLite WAL + synchronous=FULL):
 * a fixed number of 194 kB HL7 ECG messages from 1 and from 8 concurrent connections; throughput
 * and ACK latency (send → AA: MSH checks, the full validation decode on a DecodePool thread and
 * the durable commit as `decoded`). Twice: with the pipeline idle (ingest alone: the worker finds
 * nothing at start and sleeps PIPELINE_POLL_MS = 1 h) and with the later stages (score, deliver)
 * working through the same messages in the same process, as in production.
 */
export async function run(messages = 240, senderCounts: readonly number[] = [1, 8]): Promise<IngestBenchRow[]> {
  const rows: IngestBenchRow[] = [];
  rows.push(...(await scenario('idle', '3600000', messages, senderCounts)));
  rows.push(...(await scenario('running', '20', messages, senderCounts)));
  return rows;
}

async function scenario(pipeline: string, pollMs: string, messages: number, senderCounts: readonly number[]): Promise<IngestBenchRow[]> {
  const gw = await startGateway({ env: { LOG_LEVEL: 'warn', PIPELINE_POLL_MS: pollMs } });
  const rows: IngestBenchRow[] = [];
  try {
    const size = framedMessages('SIZE', 1)[0]!.length;
    await sendSequentially(gw.mllpPort, framedMessages('WARMUP', 20), []); // JIT, SQLite pages, decode threads
    for (const senders of senderCounts) {
      const perSender = Math.ceil(messages / senders);
      const batches = Array.from({ length: senders }, (_, s) => framedMessages(`B${senders}-S${s}`, perSender));
      const latencies: number[] = [];
      const started = process.hrtime.bigint();
      await Promise.all(batches.map((frames) => sendSequentially(gw.mllpPort, frames, latencies)));
      const ingestS = Number(process.hrtime.bigint() - started) / 1e9;
      const total = senders * perSender;
      const lat = latencyStats(latencies);
      rows.push({
        pipeline,
        senders,
        messages: total,
        'msg/s': Math.round(total / ingestS),
        'MB/s': (total * size) / ingestS / 1e6,
        'ACK p50 ms': lat.p50,
        'ACK p95 ms': lat.p95,
        'ACK p99 ms': lat.p99,
        'ACK max ms': lat.max,
      });
    }
  } finally {
    await gw.stop();
  }
  return rows;
}

export const title = 'MLLP ingest, real gateway process (ORU^R01 MA 12-lead, 194 kB, SQLite WAL synchronous=FULL)';

if (require.main === module) {
  void run().then((rows) => {
    console.log(benchHeader());
    console.log(formatTable(title, rows));
  });
}
