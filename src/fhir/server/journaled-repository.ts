import { OperationOutcomeError, isNotFound } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';

/** A resource written (or, with `resource` undefined, deleted) by a committed request. */
export interface ResourceChange {
  resourceType: string;
  id: string;
  resource: Resource | undefined;
}

interface JournalEntry {
  resourceType: string;
  id: string;
  before: Resource | undefined;
}

/**
 * @medplum/fhir-router's in-memory repository with a write journal, so a FHIR transaction can be
 * all-or-nothing (MemoryRepository itself has no rollback): `begin`, then `commit` (returns what
 * changed, for persistence) or `rollback` (restores every touched resource).
 */
export class JournaledRepository extends MemoryRepository {
  private journal: JournalEntry[] | undefined;

  begin(): void {
    if (this.journal) throw new Error('a journal is already open');
    this.journal = [];
  }

  override async createResource<T extends Resource>(resource: T): Promise<T & { id: string }> {
    const before = resource.id ? await this.current(resource.resourceType, resource.id) : undefined;
    const created = await super.createResource(resource);
    this.journal?.push({ resourceType: created.resourceType, id: created.id, before });
    return created;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    const before = await this.current(resourceType, id);
    await super.deleteResource(resourceType, id);
    this.journal?.push({ resourceType, id, before });
  }

  /** Ends the journal and returns the final state of every resource it touched. */
  async commit(): Promise<ResourceChange[]> {
    const journal = this.journal ?? [];
    this.journal = undefined;
    const seen = new Map<string, ResourceChange>();
    for (const e of journal) {
      seen.set(`${e.resourceType}/${e.id}`, { resourceType: e.resourceType, id: e.id, resource: await this.current(e.resourceType, e.id) });
    }
    return [...seen.values()];
  }

  /** Undoes every write since `begin`, newest first. */
  async rollback(): Promise<void> {
    const journal = this.journal ?? [];
    this.journal = undefined;
    for (const e of journal.reverse()) {
      if (e.before) await super.createResource(e.before);
      else if (await this.current(e.resourceType, e.id)) await super.deleteResource(e.resourceType, e.id);
    }
  }

  /** Puts persisted resources back as they were (id, versionId, lastUpdated kept). */
  async load(resources: Iterable<Resource>): Promise<number> {
    let n = 0;
    for (const r of resources) {
      await super.createResource(r);
      n++;
    }
    return n;
  }

  private async current(resourceType: string, id: string): Promise<Resource | undefined> {
    try {
      return await this.readResource(resourceType, id);
    } catch (err: unknown) {
      if (err instanceof OperationOutcomeError && isNotFound(err.outcome)) return undefined;
      throw err;
    }
  }
}
