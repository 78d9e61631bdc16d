import type { FhirRequestHook } from '../server/fhir-engine';
import type { JournaledRepository, ResourceChange } from '../server/journaled-repository';

/**
 * Where the embedded /fhir endpoint keeps its resources: the SQLite file in DATA_DIR for one
 * gateway, or a PostgreSQL table shared by every replica. The FhirEngine serves from
 * `repository` (in memory) and calls `run` around each request, so the store decides what a
 * request must see first (other replicas' writes) and when a write counts as committed.
 * Abstract class rather than interface: it is the Nest token of the embedded store.
 */
export abstract class EmbeddedFhirStore implements FhirRequestHook {
  constructor(readonly repository: JournaledRepository) {}

  /** Migrates the store and loads every persisted resource into `repository`. */
  abstract open(): Promise<void>;

  abstract run(kind: 'read' | 'write', execute: () => Promise<ResourceChange[]>): Promise<void>;

  /** Resources persisted (not counting deletions). */
  abstract count(): Promise<number>;

  abstract close(): Promise<void>;
}
