import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ModelResult } from '../../src/inference/model-result';
import { fixture, fixtureFiles, REPO_ROOT } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';

interface ScoreLine {
  file: string;
  sampleRateHz: number;
  results: ModelResult[];
}

const FIXTURES = [
  ...fixtureFiles('dicom'),
  ...fixtureFiles('hl7/ecg', (n) => n.endsWith('.hl7')),
  ...fixtureFiles('aecg'),
  ...['ludb-ecg/ludb-ecg.hea', 'mitdb-100/100.hea', 'ptb-s0010_re/s0010_re.hea'].map((p) => fixture('wfdb', p)),
];
/** Not 12-lead ECGs: MIT-BIH 100 has two leads, minimum_aecg.xml 13 samples of a few leads. */
const NOT_TWELVE_LEAD = [fixture('wfdb', 'mitdb-100', '100.hea'), fixture('aecg', 'minimum_aecg.xml')];

describe('ecg-gateway score on every ECG fixture with the bundled models/ (ecg-vit-reference)', () => {
  const run = runCli(['score', ...FIXTURES, '--model-dir', join(REPO_ROOT, 'models')]);
  const byFile = new Map(
    run.stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as ScoreLine)
      .map((l) => [l.file, l]),
  );

  test('exits 0 with a result from ecg-vit-reference for every fixture', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    for (const f of FIXTURES) {
      const line = byFile.get(f);
      assert.ok(line, `no line for ${f}`);
      assert.ok(line.results.some((r) => r.model.id === 'ecg-vit-reference'), f);
    }
  });

  test('every 12-lead fixture is scored at 100 Hz: 240, 500 and 1000 Hz inputs resampled, 100 Hz kept', () => {
    const rates = new Set<number>();
    for (const f of FIXTURES.filter((x) => !NOT_TWELVE_LEAD.includes(x))) {
      const line = byFile.get(f)!;
      const r = line.results.find((x) => x.model.id === 'ecg-vit-reference')!;
      assert.equal(r.status, 'scored', `${f}: ${r.status === 'indeterminate' ? r.reason.message : ''}`);
      if (r.status !== 'scored') continue;
      assert.equal(r.preprocessing.targetRateHz, 100, f);
      assert.equal(r.preprocessing.resampled === undefined, line.sampleRateHz === 100, f);
      if (r.preprocessing.resampled) assert.equal((line.sampleRateHz * r.preprocessing.resampled.up) / r.preprocessing.resampled.down, 100, f);
      rates.add(line.sampleRateHz);
      assert.equal(r.outputs.length, 8);
      for (const o of r.outputs) {
        assert.equal(o.status, 'scored', `${f} ${o.key}`);
        if (o.status === 'scored' && o.kind === 'probability') assert.ok(o.probability >= 0 && o.probability <= 1 && o.stratum !== undefined);
        if (o.status === 'scored' && o.kind === 'regression') assert.ok(Number.isFinite(o.value) && o.unit === 'a');
      }
    }
    for (const hz of [100, 240, 500, 1000]) assert.ok(rates.has(hz), `a ${hz} Hz fixture was scored`);
  });

  test('the 2-lead MIT-BIH record and the 13-sample aECG are indeterminate with the reason, never a number', () => {
    for (const f of NOT_TWELVE_LEAD) {
      const r = byFile.get(f)!.results.find((x) => x.model.id === 'ecg-vit-reference')!;
      assert.ok(r.status === 'indeterminate' && r.reason.code === 'lead-missing', f);
      assert.ok(r.outputs.every((o) => o.status === 'indeterminate' && !('probability' in o) && !('value' in o)));
    }
  });
});
