import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, requests, type responses } from 'dcmjs-dimse';
import { parseDicom } from 'dicom-parser';
import pino from 'pino';
import { Part10FileDataset } from '../src/cli/part10-file-dataset';
import { configureDimseLibrary } from '../src/ingest/dicom/configure-dimse-library';
import { startStorescp } from '../test/helpers/dcmtk';
import { freePort } from '../test/helpers/free-port';
import { apiAuthHeaders, startGateway, waitFor } from '../test/helpers/gateway-process';
import { fixture } from '../test/helpers/paths';
import { benchHeader, formatTable, latencyStats } from './bench-header';

const FIXTURE = fixture('dicom', 'waveform_ecg.dcm');

export interface DicomIngestRow extends Record<string, string | number> {
  receiver: string;
  pipeline: string;
  senders: number;
  messages: number;
  'msg/s': number;
  'MB/s': number;
  'RSP p50 ms': number;
  'RSP p95 ms': number;
  'RSP p99 ms': number;
  'RSP max ms': number;
  'x storescp': string;
}

/**
 * `n` copies of the fixture, each under its own SOP Instance UID (so the gateway stores every one
 * instead of counting repeats). The UID is overwritten in place with one of the same length, in
 * the dataset (0008,0018) and the File Meta (0002,0003), so nothing else in the bytes moves.
 */
function uniqueInstances(tag: string, n: number): Part10FileDataset[] {
  const original = readFileSync(FIXTURE);
  const ds = parseDicom(original);
  const elements = ['x00020003', 'x00080018'].map((t) => ds.elements[t]!);
  const length = elements[0]!.length;
  if (elements.some((e) => e.length !== length)) throw new Error('meta and dataset SOP Instance UIDs differ in length');
  return Array.from({ length: n }, (_, i) => {
    // PS3.5 B.2: a 2.25.<integer> UID; the leading 9 keeps the component free of leading zeros.
    const body = `9${tag}${String(i).padStart(6, '0')}`;
    const uid = `2.25.${body.padEnd(length - 5, '1')}`.slice(0, length);
    const copy = Buffer.from(original);
    for (const e of elements) copy.write(uid, e.dataOffset, length, 'latin1');
    return new Part10FileDataset(copy);
  });
}

/**
 * One association, its C-STOREs one after another (the client sends the next on the previous
 * response). Latency = request sent → response received, measured per C-STORE.
 */
function sendOverOneAssociation(port: number, calledAeTitle: string, datasets: readonly Part10FileDataset[], latencies: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let sentAt = 0n;
    let failure: Error | undefined;
    for (const dataset of datasets) {
      const request = new requests.CStoreRequest(dataset);
      request.on('response', (r: responses.CStoreResponse) => {
        const now = process.hrtime.bigint();
        latencies.push(Number(now - sentAt) / 1e6);
        sentAt = now; // the next request goes out in this same tick
        if (r.getStatus() !== 0) failure ??= new Error(`C-STORE status ${r.getStatus().toString(16)} ${r.getErrorComment() ?? ''}`);
      });
      client.addRequest(request);
    }
    // Same for both receivers: the client's own socket without Nagle (dcmjs-dimse does not expose the option).
    client.on('connected', () => (client as unknown as { network?: { socket?: Socket } }).network?.socket?.setNoDelay(true));
    client.on('associationAccepted', () => (sentAt = process.hrtime.bigint()));
    client.on('associationRejected', () => reject(new Error('association rejected')));
    client.on('networkError', (e: unknown) => reject(e instanceof Error ? e : new Error('network error')));
    client.on('closed', () => (failure ? reject(failure) : resolve()));
    client.send('127.0.0.1', port, 'BENCH', calledAeTitle);
  });
}

