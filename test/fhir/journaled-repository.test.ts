import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSearchRequest } from '@medplum/core';
import type { Patient } from '@medplum/fhirtypes';
import { JournaledRepository } from '../../src/fhir/server/journaled-repository';
import { loadR4Definitions } from '../../src/fhir/server/r4-definitions';

loadR4Definitions();
const patient = (value: string, tag?: string): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:sys', value }],
  ...(tag ? { meta: { tag: [{ system: 'urn:tag', code: tag }] } } : {}),
});
const count = async (repo: JournaledRepository, q: string): Promise<number> => (await repo.searchResources(parseSearchRequest(q))).length;

test('rollback undoes creates, updates and deletes since begin; commit reports the final state', async () => {
  const repo = new JournaledRepository();
  const kept = await repo.createResource(patient('A'));
  repo.begin();
  const added = await repo.createResource(patient('B'));
  await repo.updateResource({ ...kept, active: true });
  await repo.rollback();
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|B'), 0);
  assert.equal((await repo.readResource<Patient>('Patient', kept.id)).active, undefined);
  await assert.rejects(repo.readResource('Patient', added.id));

  repo.begin();
  await repo.deleteResource('Patient', kept.id);
  await repo.rollback();
  assert.equal((await repo.readResource<Patient>('Patient', kept.id)).id, kept.id);

  repo.begin();
  const c = await repo.createResource(patient('C'));
  await repo.deleteResource('Patient', kept.id);
  const changes = await repo.commit();
  assert.deepEqual(changes.map((x) => [x.id, x.resource?.id]).sort(), [[c.id, c.id], [kept.id, undefined]].sort());
});

test('exact identifier and _tag searches are answered from the index and agree with the full search', async () => {
  const repo = new JournaledRepository();
  await repo.createResource(patient('A', 'x/1'));
  await repo.createResource(patient('A'));
  await repo.createResource(patient('p,q'));
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|A'), 2);
  assert.equal(await count(repo, 'Patient?_tag=urn:tag|x/1'), 1);
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|p%5C%2Cq'), 1, 'escaped comma');
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|A,urn:sys|p%5C%2Cq'), 3, 'an OR list takes the full search');
  assert.equal(await count(repo, 'Patient?identifier=urn:other|A'), 0);
  const p = await repo.createResource(patient('D'));
  repo.begin();
  await repo.updateResource({ ...p, identifier: [{ system: 'urn:sys', value: 'E' }] });
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|D'), 0);
  await repo.rollback();
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|D'), 1, 'the index follows a rollback');
  assert.equal(await count(repo, 'Patient?identifier=urn:sys|E'), 0);
});
