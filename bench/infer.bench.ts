import type { EcgRecord } from '../src/ecg/record';
import type { LoadedModel } from '../src/inference/loaded-model';
import { resolveModelDir } from '../src/inference/model-dir';
import { ModelRegistry } from '../src/inference/model-registry';
import { ScoringService } from '../src/inference/scoring-service';
import { benchHeader, formatTable, latencyStats } from './bench-header';
import { CONTRACT_MODEL_DIR, loadBenchEcg } from './preprocess.bench';

type Row = Record<string, string | number>;

export const title =
  'inference (onnxruntime CPU, 1 intra-op thread): raw session.run, preprocessing and the full score() path in the same run; ' +
  'contract models from test-models/ plus any model installed in models/';

const RAW_RUNS: Readonly<Record<number, number>> = { 1: 30, 8: 8, 32: 4 };
const CONCURRENT = 64;
const pct = (a: number, b: number) => `${Math.round((100 * a) / b)} %`;

async function timed<T>(n: number, f: () => Promise<T> | T): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return ms;
}

/** Raw session.run per batch size; returns ms per ECG at each size. */
async function rawRows(model: LoadedModel, wide: LoadedModel, ecg: EcgRecord, rows: Row[]): Promise<Record<number, number>> {
  const id = model.identity.id;
  const prepared = model.preprocessor.prepare(ecg);
  if (prepared.status !== 'ready') throw new Error(`${id}: the bench ECG is ${prepared.issue.code}`);
  const size = model.preprocessor.size;
  const batch = new Float32Array(32 * size);
  for (let i = 0; i < 32; i++) batch.set(prepared.data, i * size);
  const perEcg: Record<number, number> = {};
  for (const n of [1, 8, 32]) {
    const m = n > model.maxBatch ? wide : model;
    if (n > m.maxBatch && m.manifest.input.shape[0] !== -1) continue; // fixed batch size
    const data = batch.subarray(0, n * size);
    await m.runRaw(data, n);
    const s = latencyStats(await timed(RAW_RUNS[n]!, () => m.runRaw(data, n)));
    perEcg[n] = s.p50 / n;
    rows.push({ model: id, measure: `raw session.run, batch ${n}`, 'p50 ms': s.p50, 'p95 ms': s.p95, 'ms/ECG': s.p50 / n, 'ECGs/s': Math.round((1000 * n) / s.p50), note: '' });
  }
  return perEcg;
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  const dirs = [CONTRACT_MODEL_DIR, resolveModelDir(undefined)];
  const opened: ModelRegistry[] = [];
  try {
    const ecg500 = loadBenchEcg('aecg/hl7_example_aecg.xml');
    const ecg1000 = loadBenchEcg('dicom/waveform_ecg.dcm');
    const mixed = Array.from({ length: CONCURRENT }, (_, i) => (i % 2 === 0 ? ecg500 : ecg1000));
    for (const dir of dirs) {
      const b8 = await ModelRegistry.load({ modelDir: dir, intraOpThreads: 1, maxBatch: 8, maxWaitMs: 5 });
      const b32 = await ModelRegistry.load({ modelDir: dir, intraOpThreads: 1, maxBatch: 32, maxWaitMs: 5 });
      opened.push(b8, b32);
      const service8 = new ScoringService(b8);
      const service32 = new ScoringService(b32);
      const rawSum: Record<number, number> = { 1: 0, 8: 0, 32: 0 };
      for (const model of b8.models) {
        const id = model.identity.id;
        const raw = await rawRows(model, b32.get(id)!, ecg500, rows);
        for (const n of [1, 8, 32]) rawSum[n]! += raw[n] ?? NaN;

        for (const [label, ecg] of [['500 Hz', ecg500], ['1000 Hz', ecg1000]] as const) {
          for (let i = 0; i < 5; i++) model.preprocessor.prepare(ecg);
          const s = latencyStats(await timed(30, () => model.preprocessor.prepare(ecg)));
          rows.push({ model: id, measure: `preprocess one ${label} ECG`, 'p50 ms': s.p50, 'p95 ms': s.p95, 'ms/ECG': s.p50, 'ECGs/s': Math.round(1000 / s.p50), note: `${pct(s.p50, raw[1]!)} of raw batch-1` });
        }
        for (let i = 0; i < 3; i++) await service8.score(ecg1000, [id]);
        const s1 = latencyStats(await timed(20, () => service8.score(Math.random() < 0.5 ? ecg500 : ecg1000, [id])));
        rows.push({ model: id, measure: 'score() one at a time', 'p50 ms': s1.p50, 'p95 ms': s1.p95, 'ms/ECG': s1.p50, 'ECGs/s': Math.round(1000 / s1.p50), note: `raw b1 + ${(s1.p50 - raw[1]!).toFixed(1)} ms` });
        for (const [service, n] of [[service8, 8], [service32, 32]] as const) {
          await Promise.all(mixed.slice(0, 8).map((e) => service.score(e, [id])));
          const [wall] = await timed(1, () => Promise.all(mixed.map((e) => service.score(e, [id]))));
          const perEcg = wall! / CONCURRENT;
          rows.push({ model: id, measure: `score() ${CONCURRENT} concurrent, max batch ${n}`, 'p50 ms': '', 'p95 ms': '', 'ms/ECG': perEcg, 'ECGs/s': Math.round(1000 / perEcg), note: `${pct(raw[n]!, perEcg)} of raw b${n} throughput` });
        }
      }
      if (b8.models.length > 1) {
        const all = b8.models.map((m) => m.identity.id).join(' + ');
        const s = latencyStats(await timed(20, () => service8.score(Math.random() < 0.5 ? ecg500 : ecg1000)));
        rows.push({ model: all, measure: 'score() every model, one at a time', 'p50 ms': s.p50, 'p95 ms': s.p95, 'ms/ECG': s.p50, 'ECGs/s': Math.round(1000 / s.p50), note: `raw b1 sum + ${(s.p50 - rawSum[1]!).toFixed(1)} ms` });
        const [wall] = await timed(1, () => Promise.all(mixed.map((e) => service8.score(e))));
        const perEcg = wall! / CONCURRENT;
        rows.push({ model: all, measure: `score() every model, ${CONCURRENT} concurrent, max batch 8`, 'p50 ms': '', 'p95 ms': '', 'ms/ECG': perEcg, 'ECGs/s': Math.round(1000 / perEcg), note: `${pct(rawSum[8]!, perEcg)} of raw b8 throughput` });
      }
    }
  } finally {
    await Promise.all(opened.map((r) => r.close()));
  }
  return rows;
}

if (require.main === module) {
  void run().then((rows) => {
    console.log(benchHeader());
    console.log(formatTable(title, rows));
  });
}
