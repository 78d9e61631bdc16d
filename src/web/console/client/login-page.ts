import { api, describeError, Unauthorized } from './api';
import { h, mount } from './element';

/** The token form shown whenever GET /api/session answers 401. */
export function renderLogin(root: HTMLElement, onLoggedIn: () => void, notice?: string): void {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, placeholder: 'administrator token' });
  const error = h('p', { class: 'login-error', role: 'alert' }, notice ?? '');
  const form = h(
    'form',
    {
      id: 'login-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        api('/api/session', { method: 'POST', body: { token: input.value } })
          .then(onLoggedIn)
          .catch((err: unknown) => {
            error.textContent = err instanceof Unauthorized ? 'The token was not accepted.' : describeError(err);
          });
      },
    },
    h('h1', {}, 'ecg-gateway console'),
    h('label', { for: 'token' }, 'Token'),
    input,
    h('button', { type: 'submit', id: 'login' }, 'Sign in'),
    error,
  );
  mount(root, h('main', { class: 'login' }, form));
  input.focus();
}
