import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Bundle, RiskAssessment } from '@medplum/fhirtypes';
import { loadR4Definitions } from '../../src/fhir/server/r4-definitions';
import { validateRequestBody } from '../../src/fhir/server/validate-resources';
import { fixture, REPO_ROOT } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';

const env = { MODEL_DIR: join(REPO_ROOT, 'test-models'), FHIR_SOURCE_TIMEZONE: 'UTC' };

test('bundle prints one valid R4 transaction Bundle per file, with every model output, reproducibly', () => {
  loadR4Definitions();
  const files = [fixture('dicom', 'ecgtoolkit_Example.dcm'), fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7')];
  const r = runCli(['bundle', ...files, '--recorded-at', '2024-03-05T10:00:00Z'], env);
  assert.equal(r.status, 0, r.stderr);
  const bundles = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Bundle);
  assert.equal(bundles.length, 2);
  for (const b of bundles) {
    assert.equal(b.type, 'transaction');
    assert.deepEqual(validateRequestBody(b), []);
    assert.equal(b.entry!.filter((e) => e.resource?.resourceType === 'RiskAssessment').length, 16);
  }
  const ra = bundles[0]!.entry!.find((e) => e.resource?.resourceType === 'RiskAssessment')!.resource as RiskAssessment;
  assert.equal(ra.occurrenceDateTime, '2024-03-05T10:00:00.000Z');
  const again = runCli(['bundle', files[0]!, '--recorded-at', '2024-03-05T10:00:00Z'], env);
  assert.equal(again.stdout.trim(), r.stdout.trim().split('\n')[0], 'same file, same bundle');
});

test('bundle refuses an ECG without a patient identifier with one error line and exit 2', () => {
  const r = runCli(['bundle', fixture('wfdb', 'ludb-ecg', 'ludb-ecg.hea')], env);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /error FHIR_MAPPING_FAILED Observation\.subject: /);
  assert.equal(r.stdout, '');
});

test('bundle checks its options', () => {
  const r = runCli(['bundle', fixture('dicom', 'ecgtoolkit_Example.dcm'), '--patient-reference', 'guess'], env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /error CLI_USAGE --patient-reference/);
});
