import { api } from './api';
import { h, mount } from './element';
import { detailText, time } from './format';
import type { PageContext } from './page';
import type { AuditEntry } from './types';

const PAGE = 100;

function row(a: AuditEntry): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-action': a.action, 'data-principal': a.principal, 'data-message-id': a.messageId ?? '' },
    h('td', {}, time(a.at)),
    h('td', {}, a.principal),
    h('td', {}, h('code', {}, a.action)),
    h('td', {}, a.messageId ? h('a', { href: `#/messages/${a.messageId}` }, a.messageId.slice(0, 8)) : '–'),
    h('td', { class: 'muted' }, detailText(a.detail as Record<string, unknown> | undefined)),
  );
}

/**
 * The whole audit trail, newest first: who signed in, opened or replayed which message, read the
 * embedded /fhir, or managed tokens. Reading the trail is not itself audited (it holds no patient
 * data: message ids and codes only). Refreshed every 5 s; "Show older" pages on with the cursor.
 */
export function renderAudit(ctx: PageContext): void {
  const body = h('tbody');
  const more = h('div', { class: 'more' });
  /** Pages loaded past the first, kept while the first page refreshes. */
  let older: AuditEntry[] = [];
  let cursor: string | undefined;
  const draw = (first: readonly AuditEntry[]): void => {
    const all = [...first, ...older];
    mount(body, all.length ? all.map(row) : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No entries yet.')));
    mount(more, cursor ? h('button', { id: 'audit-older', onclick: () => void loadOlder().catch(ctx.fail) }, 'Show older') : null);
  };
  let first: AuditEntry[] = [];
  const refresh = async (): Promise<void> => {
    const page = await api<{ items: AuditEntry[]; nextCursor?: string }>(`/api/audit?limit=${PAGE}`);
    first = page.items;
    if (older.length === 0) cursor = page.nextCursor;
    draw(first);
  };
  const loadOlder = async (): Promise<void> => {
    if (!cursor) return;
    const page = await api<{ items: AuditEntry[]; nextCursor?: string }>(`/api/audit?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
    older = [...older, ...page.items];
    cursor = page.nextCursor;
    draw(first);
  };
  mount(
    ctx.root,
    h('h2', {}, 'Audit trail'),
    h('p', { class: 'muted' }, 'Who signed in, opened or replayed which message, and read the embedded FHIR endpoint.'),
    h('table', { id: 'audit-trail', class: 'list' }, h('thead', {}, h('tr', {}, ['At', 'Who', 'Action', 'Message', 'Detail'].map((t) => h('th', {}, t)))), body),
    more,
  );
  ctx.poll(5000, refresh);
}
