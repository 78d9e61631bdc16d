import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeEcg } from '../src/ecg/decode/decode-ecg';
import { DEFAULT_QUALITY_THRESHOLDS } from '../src/ecg/quality/quality-thresholds';
import type { EcgRecord } from '../src/ecg/record';
import { createPreprocessor } from '../src/ecg/signal/preprocess';
import { parseManifest } from '../src/inference/parse-manifest';
import { benchHeader, formatTable, latencyStats } from './bench-header';

const REPO = join(__dirname, '..', '..');
const FIXTURES = join(REPO, '..', 'shared', 'fixtures');
export const CONTRACT_MODEL_DIR = join(REPO, 'test-models');
export const CONTRACT_MODELS = ['contract-vit-multitask', 'contract-ecgfounder-cad'] as const;

/** Real ECGs at each source rate the fixtures have (12 leads), decoded once. */
export const BENCH_ECGS: ReadonlyArray<{ label: string; file: string }> = [
  { label: '500 Hz aECG 10 s (no resampling)', file: 'aecg/hl7_example_aecg.xml' },
  { label: '1000 Hz DICOM 10 s', file: 'dicom/waveform_ecg.dcm' },
  { label: '240 Hz DICOM 10 s', file: 'dicom/ge_marquette_hemodynamic_test_ecg.dcm' },
  { label: '100 Hz aECG 10 s', file: 'aecg/mindray_beneheart_r12_aecg.xml' },
  { label: '1000 Hz WFDB 38.4 s (PTB)', file: 'wfdb/ptb-s0010_re/s0010_re.hea' },
];

export function loadBenchEcg(file: string): EcgRecord {
  const path = join(FIXTURES, file);
  return decodeEcg({ bytes: readFileSync(path), readCompanion: (name) => readFileSync(join(dirname(path), name)) });
}

export const title = 'preprocessing per ECG (leads, window, quality gate, resample, filters, normalisation), one core';

/** Times `prepare()` of each contract model on each source rate: warm-up, then a fixed N. */
export function run(n = 40): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const id of CONTRACT_MODELS) {
    const manifest = parseManifest(JSON.parse(readFileSync(join(CONTRACT_MODEL_DIR, id, 'manifest.json'), 'utf8')), id);
    const pre = createPreprocessor(manifest.input, DEFAULT_QUALITY_THRESHOLDS);
    for (const c of BENCH_ECGS) {
      const record = loadBenchEcg(c.file);
      for (let i = 0; i < 5; i++) pre.prepare(record);
      const ms: number[] = [];
      let status = '';
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        status = pre.prepare(record).status;
        ms.push(performance.now() - t);
      }
      const s = latencyStats(ms);
      rows.push({ model: id, ECG: c.label, result: status, 'p50 ms': s.p50, 'p95 ms': s.p95, 'max ms': s.max, 'ECGs/s': Math.round(1000 / s.mean) });
    }
  }
  return rows;
}

if (require.main === module) {
  console.log(benchHeader());
  console.log(formatTable(title, run()));
}
