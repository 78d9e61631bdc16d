import { loadFhirMappings } from '../src/fhir/load-fhir-mappings';
import { allMessages, getMessage } from '../test/helpers/messages-api';
import { startFhirServer, type FhirServerProcess } from '../test/helpers/fhir-server-process';
import { startGateway, type GatewayProcess } from '../test/helpers/gateway-process';
import { hl7Fixture } from '../test/helpers/hl7-messages';
import { benchHeader, formatTable, latencyStats } from './bench-header';
import { HL7_FIXTURE, MODEL_DIR, rawModelTime } from './raw-model-time';
import { framedHl7, openRawMllp } from './raw-mllp-client';

type Row = Record<string, string | number>;

const FIXTURE = HL7_FIXTURE;
const LATENCY_N = 30;
const THROUGHPUT_N = 60;
const WARMUP_N = 3;

export const title =
  'end to end over MLLP: ACK → FHIR 2xx (real gateway → FHIR server process, one 12-lead ECG at a time), sustained throughput, ' +
  'beside the raw session.run time of the same models in the same run';

const now = (): number => performance.timeOrigin + performance.now();

/** The MA 12-lead fixture under distinct MSH-10s, MLLP-framed. */
function frames(prefix: string, n: number): Array<{ id: string; frame: Buffer }> {
  const text = hl7Fixture(FIXTURE);
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, frame: framedHl7(text, `${prefix}-${i}`) }));
}

export async function run(): Promise<Row[]> {
  const raw = await rawModelTime();
  const ecgSystem = loadFhirMappings()['identifier-systems'].ecg;
  let fhir: FhirServerProcess | undefined;
  let gw: GatewayProcess | undefined;
  try {
    fhir = await startFhirServer();
    gw = await startGateway({ env: { MODEL_DIR, FHIR_BASE_URL: fhir.baseUrl, PIPELINE_POLL_MS: '5', LOG_LEVEL: 'warn', FHIR_SOURCE_TIMEZONE: 'UTC' } });
    const client = await openRawMllp(gw.mllpPort);
    const committed = (id: string): Promise<number> => fhir!.committedAt(ecgSystem, `hl7:ECGCART/CARDIOLOGY/${id}`, 60_000);
    try {
      for (const { id, frame } of frames('E2E-WARM', WARMUP_N)) {
        await client.send(frame);
        await committed(id);
      }
      const ackToFhir: number[] = [];
      const ackMs: number[] = [];
      for (const { id, frame } of frames('E2E-LAT', LATENCY_N)) {
        const sent = now();
        const ack = await client.send(frame);
        const acked = now();
        if (!/\|AA\|/.test(ack)) throw new Error(`${id}: ${ack}`);
        ackMs.push(acked - sent);
        ackToFhir.push((await committed(id)) - acked);
      }
      const burst = frames('E2E-TPUT', THROUGHPUT_N);
      const started = now();
      for (const { frame } of burst) await client.send(frame);
      const commits = await Promise.all(burst.map(({ id }) => committed(id)));
      const elapsedS = (Math.max(...commits) - started) / 1000;

      // Where the time goes, from the timelines of the latency run (stage timings the gateway records).
      const latIds = new Set(frames('E2E-LAT', LATENCY_N).map((f) => f.id));
      const timing = { score: [] as number[], map: [] as number[], ehr: [] as number[] };
      for (const m of (await allMessages(gw.baseUrl)).filter((x) => x.sourceId !== undefined && latIds.has(x.sourceId))) {
        for (const e of (await getMessage(gw.baseUrl, m.id)).timeline ?? []) {
          if (e.event === 'score') timing.score.push(Number(e.detail?.['scoreMs']));
          if (e.event === 'delivery-attempt') {
            timing.map.push(Number(e.detail?.['mapMs']));
            timing.ehr.push(Number(e.detail?.['durationMs']));
          }
        }
      }
      const lat = latencyStats(ackToFhir);
      const ack = latencyStats(ackMs);
      const rawPerS = 1000 / raw.totalMs;
      const perS = THROUGHPUT_N / elapsedS;
      const models = raw.perModel.map((m) => m.id).join(' + ');
      return [
        ...raw.perModel.map((m) => ({ measure: `raw session.run batch 1: ${m.id}`, n: 20, 'p50 ms': m.ms, 'p95 ms': '', 'p99 ms': '', 'max ms': '', 'ECGs/s': Math.round(1000 / m.ms), note: '' })),
        { measure: `raw model time per ECG (${models})`, n: 20, 'p50 ms': raw.totalMs, 'p95 ms': '', 'p99 ms': '', 'max ms': '', 'ECGs/s': Math.round(rawPerS), note: 'sum of the batch-1 medians' },
        { measure: 'MLLP ACK (send → AA)', n: LATENCY_N, 'p50 ms': ack.p50, 'p95 ms': ack.p95, 'p99 ms': ack.p99, 'max ms': ack.max, 'ECGs/s': '', note: '' },
        {
          measure: 'ACK → FHIR 2xx, one ECG at a time',
          n: LATENCY_N,
          'p50 ms': lat.p50,
          'p95 ms': lat.p95,
          'p99 ms': lat.p99,
          'max ms': lat.max,
          'ECGs/s': '',
          note: `model time + ${(lat.p50 - raw.totalMs).toFixed(1)} ms (aim ≤ + 50 ms)`,
        },
        ...(
          [
            ['  of which score stage (decode, preprocess, infer)', timing.score],
            ['  of which deliver: decode + map to FHIR', timing.map],
            ['  of which deliver: transaction round trip to the EHR', timing.ehr],
          ] as const
        ).map(([measure, ms]) => {
          const s = latencyStats(ms);
          return { measure, n: ms.length, 'p50 ms': s.p50, 'p95 ms': s.p95, 'p99 ms': s.p99, 'max ms': s.max, 'ECGs/s': '', note: '' };
        }),
        {
          measure: `sustained: ${THROUGHPUT_N} ECGs back to back, first send → last FHIR 2xx`,
          n: THROUGHPUT_N,
          'p50 ms': '',
          'p95 ms': '',
          'p99 ms': '',
          'max ms': '',
          'ECGs/s': Number(perS.toFixed(1)),
          note: `${Math.round((100 * perS) / rawPerS)} % of raw batch-1 model throughput (aim ≥ 90 %)`,
        },
      ];
    } finally {
      client.close();
    }
  } finally {
    await gw?.stop();
    await fhir?.stop();
  }
}

if (require.main === module) {
  void run().then((rows) => {
    console.log(benchHeader());
    console.log(formatTable(title, rows));
  });
}
