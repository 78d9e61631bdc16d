import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leadFromCode, leadFromLabel, normaliseLeadName } from '../../src/ecg/normalise-lead-name';

test('recognises lead labels as carts write them', () => {
  assert.equal(leadFromLabel('Lead I (Einthoven)'), 'I');
  assert.equal(leadFromLabel('lead ii'), 'II');
  assert.equal(leadFromLabel('MDC_ECG_LEAD_AVR'), 'aVR');
  assert.equal(leadFromLabel('AVF'), 'aVF');
  assert.equal(leadFromLabel(' V6 '), 'V6');
  assert.equal(leadFromLabel('MLII'), undefined);
  assert.equal(leadFromLabel('-aVR'), undefined);
  assert.equal(leadFromLabel('−aVR'), undefined);
});

test('maps MDC and SCPECG channel source codes, and not −aVR to aVR', () => {
  assert.equal(leadFromCode('2:1', 'MDC'), 'I');
  assert.equal(leadFromCode('2:64', 'MDC'), 'aVF');
  assert.equal(leadFromCode('2:65', 'MDC'), undefined);
  assert.equal(leadFromCode('5.6.3-9-62', 'SCPECG'), 'aVR');
  assert.equal(normaliseLeadName('Vx', '9:99', 'MDC'), 'Vx');
});
