import { api } from './api';
import { h, mount } from './element';
import type { PageContext } from './page';
import { errorLine, time } from './format';
import { MESSAGE_STATES, type MessageItem } from './types';

interface Health {
  status: string;
  checks: Record<string, { ok: boolean; detail?: Record<string, unknown> }>;
}

/** /health answers 503 with the same body when a check fails, so it is read without api()'s error path. */
async function readHealth(): Promise<Health> {
  const res = await fetch('/health', { headers: { accept: 'application/json' } });
  return (await res.json()) as Health;
}

function describe(name: string, ok: boolean, detail: Record<string, unknown> | undefined): string {
  if (name === 'store') return ok ? 'writable' : 'cannot commit';
  if (!detail) return '';
  switch (name) {
    case 'mllp':
      return `MLLP port ${String(detail['port'])}, ${String(detail['connections'])} connection(s)`;
    case 'dicom':
      return `DICOM port ${String(detail['port'])}`;
    case 'fhir':
      return `EHR ${detail['target'] === 'embedded' ? 'embedded /fhir' : String(detail['target'])} · auth ${String(detail['auth'])} · patient ${String(detail['patientReference'])}`;
    case 'models': {
      const loaded = (detail['loaded'] as Array<{ id: string }> | undefined) ?? [];
      const refused = (detail['refused'] as Array<{ id: string }> | undefined) ?? [];
      return `${loaded.length} loaded (${loaded.map((m) => m.id).join(', ')}), ${refused.length} refused`;
    }
    default:
      return JSON.stringify(detail);
  }
}

/** Listeners, store, EHR target and models from /health; queue depth per state from /api/queue. */
export function renderHealth(ctx: PageContext): void {
  const checks = h('div');
  const queue = h('div');
  const ehr = h('div');
  mount(ctx.root, h('h2', {}, 'Health'), checks, h('h2', {}, 'EHR reachability'), ehr, h('h2', {}, 'Queue'), queue);
  ctx.poll(3000, async () => {
    const [health, q, delivered, scored] = await Promise.all([
      readHealth(),
      api<{ counts: Record<string, number> }>('/api/queue'),
      api<{ items: MessageItem[] }>('/api/messages?state=delivered&limit=1'),
      api<{ items: MessageItem[] }>('/api/messages?state=scored&limit=100'),
    ]);
    // /health does not probe the EHR; what real deliveries met is the better answer: the last
    // success, and the messages waiting to retry with the EHR's last error.
    const retrying = scored.items.filter((m) => m.lastError !== undefined);
    const last = delivered.items[0];
    mount(
      ehr,
      h('p', { id: 'ehr-last-delivery' }, last ? ['Last delivery succeeded ', time(last.updatedAt), '.'] : 'No delivery yet.'),
      retrying.length
        ? h('div', { id: 'ehr-retrying' }, h('p', { class: 'not-ok' }, `${retrying.length} message(s) waiting to retry delivery. Latest error:`), h('p', {}, errorLine(retrying[0]!.lastError)))
        : h('p', { id: 'ehr-retrying', class: 'ok' }, 'No delivery is waiting to retry.'),
    );
    mount(
      checks,
      h('p', { id: 'health-status', 'data-status': health.status }, `Overall: ${health.status}`),
      h('table', { id: 'health', class: 'list' }, h('tbody', {}, Object.entries(health.checks).map(([name, c]) => h('tr', { 'data-check': name, 'data-ok': String(c.ok) }, h('td', {}, name), h('td', {}, h('span', { class: c.ok ? 'ok' : 'not-ok' }, c.ok ? 'ok' : 'FAILING')), h('td', {}, describe(name, c.ok, c.detail)))))),
    );
    // Received, decoded and scored are the queues of the decode, score and deliver stages.
    mount(queue, h('table', { id: 'queue', class: 'list' }, h('tbody', {}, MESSAGE_STATES.map((s) => h('tr', { 'data-state': s }, h('td', {}, s), h('td', { class: 'count' }, String(q.counts[s] ?? 0)))))));
  });
}
