import { deriveLimbLeads } from '../derive-limb-leads';
import type { LeadName } from '../lead-name';
import type { EcgRecord } from '../record';

export type LeadSelection =
  | { ok: true; leads: Array<[string, Float32Array]>; derived: string[] }
  | { ok: false; missing: string[] };

/**
 * The leads a model needs, in its order. III, aVR, aVL, aVF missing from the record are derived
 * from I and II (Einthoven/Goldberger); `derived` lists every selected lead that was computed,
 * by the decoder or here.
 */
export function selectLeads(record: EcgRecord, wanted: readonly string[]): LeadSelection {
  let available: ReadonlyMap<string, Float32Array> = new Map(Object.entries(record.leads));
  const derived = new Set<string>(record.derivedLeads);
  if (wanted.some((l) => !available.has(l))) {
    const completed = new Map<LeadName, Float32Array>(available);
    for (const name of deriveLimbLeads(completed)) derived.add(name);
    available = completed;
  }
  const missing = wanted.filter((l) => !available.has(l));
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    leads: wanted.map((l) => [l, available.get(l)!]),
    derived: wanted.filter((l) => derived.has(l)),
  };
}
