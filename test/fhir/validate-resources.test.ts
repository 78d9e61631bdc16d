import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { loadR4Definitions } from '../../src/fhir/server/r4-definitions';
import { validateRequestBody } from '../../src/fhir/server/validate-resources';

loadR4Definitions();

const obs = { resourceType: 'Observation', status: 'final', code: { text: 'x' } } as const;

test('a valid resource has no issues', () => {
  assert.deepEqual(validateRequestBody({ ...obs }), []);
});

test('codes outside a required value set are refused with the element path', () => {
  const issues = validateRequestBody({ ...obs, status: 'done' } as never);
  assert.equal(issues.length, 1);
  assert.deepEqual(issues[0]!.expression, ['Observation.status']);
  const dev = validateRequestBody({ resourceType: 'Device', deviceName: [{ name: 'm', type: 'brand-name' }] } as never);
  assert.deepEqual(dev.map((i) => i.expression?.[0]), ['Device.deviceName[0].type']);
});

test('structure and invariants are checked (missing status, obs-6)', () => {
  const issues = validateRequestBody({ resourceType: 'Observation', code: { text: 'x' }, valueQuantity: { value: 1 }, dataAbsentReason: { text: 'n' } } as never);
  const texts = issues.map((i) => `${i.expression?.[0]} ${i.details?.text}`);
  assert.ok(texts.some((t) => t.startsWith('Observation.status')), texts.join('\n'));
  assert.ok(texts.some((t) => /obs-6/.test(t)), texts.join('\n'));
});

test('in a transaction, urn:uuid references are typed by their entries; a wrong target type is still caught', () => {
  const bundle = (subjectType: string): Bundle => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: { resourceType: subjectType } as never, request: { method: 'POST', url: subjectType } },
      { resource: { ...obs, subject: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' } }, request: { method: 'POST', url: 'Observation' } },
    ],
  });
  assert.deepEqual(validateRequestBody(bundle('Patient')), []);
  const issues = validateRequestBody(bundle('Medication'));
  assert.deepEqual(issues.map((i) => i.expression?.[0]), ['Bundle.entry[1].resource.subject']);
});

test('the request method of a bundle entry must be an HTTP verb', () => {
  const issues = validateRequestBody({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { ...obs }, request: { method: 'FETCH', url: 'Observation' } }] } as never);
  assert.deepEqual(issues.map((i) => i.expression?.[0]), ['Bundle.entry[0].request.method']);
});
