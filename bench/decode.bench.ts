import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decodeEcg, type EcgInput } from '../src/ecg/decode/decode-ecg';
import { benchHeader, formatTable } from './bench-header';

const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures');

const CASES: ReadonlyArray<{ format: string; file: string }> = [
  { format: 'DICOM 12-lead (1000 Hz, 10 s, Explicit LE)', file: 'dicom/waveform_ecg.dcm' },
  { format: 'DICOM 12-lead (500 Hz, 10 s, Implicit LE)', file: 'dicom/ecgtoolkit_Example.dcm' },
  { format: 'DICOM hemodynamic (240 Hz, Deflated)', file: 'dicom/wave_dfl.dcm' },
  { format: 'HL7 v2.5 MA 12-lead (500 Hz)', file: 'hl7/ecg/oru_r01_v25_ma_12lead.hl7' },
  { format: 'HL7 v2.3 NA 12-lead (500 Hz)', file: 'hl7/ecg/oru_r01_v23_na_12lead.hl7' },
  { format: 'HL7 v2.5 ED (DICOM inside)', file: 'hl7/ecg/oru_r01_v25_ed_dicom.hl7' },
  { format: 'HL7 aECG XML (500 Hz)', file: 'aecg/hl7_example_aecg.xml' },
  { format: 'WFDB format 16 (LUDB, 500 Hz)', file: 'wfdb/ludb-ecg/ludb-ecg.hea' },
];

function input(path: string): EcgInput {
  const dir = dirname(path);
  return { bytes: readFileSync(path), readCompanion: (name) => readFileSync(join(dir, name)) };
}

export interface DecodeBenchRow extends Record<string, string | number> {
  format: string;
  'ECGs/s': number;
  'MB/s': number;
  'ms/ECG': number;
}

/** Decode throughput per format on one core: warm-up, then a fixed time budget per case. */
export function run(budgetMs = 1500): DecodeBenchRow[] {
  const rows: DecodeBenchRow[] = [];
  for (const c of CASES) {
    const path = join(FIXTURES, c.file);
    const inp = input(path);
    try {
      for (let i = 0; i < 20; i++) decodeEcg(inp);
    } catch (err: unknown) {
      rows.push({ format: `${c.format} — ${basename(path)}: ${err instanceof Error ? err.message : 'failed'}`, 'ECGs/s': 0, 'MB/s': 0, 'ms/ECG': 0 });
      continue;
    }
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsedMs = 0;
    while (elapsedMs < budgetMs) {
      for (let i = 0; i < 10; i++) decodeEcg(inp);
      n += 10;
      elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    }
    const perS = (n * 1000) / elapsedMs;
    rows.push({ format: c.format, 'ECGs/s': Math.round(perS), 'MB/s': (perS * inp.bytes.length) / 1e6, 'ms/ECG': elapsedMs / n });
  }
  return rows;
}

if (require.main === module) {
  console.log(benchHeader());
  console.log(formatTable('decode throughput (one core)', run()));
}
