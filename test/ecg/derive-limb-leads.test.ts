import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveLimbLeads } from '../../src/ecg/derive-limb-leads';

test('derives III, aVR, aVL, aVF from I and II by Einthoven and Goldberger', () => {
  const leads = new Map([
    ['I', Float32Array.from([100, -50, 0])],
    ['II', Float32Array.from([300, 50, -20])],
  ]);
  const added = deriveLimbLeads(leads);
  assert.deepEqual(added, ['III', 'aVR', 'aVL', 'aVF']);
  assert.deepEqual(Array.from(leads.get('III')!), [200, 100, -20]);
  assert.deepEqual(Array.from(leads.get('aVR')!), [-200, 0, 10]);
  assert.deepEqual(Array.from(leads.get('aVL')!), [-50, -75, 10]);
  assert.deepEqual(Array.from(leads.get('aVF')!), [250, 75, -20]);
});

test('keeps leads the source sent and derives only the missing ones', () => {
  const iii = Float32Array.from([1, 2, 3]);
  const leads = new Map([
    ['I', Float32Array.from([0, 0, 0])],
    ['II', Float32Array.from([0, 0, 0])],
    ['III', iii],
  ]);
  assert.deepEqual(deriveLimbLeads(leads), ['aVR', 'aVL', 'aVF']);
  assert.equal(leads.get('III'), iii);
});

test('derives nothing without both I and II', () => {
  const leads = new Map([['I', Float32Array.from([1])]]);
  assert.deepEqual(deriveLimbLeads(leads), []);
  assert.equal(leads.size, 1);
});
