import { api } from './api';
import { h, mount } from './element';
import { glanceBadge, sender, stateBadge, time } from './format';
import type { PageContext } from './page';
import { MESSAGE_STATES, PROTOCOLS, type MessageItem } from './types';

/** Filters survive leaving and coming back to the list. */
const filters = { state: '', protocol: '', since: '', until: '' };
/** Rows shown; "Show more" raises it up to the API's page maximum (older ones: narrow the time filter). */
let limit = 100;
const MAX_LIMIT = 500;

function query(): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (filters.state) q.set('state', filters.state);
  if (filters.protocol) q.set('protocol', filters.protocol);
  // datetime-local is the operator's local time; the API takes ISO 8601 with an offset.
  if (filters.since) q.set('since', new Date(filters.since).toISOString());
  if (filters.until) q.set('until', new Date(filters.until).toISOString());
  return q.toString();
}

function select(name: keyof typeof filters, options: readonly string[], onChange: () => void): HTMLSelectElement {
  const el = h('select', { id: `filter-${name}`, name, onchange: () => ((filters[name] = el.value), onChange()) }, h('option', { value: '' }, `any ${name}`), options.map((o) => h('option', { value: o }, o)));
  el.value = filters[name];
  return el;
}

function dateInput(name: 'since' | 'until', onChange: () => void): HTMLInputElement {
  const el = h('input', { id: `filter-${name}`, name, type: 'datetime-local', step: 1, onchange: () => ((filters[name] = el.value), onChange()) });
  el.value = filters[name];
  return el;
}

export function row(m: MessageItem): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-id': m.id, 'data-state': m.state, 'data-source-id': m.sourceId ?? '', onclick: () => (location.hash = `#/messages/${m.id}`) },
    h('td', {}, stateBadge(m.state)),
    h('td', {}, m.protocol),
    h('td', {}, sender(m)),
    h('td', {}, h('a', { href: `#/messages/${m.id}` }, m.sourceId ?? m.id.slice(0, 8))),
    h('td', {}, time(m.receivedAt)),
    h('td', { class: 'glances' }, (m.glance ?? []).map(glanceBadge)),
    h('td', { class: 'error' }, m.lastError ? `${m.lastError.code}${m.lastError.field ? ` @ ${m.lastError.field}` : ''}` : ''),
  );
}

/** The inbox, newest first, refreshed every 2 s (polling the shared store works across replicas). */
export function renderMessages(ctx: PageContext): void {
  const body = h('tbody');
  const status = h('span', { class: 'muted', id: 'list-status' });
  const more = h('div', { class: 'more' });
  const refresh = async (): Promise<void> => {
    const page = await api<{ items: MessageItem[]; nextCursor?: string }>(`/api/messages?${query()}`);
    mount(body, page.items.length ? page.items.map(row) : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No messages match.')));
    status.textContent = `${page.items.length}${page.nextCursor ? '+' : ''} shown · updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`;
    const canGrow = page.nextCursor !== undefined && limit < MAX_LIMIT;
    mount(more, canGrow ? h('button', { id: 'show-more', onclick: () => ((limit = Math.min(MAX_LIMIT, limit + 100)), changed()) }, 'Show 100 more') : page.nextCursor ? h('p', { class: 'muted' }, 'Narrow the time filter to see older messages.') : null);
  };
  const changed = (): void => void refresh().catch(ctx.fail);
  mount(
    ctx.root,
    h('h2', {}, 'Messages'),
    h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() }, select('state', MESSAGE_STATES, changed), select('protocol', PROTOCOLS, changed), h('label', {}, 'since ', dateInput('since', changed)), h('label', {}, 'until ', dateInput('until', changed)), status),
    h('table', { id: 'messages', class: 'list' }, h('thead', {}, h('tr', {}, ['State', 'Protocol', 'Sender', 'Message', 'Received', 'Model results', 'Error'].map((t) => h('th', {}, t)))), body),
    more,
  );
  ctx.poll(2000, refresh);
}
