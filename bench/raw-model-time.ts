import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEcg } from '../src/ecg/decode/decode-ecg';
import { ModelRegistry } from '../src/inference/model-registry';
import { latencyStats } from './bench-header';

const REPO = join(__dirname, '..', '..');
export const HL7_FIXTURE = join(REPO, '..', 'shared', 'fixtures', 'hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
/** E2E_BENCH_MODEL_DIR, else the bundled model(s) when installed, else the committed contract models. */
export const MODEL_DIR =
  process.env['E2E_BENCH_MODEL_DIR'] ?? (existsSync(join(REPO, 'models', 'ecg-vit-reference', 'model.onnx')) ? join(REPO, 'models') : join(REPO, 'test-models'));

/**
 * Raw batch-1 session.run of every model in MODEL_DIR on the bench ECG (median of 20), summed:
 * the model time of one ECG, the floor every end-to-end figure is read against (e2e-latency and
 * replicas benches).
 */
export async function rawModelTime(): Promise<{ perModel: Array<{ id: string; ms: number }>; totalMs: number }> {
  const registry = await ModelRegistry.load({ modelDir: MODEL_DIR, intraOpThreads: 1, maxBatch: 8, maxWaitMs: 5 });
  try {
    const ecg = decodeEcg({ bytes: readFileSync(HL7_FIXTURE) });
    const perModel: Array<{ id: string; ms: number }> = [];
    for (const model of registry.models) {
      const prepared = model.preprocessor.prepare(ecg);
      if (prepared.status !== 'ready') throw new Error(`${model.identity.id}: the bench ECG is ${prepared.issue.code}`);
      for (let i = 0; i < 3; i++) await model.runRaw(prepared.data, 1);
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await model.runRaw(prepared.data, 1);
        ms.push(performance.now() - t);
      }
      perModel.push({ id: model.identity.id, ms: latencyStats(ms).p50 });
    }
    return { perModel, totalMs: perModel.reduce((a, m) => a + m.ms, 0) };
  } finally {
    await registry.close();
  }
}
