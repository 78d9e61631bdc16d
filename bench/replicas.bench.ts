import { randomBytes } from 'node:crypto';
import { loadFhirMappings } from '../src/fhir/load-fhir-mappings';
import { startFhirServer, type FhirServerProcess } from '../test/helpers/fhir-server-process';
import { startGateway, type GatewayProcess } from '../test/helpers/gateway-process';
import { hl7Fixture } from '../test/helpers/hl7-messages';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../test/store/postgres-test-schema';
import { benchHeader, formatTable, latencyStats, type LatencyStats } from './bench-header';
import { framedHl7, openRawMllp, type RawMllpConnection } from './raw-mllp-client';
import { HL7_FIXTURE, MODEL_DIR, rawModelTime } from './raw-model-time';

type Row = Record<string, string | number>;

interface Setup {
  label: string;
  replicas: number;
  store: 'sqlite' | 'postgres';
}

/** Same run, same machine: one replica on SQLite and on PostgreSQL, then three on one PostgreSQL schema. */
const SETUPS: readonly Setup[] = [
  { label: '1 replica, SQLite', replicas: 1, store: 'sqlite' },
  { label: '1 replica, PostgreSQL', replicas: 1, store: 'postgres' },
  { label: '3 replicas, PostgreSQL', replicas: 3, store: 'postgres' },
];
const WARMUP_PER_REPLICA = 3;
const LATENCY_N = 30;
const THROUGHPUT_N = 300;
/** Concurrent MLLP connections in the throughput run, spread evenly over the replicas (6 divides by 1 and 3). */
const SENDERS = 6;
const COMMIT_WAIT_MS = 180_000;

export const title =
  'replicas end to end over MLLP: ACK → FHIR 2xx and sustained throughput, 1 replica (SQLite, PostgreSQL) and 3 replicas on one PostgreSQL, ' +
  'beside the raw model time, in the same run (the FHIR server process records when each ECG is committed)';

const now = (): number => performance.timeOrigin + performance.now();
const ecgSystem = (): string => loadFhirMappings()['identifier-systems'].ecg;

async function sendAcked(conn: RawMllpConnection, frame: Buffer, id: string): Promise<void> {
  const ack = await conn.send(frame);
  if (!/\|AA\|/.test(ack)) throw new Error(`${id}: ${ack}`);
}

interface Measured {
  ack: LatencyStats;
  oneAtATime: LatencyStats;
  underLoad: LatencyStats;
  perS: number;
}

async function measure(setup: Setup, text: string): Promise<Measured> {
  const schema = setup.store === 'postgres' ? uniqueSchemaName() : undefined;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  let fhir: FhirServerProcess | undefined;
  const replicas: GatewayProcess[] = [];
  const conns: RawMllpConnection[] = [];
  try {
    if (schema) await createSchema(schema);
    fhir = await startFhirServer();
    const server = fhir;
    const env: Record<string, string> = {
      MODEL_DIR,
      FHIR_BASE_URL: server.baseUrl,
      // Polling is how a replica sees work another one ingested (its own ingest wakes it at once);
      // 20 ms for every setup, so that the 3-replica run does not pay for a faster poll than the others.
      PIPELINE_POLL_MS: '20',
      LOG_LEVEL: 'warn',
      FHIR_SOURCE_TIMEZONE: 'UTC',
      ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      ...(schema ? { DATABASE_URL: urlWithSchema(schema) } : {}),
    };
    // One after the other: the first runs the migrations.
    for (let i = 0; i < setup.replicas; i++) replicas.push(await startGateway({ env, timeoutMs: 90_000 }));
    const committed = (id: string): Promise<number> => server.committedAt(ecgSystem(), `hl7:ECGCART/CARDIOLOGY/${id}`, COMMIT_WAIT_MS);
    for (let j = 0; j < SENDERS; j++) conns.push(await openRawMllp(replicas[j % replicas.length]!.mllpPort));

    for (let i = 0; i < WARMUP_PER_REPLICA * replicas.length; i++) {
      const id = `REP-${tag}-WARM-${i}`;
      await sendAcked(conns[i % replicas.length]!, framedHl7(text, id), id);
      await committed(id);
    }

    // One ECG at a time, round robin over the replicas: latency without queueing.
    const ackMs: number[] = [];
    const oneAtATime: number[] = [];
    for (let i = 0; i < LATENCY_N; i++) {
      const id = `REP-${tag}-LAT-${i}`;
      const sent = now();
      await sendAcked(conns[i % replicas.length]!, framedHl7(text, id), id);
      const acked = now();
      ackMs.push(acked - sent);
      oneAtATime.push((await committed(id)) - acked);
    }

    // Sustained: THROUGHPUT_N ECGs from SENDERS connections at once, first send → last FHIR commit.
    const ids = Array.from({ length: THROUGHPUT_N }, (_, i) => `REP-${tag}-TPUT-${i}`);
    const frames = ids.map((id) => framedHl7(text, id));
    const queue = ids.map((_, i) => i);
    const commits: Array<Promise<number>> = [];
    const ackedAt: number[] = new Array<number>(THROUGHPUT_N);
    const started = now();
    await Promise.all(
      conns.map(async (conn) => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          await sendAcked(conn, frames[i]!, ids[i]!);
          ackedAt[i] = now();
          commits[i] = committed(ids[i]!);
        }
      }),
    );
    const commitAt = await Promise.all(commits);
    const elapsedS = (Math.max(...commitAt) - started) / 1000;
    return {
      ack: latencyStats(ackMs),
      oneAtATime: latencyStats(oneAtATime),
      underLoad: latencyStats(commitAt.map((c, i) => c - ackedAt[i]!)),
      perS: THROUGHPUT_N / elapsedS,
    };
  } finally {
    for (const c of conns) c.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await fhir?.stop();
    if (schema) await dropSchema(schema);
  }
}

