import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fhirAudit } from '../../src/fhir/embedded/fhir-audit';

test('a search keeps the path, the resource type and the parameter names, never their values', () => {
  const { action, detail } = fhirAudit('GET', '/fhir/Patient?identifier=urn%3Aoid%3A1.2%7CSBJ-123&birthdate=1950-01-01&identifier=x', '/fhir');
  assert.equal(action, 'fhir.read');
  assert.deepEqual(detail, { method: 'GET', path: '/fhir/Patient', resourceType: 'Patient', searchParams: ['birthdate', 'identifier'] });
  assert.ok(!JSON.stringify(detail).includes('SBJ-123') && !JSON.stringify(detail).includes('1950'));
});

test('a read by id and a HEAD are reads; a trailing slash is dropped', () => {
  assert.deepEqual(fhirAudit('GET', '/fhir/Observation/abc/', '/fhir'), { action: 'fhir.read', detail: { method: 'GET', path: '/fhir/Observation/abc', resourceType: 'Observation', searchParams: [] } });
  assert.equal(fhirAudit('head', '/fhir/Observation', '/fhir').detail.method, 'HEAD');
  assert.equal(fhirAudit('GET', '/FHIR/Observation', '/fhir').detail.resourceType, 'Observation', 'Express routes any case here');
});

test('POST _search is a read; a create, update, patch, delete and a batch/transaction POST to the base are writes, all audited', () => {
  assert.equal(fhirAudit('POST', '/fhir/Observation/_search', '/fhir').action, 'fhir.read');
  assert.deepEqual(fhirAudit('POST', '/fhir/', '/fhir'), { action: 'fhir.write', detail: { method: 'POST', path: '/fhir', searchParams: [] } });
  for (const [m, u] of [['POST', '/fhir/Observation'], ['PUT', '/fhir/Observation/abc'], ['PATCH', '/fhir/Observation/abc'], ['DELETE', '/fhir/Observation/abc']] as const) {
    const { action, detail } = fhirAudit(m, u, '/fhir');
    assert.equal(action, 'fhir.write', `${m} ${u}`);
    assert.equal(detail.resourceType, 'Observation');
  }
});

test('an odd request target (absolute form with a bad authority) is audited, not thrown on', () => {
  const { action, detail } = fhirAudit('GET', 'http://localhost@/fhir/metadata', '/fhir');
  assert.equal(action, 'fhir.read');
  assert.equal(typeof detail.path, 'string');
});
