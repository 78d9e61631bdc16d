import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fhirReadAudit } from '../../src/fhir/embedded/fhir-read-audit';

test('a search keeps the path, the resource type and the parameter names, never their values', () => {
  const detail = fhirReadAudit('GET', '/fhir/Patient?identifier=urn%3Aoid%3A1.2%7CSBJ-123&birthdate=1950-01-01&identifier=x', '/fhir');
  assert.deepEqual(detail, { method: 'GET', path: '/fhir/Patient', resourceType: 'Patient', searchParams: ['birthdate', 'identifier'] });
  assert.ok(!JSON.stringify(detail).includes('SBJ-123') && !JSON.stringify(detail).includes('1950'));
});

test('a read by id and a HEAD are reads; a trailing slash is dropped', () => {
  assert.deepEqual(fhirReadAudit('GET', '/fhir/Observation/abc/', '/fhir'), { method: 'GET', path: '/fhir/Observation/abc', resourceType: 'Observation', searchParams: [] });
  assert.equal(fhirReadAudit('head', '/fhir/Observation', '/fhir')?.method, 'HEAD');
  assert.equal(fhirReadAudit('GET', '/FHIR/Observation', '/fhir')?.resourceType, 'Observation', 'Express routes any case here');
});

test('POST _search and a batch POST to the base are reads (they can return resources); a create, update or delete is not', () => {
  assert.deepEqual(fhirReadAudit('POST', '/fhir/Observation/_search', '/fhir'), { method: 'POST', path: '/fhir/Observation/_search', resourceType: 'Observation', searchParams: [] });
  assert.deepEqual(fhirReadAudit('POST', '/fhir', '/fhir'), { method: 'POST', path: '/fhir', searchParams: [] });
  assert.deepEqual(fhirReadAudit('POST', '/fhir/', '/fhir'), { method: 'POST', path: '/fhir', searchParams: [] });
  assert.equal(fhirReadAudit('POST', '/fhir/Observation', '/fhir'), undefined);
  assert.equal(fhirReadAudit('PUT', '/fhir/Observation/abc', '/fhir'), undefined);
  assert.equal(fhirReadAudit('DELETE', '/fhir/Observation/abc', '/fhir'), undefined);
});