export async function run(): Promise<Row[]> {
  const raw = await rawModelTime();
  const rawPerS = 1000 / raw.totalMs;
  const text = hl7Fixture(HL7_FIXTURE);
  const row = (measure: string, n: number, s: LatencyStats | undefined, perS: number | '', note: string): Row => ({
    measure,
    n,
    'p50 ms': s?.p50 ?? '',
    'p95 ms': s?.p95 ?? '',
    'p99 ms': s?.p99 ?? '',
    'max ms': s?.max ?? '',
    'ECGs/s': perS === '' ? '' : Number(perS.toFixed(1)),
    note,
  });
  const rows: Row[] = [
    ...raw.perModel.map((m) => row(`raw session.run batch 1: ${m.id}`, 20, { p50: m.ms, p95: NaN, p99: NaN, max: NaN, mean: NaN }, 1000 / m.ms, '')),
    row(`raw model time per ECG (${raw.perModel.map((m) => m.id).join(' + ')})`, 20, undefined, rawPerS, `${raw.totalMs.toFixed(1)} ms: sum of the batch-1 medians`),
  ];
  // NaN percentiles of the raw rows print as blanks, as in e2e-latency.bench.ts.
  for (const r of rows) for (const k of ['p95 ms', 'p99 ms', 'max ms']) if (Number.isNaN(r[k])) r[k] = '';
  const measured: Array<{ setup: Setup; m: Measured }> = [];
  for (const setup of SETUPS) measured.push({ setup, m: await measure(setup, text) });
  // The reference for "faster or not": one replica on the same store.
  const onePg = measured.find((x) => x.setup.store === 'postgres' && x.setup.replicas === 1)?.m.perS ?? NaN;
  for (const { setup, m } of measured) {
    rows.push(
      row(`${setup.label}: MLLP ACK (send → AA)`, LATENCY_N, m.ack, '', ''),
      row(`${setup.label}: ACK → FHIR 2xx, one ECG at a time`, LATENCY_N, m.oneAtATime, '', `model time + ${(m.oneAtATime.p50 - raw.totalMs).toFixed(1)} ms at p50`),
      row(
        `${setup.label}: ${THROUGHPUT_N} ECGs from ${SENDERS} senders, ACK → FHIR 2xx`,
        THROUGHPUT_N,
        m.underLoad,
        m.perS,
        `sustained, first send → last FHIR 2xx; ${(m.perS / onePg).toFixed(2)} × 1 replica on PostgreSQL; the model keeps one core ${((100 * raw.totalMs * m.perS) / 1000).toFixed(1)} % busy`,
      ),
    );
  }
  return rows;
}

if (require.main === module) {
  void run().then((rows) => {
    console.log(benchHeader());
    console.log(formatTable(title, rows));
  });
}
