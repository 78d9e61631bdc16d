import { api, describeError, Unauthorized } from './api';
import { renderAudit } from './audit-page';
import { renderDeadLetters } from './dead-letters-page';
import { h, mount } from './element';
import { renderHealth } from './health-page';
import { renderLogin } from './login-page';
import { renderMessage } from './message-page';
import { renderMessages } from './messages-page';
import { renderModels } from './models-page';
import type { PageContext } from './page';

/**
 * The operator console: a static shell that routes by URL hash (`#/messages/<id>`), so the server
 * needs no catch-all route beside /api, /fhir, /docs and the rest. Data comes only from /api
 * with the session cookie; a 401 anywhere brings back the login form.
 */
const app = document.getElementById('app')!;
let timers: number[] = [];
let principal = '';
/** Bumped on every page change and on logout, so polls of a page that was left stop. */
let currentGeneration = 0;

function stopPolling(): void {
  timers.forEach((t) => clearTimeout(t));
  timers = [];
}

function showLogin(notice?: string): void {
  stopPolling();
  // A poll in flight must not reschedule itself behind the login form.
  currentGeneration++;
  renderLogin(app, () => void start(), notice);
}

function fail(err: unknown): void {
  if (err instanceof Unauthorized) return showLogin('Your session has ended; sign in again.');
  const banner = document.getElementById('page-error');
  if (banner) banner.textContent = describeError(err);
}

function context(root: HTMLElement, generation: number): PageContext {
  return {
    root,
    fail,
    poll: (ms, task) => {
      const run = (): void => {
        task()
          .then(() => {
            const banner = document.getElementById('page-error');
            if (banner) banner.textContent = '';
          })
          .catch(fail)
          .finally(() => {
            if (ms > 0 && generation === currentGeneration) timers.push(window.setTimeout(run, ms));
          });
      };
      run();
    },
  };
}

function route(): void {
  stopPolling();
  const generation = ++currentGeneration;
  const page = h('main', { id: 'page' });
  const hash = location.hash.replace(/^#/, '') || '/messages';
  const nav = (path: string, label: string) => h('a', { href: `#${path}`, class: hash.startsWith(path) ? 'active' : '' }, label);
  const logout = h('button', { id: 'logout', onclick: () => void api('/api/session', { method: 'DELETE' }).then(() => showLogin(), fail) }, 'Sign out');
  mount(
    app,
    h('header', {}, h('strong', { class: 'brand' }, 'ecg-gateway'), h('nav', {}, nav('/messages', 'Messages'), nav('/dead', 'Dead letters & failures'), nav('/models', 'Models'), nav('/health', 'Health'), nav('/audit', 'Audit'), h('a', { href: '/docs', target: '_blank' }, 'API docs')), h('span', { class: 'who' }, 'Signed in as ', h('span', { id: 'principal' }, principal), ' ', logout)),
    h('p', { id: 'page-error', role: 'alert' }),
    page,
  );
  const ctx = context(page, generation);
  const message = /^\/messages\/([0-9a-f-]{36})$/.exec(hash);
  if (message) renderMessage(ctx, message[1]!);
  else if (hash.startsWith('/dead')) renderDeadLetters(ctx);
  else if (hash.startsWith('/models')) renderModels(ctx);
  else if (hash.startsWith('/health')) renderHealth(ctx);
  else if (hash.startsWith('/audit')) renderAudit(ctx);
  else renderMessages(ctx);
}

async function start(): Promise<void> {
  try {
    principal = (await api<{ principal: string; expiresAt?: string }>('/api/session')).principal;
  } catch (err: unknown) {
    if (err instanceof Unauthorized) return showLogin();
    mount(app, h('p', { id: 'page-error', role: 'alert' }, `The gateway cannot be reached: ${describeError(err)}`));
    return;
  }
  window.onhashchange = route;
  route();
}

void start();
