import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { Client } from 'pg';
import type { FhirServerProcess } from '../../test/helpers/fhir-server-process';

/** A message's state in the shared store, by source id (MSH-10 / SOP Instance UID). */
export async function storeStates(db: Client, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = (await db.query<{ source_id: string; state: string }>('SELECT source_id, state FROM messages WHERE source_id = ANY($1::text[])', [ids])).rows;
  // One row per id is expected (a resend of the same bytes is a repeat); should there be more,
  // the one furthest along speaks for the ECG.
  const rank = (s: string | undefined) => ['delivered', 'dead', 'failed', 'scored', 'decoded', 'received'].indexOf(s ?? '');
  const states = new Map<string, string>();
  for (const r of rows) {
    const known = states.get(r.source_id);
    if (known === undefined || rank(r.state) < rank(known)) states.set(r.source_id, r.state);
  }
  return states;
}

/** Store rows per source id: more than one means the inbox took a resend as a new message. */
export async function storeRowsPerId(db: Client, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = (await db.query<{ source_id: string; n: string }>('SELECT source_id, count(*) AS n FROM messages WHERE source_id = ANY($1::text[]) GROUP BY source_id', [ids])).rows;
  return new Map(rows.map((r) => [r.source_id, Number(r.n)]));
}

export const FINAL_STATES = new Set(['delivered', 'dead', 'failed']);

/** Runs `fn` over `items` with at most `width` at a time. */
export async function pooled<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
    }),
  );
  return out;
}

/**
 * Every identifier (system|value) carried by resources of `type` in the FHIR server, with how many
 * resources carry it, read page by page (_count/_offset). Catches a duplicate of any result
 * resource, not only of the ECG Observation that the per-ECG count looks at.
 */
export async function identifierCounts(fhir: FhirServerProcess, type: string, pageSize = 1000): Promise<{ resources: number; counts: Map<string, number> }> {
  const counts = new Map<string, number>();
  let resources = 0;
  for (let offset = 0; ; offset += pageSize) {
    const page = await fhir.get<Bundle>(`${type}?_count=${pageSize}&_offset=${offset}`);
    const entries = page.entry ?? [];
    for (const e of entries) {
      resources++;
      for (const i of (e.resource as Resource & { identifier?: Array<{ system?: string; value?: string }> }).identifier ?? []) {
        const key = `${i.system ?? ''}|${i.value ?? ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    if (entries.length < pageSize) break;
  }
  return { resources, counts };
}

/** Evidence from the timelines that the chaos hit the work: failed EHR attempts (the outage) and lease takeovers (the kills). */
export async function timelineEvidence(db: Client): Promise<{ deliveryAttempts: number; failedDeliveryAttempts: number; leaseTakeovers: number }> {
  const row = (
    await db.query<{ attempts: string; failed: string; takeovers: string }>(
      `SELECT count(*) FILTER (WHERE event = 'delivery-attempt') AS attempts,
              count(*) FILTER (WHERE event = 'delivery-attempt' AND state <> 'delivered') AS failed,
              count(*) FILTER (WHERE event = 'lease-expired') AS takeovers
         FROM message_timeline`,
    )
  ).rows[0];
  return { deliveryAttempts: Number(row?.attempts ?? 0), failedDeliveryAttempts: Number(row?.failed ?? 0), leaseTakeovers: Number(row?.takeovers ?? 0) };
}

/** The dead-lettered ECGs with why (error code only: a message text could quote the ECG). */
export async function deadLetters(db: Client, ids: readonly string[]): Promise<Array<{ id: string; attempts: number; code: string }>> {
  const rows = (
    await db.query<{ source_id: string; attempts: number; last_error_code: string | null }>(
      `SELECT source_id, attempts, last_error_code FROM messages WHERE state = 'dead' AND source_id = ANY($1::text[]) ORDER BY seq`,
      [ids],
    )
  ).rows;
  return rows.map((r) => ({ id: r.source_id, attempts: r.attempts, code: r.last_error_code ?? '' }));
}
