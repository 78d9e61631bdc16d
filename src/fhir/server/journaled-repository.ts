import { Operator, OperationOutcomeError, isNotFound, type SearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';

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
 *
 * Searches by one exact token `identifier=system|value` or `_tag=system|code` — what every
 * conditional create asks — are answered from a hash index; MemoryRepository would evaluate the
 * search parameter's FHIRPath (a union over every resource type) on every stored resource, which
 * makes each transaction slower than the last.
 */
export class JournaledRepository extends MemoryRepository {
  private journal: JournalEntry[] | undefined;
  /** `Type` → `identifier|system|value` or `_tag|system|code` → ids. */
  private readonly tokenIndex = new Map<string, Map<string, Set<string>>>();
  private readonly indexedKeys = new Map<string, string[]>();

  begin(): void {
    if (this.journal) throw new Error('a journal is already open');
    this.journal = [];
  }

  override async createResource<T extends Resource>(resource: T): Promise<T & { id: string }> {
    const before = resource.id ? await this.current(resource.resourceType, resource.id) : undefined;
    const created = await super.createResource(resource);
    this.reindex(created);
    this.journal?.push({ resourceType: created.resourceType, id: created.id, before });
    return created;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    const before = await this.current(resourceType, id);
    await super.deleteResource(resourceType, id);
    this.unindex(resourceType, id);
    this.journal?.push({ resourceType, id, before });
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<T & { id: string }>> {
    const f = request.filters;
    const only = f?.length === 1 && !request.sortRules?.length && !request.offset && !request.include?.length && !request.revInclude?.length ? f[0] : undefined;
    const token = only && only.operator === Operator.EQUALS && (only.code === 'identifier' || only.code === '_tag') ? exactToken(only.value) : undefined;
    if (!only || !token) return super.search(request);
    const ids = [...(this.tokenIndex.get(request.resourceType)?.get(`${only.code}|${token.system}|${token.code}`) ?? [])];
    const entry: Array<{ resource: T & { id: string } }> = [];
    for (const id of ids.slice(0, request.count ?? ids.length)) entry.push({ resource: (await this.readResource(request.resourceType, id)) as T & { id: string } });
    return { resourceType: 'Bundle', type: 'searchset', ...(entry.length > 0 ? { entry } : {}), total: ids.length };
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
      if (e.before) this.reindex(await super.createResource(e.before));
      else if (await this.current(e.resourceType, e.id)) {
        await super.deleteResource(e.resourceType, e.id);
        this.unindex(e.resourceType, e.id);
      }
    }
  }

  /** Puts persisted resources back as they were (id, versionId, lastUpdated kept). */
  async load(resources: Iterable<Resource>): Promise<number> {
    let n = 0;
    for (const r of resources) {
      this.reindex(await super.createResource(r));
      n++;
    }
    return n;
  }

  private reindex(resource: Resource & { id: string }): void {
    this.unindex(resource.resourceType, resource.id);
    const keys = [
      ...((resource as { identifier?: Array<{ system?: string; value?: string }> }).identifier ?? []).map((i) => `identifier|${i.system ?? ''}|${i.value ?? ''}`),
      ...(resource.meta?.tag ?? []).map((t) => `_tag|${t.system ?? ''}|${t.code ?? ''}`),
    ];
    let byKey = this.tokenIndex.get(resource.resourceType);
    if (!byKey) this.tokenIndex.set(resource.resourceType, (byKey = new Map()));
    for (const k of keys) {
      let ids = byKey.get(k);
      if (!ids) byKey.set(k, (ids = new Set()));
      ids.add(resource.id);
    }
    this.indexedKeys.set(`${resource.resourceType}/${resource.id}`, keys);
  }

  private unindex(resourceType: string, id: string): void {
    const keys = this.indexedKeys.get(`${resourceType}/${id}`);
    if (!keys) return;
    const byKey = this.tokenIndex.get(resourceType);
    for (const k of keys) byKey?.get(k)?.delete(id);
    this.indexedKeys.delete(`${resourceType}/${id}`);
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

/** `system|code` with both parts and FHIR search escapes (backslash before \ | , $) undone; undefined for anything else (OR lists …). */
function exactToken(value: string): { system: string; code: string } | undefined {
  if (/(^|[^\\]),/.test(value)) return undefined;
  const bar = /(^|[^\\])\|/.exec(value);
  if (!bar) return undefined;
  const at = bar.index + bar[1]!.length;
  const unescape = (t: string): string => t.replace(/\\([\\|,$])/g, '$1');
  const system = unescape(value.slice(0, at));
  const code = unescape(value.slice(at + 1));
  return system && code ? { system, code } : undefined;
}