async function scenario(receiver: string, pipeline: string, port: number, calledAeTitle: string, senders: number, messages: number, tag: string, size: number): Promise<DicomIngestRow> {
  const perSender = Math.ceil(messages / senders);
  const batches = Array.from({ length: senders }, (_, s) => uniqueInstances(`${tag}${s}`, perSender));
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(batches.map((b) => sendOverOneAssociation(port, calledAeTitle, b, latencies)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const total = senders * perSender;
  if (latencies.length !== total) throw new Error(`${receiver}: ${latencies.length} responses for ${total} C-STOREs`);
  const lat = latencyStats(latencies);
  return {
    receiver,
    pipeline,
    senders,
    messages: total,
    'msg/s': Math.round(total / seconds),
    'MB/s': (total * size) / seconds / 1e6,
    'RSP p50 ms': lat.p50,
    'RSP p95 ms': lat.p95,
    'RSP p99 ms': lat.p99,
    'RSP max ms': lat.max,
    'x storescp': '',
  };
}

async function countStored(baseUrl: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const res = await fetch(`${baseUrl}/api/messages?protocol=dimse&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: apiAuthHeaders(baseUrl) });
    const page = (await res.json()) as { items: unknown[]; nextCursor?: string };
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

/** Runs `work` against a fresh gateway process, then checks every acknowledged C-STORE is listed once. */
async function withGateway(env: Record<string, string>, work: (port: number) => Promise<number>): Promise<void> {
  const gw = await startGateway({ env: { LOG_LEVEL: 'warn', ...env } });
  try {
    await sendOverOneAssociation(gw.dicomPort, 'ECGGW', uniqueInstances('0', 20), []); // JIT, SQLite pages
    const sent = await work(gw.dicomPort);
    await waitFor(async () => (await countStored(gw.baseUrl)) === 20 + sent, 30_000, 'every acknowledged C-STORE listed');
  } finally {
    await gw.stop();
  }
}

/**
 * C-STORE ingest of the 12-lead fixture (290 kB, Explicit VR LE), from 1 and 8 concurrent
 * associations, into:
 * - the real gateway process with its pipeline idle for the run (PIPELINE_POLL_MS of an hour):
 *   the DIMSE edge alone — receive, validate + decode, SQLite WAL synchronous=FULL commit, answer;
 * - dcmtk storescp in the same run, the reference (default options, one association at a time,
 *   files written without fsync; TCP_NODELAY=1);
 * - the gateway with its pipeline running (decode, score, deliver to the embedded /fhir in the same
 *   process), fewer messages: what a sender sees while the gateway also works off its inbox.
 * Same client for all: dcmjs-dimse sending the dataset bytes verbatim, one C-STORE at a time per
 * association; latency = C-STORE-RQ sent → C-STORE-RSP received.
 */
export async function run(messages = 200, busyMessages = 40, senderCounts: readonly number[] = [1, 8]): Promise<DicomIngestRow[]> {
  configureDimseLibrary(pino({ level: 'silent' }));
  const size = readFileSync(FIXTURE).length;
  const idle: DicomIngestRow[] = [];
  const reference: DicomIngestRow[] = [];
  const busy: DicomIngestRow[] = [];

  await withGateway({ PIPELINE_POLL_MS: String(3_600_000) }, async (port) => {
    for (const senders of senderCounts) idle.push(await scenario('ecg-gateway', 'idle', port, 'ECGGW', senders, messages, `${senders}1`, size));
    return idle.reduce((n, r) => n + r.messages, 0);
  });

  const out = mkdtempSync(join(tmpdir(), 'ecggw-bench-storescp-'));
  // TCP_NODELAY=1: the reference at its best (with Nagle on, dcmtk adds ~40 ms to every C-STORE here).
  const scp = await startStorescp(await freePort(), out, [], { TCP_NODELAY: '1' }).catch((err: unknown) => {
    rmSync(out, { recursive: true, force: true });
    throw err;
  });
  try {
    await sendOverOneAssociation(scp.port, 'ANY-SCP', uniqueInstances('0', 20), []);
    for (const senders of senderCounts) reference.push(await scenario('dcmtk storescp', '-', scp.port, 'ANY-SCP', senders, messages, `${senders}2`, size));
  } finally {
    await scp.stop();
    rmSync(out, { recursive: true, force: true });
  }

  await withGateway({}, async (port) => {
    for (const senders of senderCounts) busy.push(await scenario('ecg-gateway', 'running', port, 'ECGGW', senders, busyMessages, `${senders}3`, size));
    return busy.reduce((n, r) => n + r.messages, 0);
  });

  const rows: DicomIngestRow[] = [];
  senderCounts.forEach((_, i) => {
    const ref = reference[i]!;
    for (const row of [idle[i]!, busy[i]!]) row['x storescp'] = (row['msg/s'] / ref['msg/s']).toFixed(2);
    ref['x storescp'] = '1.00';
    rows.push(idle[i]!, ref, busy[i]!);
  });
  return rows;
}

export const title = 'C-STORE ingest, real gateway process vs dcmtk storescp (12-lead ECG, 290 kB, Explicit VR LE)';

if (require.main === module) {
  void run().then((rows) => {
    console.log(benchHeader());
    console.log(formatTable(title, rows));
  });
}
