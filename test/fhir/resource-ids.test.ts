import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EcgRecord } from '../../src/ecg/record';
import { ecgKeyFor, identifierQuery, patientIdentifierSystem, safeIdPart, stableUuid } from '../../src/fhir/mapping/resource-ids';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';

const systems = loadFhirMappings()['identifier-systems'];
const sha = '0123456789abcdef'.repeat(4);
const rec = (order: EcgRecord['order'], source: Partial<EcgRecord['source']> = {}): Pick<EcgRecord, 'order' | 'source'> => ({ order, source: { format: 'hl7v2', ...source } });

test('the ECG identity prefers the SOP Instance UID, then the aECG document id, then sender + MSH-10, then the bytes', () => {
  assert.equal(ecgKeyFor(rec({ sopInstanceUid: '1.2.3', messageControlId: 'X' }), { sha256: sha }), 'dicom:1.2.3');
  assert.equal(ecgKeyFor(rec({ documentId: '2.16.1^abc', messageControlId: 'X' }), { sha256: sha }), 'aecg:2.16.1_5Eabc');
  assert.equal(ecgKeyFor(rec({ messageControlId: 'ECG-1' }, { sendingApplication: 'CART', sendingFacility: 'CARDIO' }), { sha256: sha }), 'hl7:CART/CARDIO/ECG-1');
  assert.equal(ecgKeyFor(rec({}), { sha256: sha }), `sha256:${sha}`);
});

test('a new version of a message gets its own identity', () => {
  assert.equal(ecgKeyFor(rec({ sopInstanceUid: '1.2.3' }), { sha256: sha, isNewVersion: true }), 'dicom:1.2.3/v-0123456789abcdef');
});

test('identifier parts never contain search or URL specials and stay distinct', () => {
  const inputs = ['a|b', 'a,b', 'a$b', 'a\\b', 'a b', 'a/b', 'a_b', 'a_7Cb', 'é'];
  const outs = inputs.map(safeIdPart);
  for (const o of outs) assert.match(o, /^[A-Za-z0-9.\-:@_]+$/);
  assert.equal(new Set(outs).size, inputs.length);
  assert.equal(safeIdPart('é'), '_C3_A9');
});

test('identifier queries escape FHIR search specials and URL-encode', () => {
  assert.equal(identifierQuery('urn:x', 'a,b'), 'identifier=urn%3Ax|a%5C%2Cb');
});

test('fullUrls are stable RFC 4122 v5-layout UUIDs', () => {
  const u = stableUuid('x');
  assert.equal(u, stableUuid('x'));
  assert.notEqual(u, stableUuid('y'));
  assert.match(u, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('patient identifier systems: mapped issuer, OID issuer, templated issuer, none', () => {
  const s = { ...systems, patient: { ...systems.patient, byIssuer: { HOSP: 'urn:oid:1.2.3.4' } } };
  assert.equal(patientIdentifierSystem(s, 'HOSP'), 'urn:oid:1.2.3.4');
  assert.equal(patientIdentifierSystem(s, '2.16.840.1.1'), 'urn:oid:2.16.840.1.1');
  assert.equal(patientIdentifierSystem(s, 'ECG TK'), 'https://ecg-gateway.example.org/fhir/sid/patient/ECG%20TK');
  assert.equal(patientIdentifierSystem(s, undefined), 'https://ecg-gateway.example.org/fhir/sid/patient');
});
