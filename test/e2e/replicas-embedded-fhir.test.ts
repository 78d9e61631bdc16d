import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { FAST_RETRY_ENV, hl7Text, isDelivered, sendHl7, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';

/**
 * Two gateway processes on one PostgreSQL schema and no FHIR_BASE_URL (issue 9): each delivers to
 * its own embedded /fhir, and both endpoints serve one shared set of resources. Counting by
 * identifier through each replica proves every ECG's resources are there once, whichever replica
 * received, scored or delivered it, and a restarted replica (fresh DATA_DIR) still has them.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const PATIENT_SYSTEM = systems.patient.defaultTemplate.replace('{issuer}', 'ECGTOOLKIT');
/** What the gateway writes per ECG (the contract models: 12 + 4 outputs). */
const TYPES = ['Patient', 'Device', 'Observation', 'RiskAssessment', 'Provenance'] as const;
const ecgKey = (controlId: string): string => `hl7:ECGCART/CARDIOLOGY/${controlId}`;

async function fhirSearch(gw: GatewayProcess, type: string, query: string): Promise<Resource[]> {
  // The embedded /fhir needs a principal like /api (the gateway's admin token here).
  const res = await fetch(`${gw.baseUrl}/fhir/${type}?${query}`, { headers: gw.authHeaders() });
  assert.equal(res.status, 200, `${type}?${query}: ${res.status}`);
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource!);
}

/** Every conditional-create key (identifier, or tag for Provenance) of every resource a replica serves, with how often it occurs. */
async function keyCounts(gw: GatewayProcess): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const type of TYPES) {
    for (const r of await fhirSearch(gw, type, '_count=1000')) {
      const identifiers = (r as { identifier?: Array<{ system?: string; value?: string }> }).identifier ?? [];
      const keys = identifiers.length > 0 ? identifiers.map((i) => `${type} ${i.system}|${i.value}`) : (r.meta?.tag ?? []).map((t) => `${type} tag ${t.system}|${t.code}`);
      assert.ok(keys.length > 0, `${type}/${r.id} has an identifier or tag`);
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

describe('two replicas on one PostgreSQL share the embedded /fhir (real gateways, no FHIR_BASE_URL)', () => {
  const schema = uniqueSchemaName();
  const env = { ...FAST_RETRY_ENV, DATABASE_URL: urlWithSchema(schema) };
  const replicas: GatewayProcess[] = [];
  const ids = Array.from({ length: 6 }, (_, i) => `EMB-REP-${i + 1}`);

  before(async () => {
    await createSchema(schema);
    // One after the other: the first runs the migrations, the second finds them done.
    replicas.push(await startGateway({ env }));
    replicas.push(await startGateway({ env }));
  });
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await dropSchema(schema);
  });

  test('ECGs sent to both replicas are in both /fhir endpoints, each resource exactly once', async () => {
    const base = hl7Text(MA);
    // All at once to both: the replicas deliver concurrently, and every ECG is of the same patient
    // (one conditional create of the Patient raced from both sides).
    const acks = await Promise.all(ids.map((id, i) => sendHl7(replicas[i % 2]!, withControlId(base, id))));
    assert.deepEqual(acks, ids.map(() => 'AA'));
    for (const id of ids) await waitForMessage(replicas[0]!, id, isDelivered, 'delivered to an embedded /fhir');

    const perReplica = await Promise.all(replicas.map(keyCounts));
    for (const [i, counts] of perReplica.entries()) {
      const duplicates = [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
      assert.deepEqual(duplicates, [], `replica ${i}: no resource twice`);
    }
    assert.deepEqual([...perReplica[1]!.keys()].sort(), [...perReplica[0]!.keys()].sort(), 'both replicas serve the same resources');

    for (const gw of replicas) {
      for (const id of ids) {
        const ecg = await fhirSearch(gw, 'Observation', `identifier=${encodeURIComponent(systems.ecg)}|${encodeURIComponent(ecgKey(id))}`);
        assert.equal(ecg.length, 1, `${id}: one ECG Observation at ${gw.baseUrl}`);
      }
      const patients = await fhirSearch(gw, 'Patient', `identifier=${encodeURIComponent(PATIENT_SYSTEM)}|SBJ-123`);
      assert.equal(patients.length, 1, 'one Patient for all ECGs');
      assert.equal((await fhirSearch(gw, 'RiskAssessment', `patient=Patient/${patients[0]!.id}&_count=1000`)).length, 16 * ids.length);
    }
  });

  test('a restarted replica with a fresh DATA_DIR still serves every resource, once', async () => {
    const before = await keyCounts(replicas[0]!);
    await replicas[1]!.stop();
    replicas[1] = await startGateway({ env });
    const after = await keyCounts(replicas[1]!);
    assert.deepEqual([...after].sort(), [...before].sort());
    for (const id of ids) {
      const ecg = await fhirSearch(replicas[1]!, 'Observation', `identifier=${encodeURIComponent(systems.ecg)}|${encodeURIComponent(ecgKey(id))}`);
      assert.equal(ecg.length, 1, `${id}: one ECG Observation after the restart`);
    }
  });
});
