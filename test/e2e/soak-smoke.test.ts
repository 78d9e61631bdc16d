import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakResult } from '../../bench/soak/soak-report';
import { BUILD_ROOT, REPO_ROOT } from '../helpers/paths';

/**
 * The soak script (bench/soak, issue 9) in small: 3 replicas on PostgreSQL, 60 ECGs over MLLP and
 * C-STORE, one SIGKILL + restart and a short FHIR outage, so CI runs the real script end to end.
 * The full run (≥ 2,000 ECGs, a kill every 3–8 s, a 30 s outage) is `npm run soak`, not a test.
 */

function runSoak(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BUILD_ROOT, 'bench', 'soak', 'soak.js'), ...args], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('soak in small: every acknowledged ECG is in the EHR once, through a SIGKILL and an EHR outage', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ecggw-soak-smoke-'));
  try {
    // The script bounds itself (--deadline); the kill comes 1–2 s in, while the senders are busy.
    const args = ['--count', '60', '--max-kills', '1', '--kill-min', '1', '--kill-max', '2', '--outage', '3', '--outage-at', '1', '--lease-ms', '6000', '--grace', '3', '--drain', '60', '--deadline', '150', '--out', out];
    const run = await runSoak(args);
    const context = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr.slice(-4000)}`;
    assert.equal(run.code, 0, `soak exit code${context}`);
    assert.match(run.stdout, /^lost\s+0\s/m, `the printed table says 0 lost${context}`);
    assert.match(run.stdout, /^duplicates\s+0\s/m, `the printed table says 0 duplicates${context}`);

    const json = readdirSync(out).filter((f) => f.endsWith('.json'));
    assert.equal(json.length, 1, 'one JSON table written');
    const r = JSON.parse(readFileSync(join(out, json[0]!), 'utf8')) as SoakResult;
    assert.equal(r.acknowledged, 60);
    assert.ok(r.toSend.hl7 > 0 && r.toSend.dicom > 0, 'both protocols sent');
    assert.equal(r.fhir.ecgObservationsFound, 60, 'every ECG Observation found by identifier');
    assert.equal(r.lost, 0);
    assert.equal(r.fhir.duplicateEcgIdentifiers + r.fhir.duplicateResultIdentifiers, 0);
    assert.ok(r.fhir.riskAssessments > 0, 'model results were written and counted');
    assert.equal(r.kills, 1, 'one replica was killed and restarted');
    assert.equal(r.outage?.refusedVerified, true, 'the FHIR server really refused connections');
    assert.deepEqual(r.failures, []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
