import { api } from './api';
import { h, mount } from './element';
import { errorLine, sender, time } from './format';
import type { PageContext } from './page';
import type { MessageItem } from './types';

function table(id: string, items: readonly MessageItem[], ctx: PageContext, refresh: () => Promise<void>): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', id }, 'None.');
  return h(
    'table',
    { id, class: 'list' },
    h('thead', {}, h('tr', {}, ['Message', 'Protocol', 'Sender', 'Received', 'Attempts', 'Reason', ''].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      items.map((m) => {
        const button = h('button', { class: 'replay', 'data-id': m.id, onclick: () => {
          button.disabled = true;
          api(`/api/messages/${m.id}/replay`, { method: 'POST' }).then(refresh).catch(ctx.fail);
        } }, 'Replay');
        return h(
          'tr',
          { 'data-id': m.id, 'data-state': m.state, 'data-source-id': m.sourceId ?? '' },
          h('td', {}, h('a', { href: `#/messages/${m.id}` }, m.sourceId ?? m.id.slice(0, 8))),
          h('td', {}, m.protocol),
          h('td', {}, sender(m)),
          h('td', {}, time(m.receivedAt)),
          h('td', {}, String(m.attempts)),
          h('td', { class: 'reason' }, errorLine(m.lastError)),
          h('td', {}, button),
        );
      }),
    ),
  );
}

/**
 * Dead letters (delivery gave up: the EHR refused or retries ran out) and failed decodes (the
 * decoder's code, field and rule), each with Replay: back to `received` and through the pipeline.
 */
export function renderDeadLetters(ctx: PageContext): void {
  const dead = h('div');
  const failed = h('div');
  mount(ctx.root, h('h2', {}, 'Dead letters'), h('p', { class: 'muted' }, 'Delivery to the EHR gave up. Fix the cause (EHR down, mapping refused), then replay.'), dead, h('h2', {}, 'Failed decodes'), h('p', { class: 'muted' }, 'The decoder refused the message; the error names the field and the rule.'), failed);
  const refresh = async (): Promise<void> => {
    const [d, f] = await Promise.all([api<{ items: MessageItem[] }>('/api/messages?state=dead&limit=200'), api<{ items: MessageItem[] }>('/api/messages?state=failed&limit=200')]);
    mount(dead, table('dead-letters', d.items, ctx, refresh));
    mount(failed, table('failed-decodes', f.items, ctx, refresh));
  };
  ctx.poll(3000, refresh);
}
