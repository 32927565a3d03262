import type { ErrorDetails } from '../../../protocol/errors.js';
import { api, ApiError, type Session } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export function renderLogin(root: HTMLElement, onLoggedIn: (session: Session) => void): void {
  const username = h('input', {
    'data-testid': 'login-username',
    name: 'username',
    autocomplete: 'username',
    required: true,
    autofocus: true,
  });
  const password = h('input', {
    'data-testid': 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { class: 'error-text', 'data-testid': 'login-error', hidden: true });
  const form = h(
    'form',
    {
      class: 'login card',
      'data-testid': 'login-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.hidden = true;
        try {
          const { token, role } = await api.login({ username: username.value.trim(), password: password.value });
          onLoggedIn({ token, role, username: username.value.trim() });
        } catch (e) {
          const wait =
            e instanceof ApiError && e.code === 'TOO_MANY_ATTEMPTS'
              ? (e.details as ErrorDetails['TOO_MANY_ATTEMPTS'] | undefined)?.retryAfterSeconds
              : undefined;
          error.textContent = wait === undefined ? t('loginFailed') : t('loginThrottled', { seconds: wait });
          error.hidden = false;
          password.select();
        }
      },
    },
    h('h2', {}, t('login')),
    h('label', {}, t('username'), username),
    h('label', {}, t('password'), password),
    error,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('login')),
  );
  root.replaceChildren(form);
  username.focus();
}
