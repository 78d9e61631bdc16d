import { OperationOutcomeError, isNotFound } from '@medplum/core';
import type { JournaledRepository, ResourceChange } from '../server/journaled-repository';

/**
 * Makes the in-memory repository hold what the store holds for these resources: the persisted
 * version (id, versionId and lastUpdated kept), or nothing where the store has none or a
 * deletion. Used to catch up with other replicas and to undo a write the store did not commit.
 * Call only between requests (no journal open), so nothing here is journaled.
 */
export async function applyPersisted(repo: JournaledRepository, persisted: Iterable<ResourceChange>): Promise<void> {
  for (const p of persisted) {
    if (p.resource) {
      await repo.load([p.resource]);
      continue;
    }
    try {
      await repo.deleteResource(p.resourceType, p.id);
    } catch (err: unknown) {
      // Already absent here: the deletion is what the store says, so there is nothing to undo.
      if (!(err instanceof OperationOutcomeError && isNotFound(err.outcome))) throw err;
    }
  }
}

/** `Type/id`, the key of a resource in the change maps. */
export function changeKey(c: Pick<ResourceChange, 'resourceType' | 'id'>): string {
  return `${c.resourceType}/${c.id}`;
}
