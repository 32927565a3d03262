import type { ErrorDetails } from '../../../protocol/errors.js';
import { api, ApiError, type Session } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** The single sign-on callback's answer in the URL fragment (docs/SSO.md): a session, or why not (a dictionary text). */
function ssoOutcome(): Session | { error: string } | null {
  const hash = new URLSearchParams(location.hash.slice(1));
  const token = hash.get('sso-token');
  const code = hash.get('sso-error');
  if (token === null && code === null) return null;
  // The token leaves the address bar (and the history) at once.
  history.replaceState(null, '', location.pathname + location.search);
  const role = hash.get('role') as Session['role'] | null;
  if (token !== null && role !== null) return { token, role, username: hash.get('username') ?? '' };
  return { error: code === 'FORBIDDEN' ? t('ssoRefused') : t('ssoFailed') };
}

export function renderLogin(root: HTMLElement, onLoggedIn: (session: Session) => void): void {
  const outcome = ssoOutcome();
  if (outcome && 'token' in outcome) return onLoggedIn(outcome);
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
        const name = username.value.trim();
        try {
          const result = await api.login({ username: name, password: password.value });
          // An admin reset the password: nothing else until a new one is chosen.
          if ('mustChangePassword' in result) return renderPasswordChange(root, name, password.value, onLoggedIn);
          onLoggedIn({ token: result.token, role: result.role, username: name });
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
  if (outcome) {
    error.textContent = outcome.error;
    error.hidden = false;
  }
  // SSO: a button to the provider; with local passwords off, only that button.
  void api
    .ssoOptions()
    .then((options) => {
      if (options.sso) {
        const button = h(
          'a',
          { class: 'button primary', href: '/api/auth/oidc/start', 'data-testid': 'login-sso' },
          t('ssoSignIn', { provider: options.sso.providerName }),
        );
        form.insertBefore(button, error);
      }
      if (!options.localPasswords) for (const el of form.querySelectorAll('label, button[type="submit"]')) el.remove();
    })
    .catch(() => undefined);
}

/** The forced change after an admin reset: the login is sent again with `newPassword`. */
function renderPasswordChange(root: HTMLElement, username: string, current: string, onLoggedIn: (session: Session) => void): void {
  const input = (testId: string) => h('input', { 'data-testid': testId, type: 'password', autocomplete: 'new-password', required: true, maxlength: 256 });
  const next = input('new-password');
  const again = input('new-password-again');
  const error = h('p', { class: 'error-text', 'data-testid': 'new-password-error', role: 'alert', hidden: true });
  const show = (text: string) => {
    error.textContent = text;
    error.hidden = false;
  };
  const form = h(
    'form',
    {
      class: 'login card',
      'data-testid': 'password-change-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.hidden = true;
        if (next.value !== again.value) return show(t('newPasswordMismatch'));
        try {
          const result = await api.login({ username, password: current, newPassword: next.value });
          if ('token' in result) onLoggedIn({ token: result.token, role: result.role, username });
        } catch (e) {
          show(e instanceof ApiError && e.code === 'VALIDATION_FAILED' ? t('newPasswordWeak') : t('loginFailed'));
          next.select();
        }
      },
    },
    h('h2', {}, t('mustChangeTitle')),
    h('p', { 'data-testid': 'must-change-hint' }, t('mustChangeHint')),
    h('label', {}, t('newPassword'), next),
    h('label', {}, t('newPasswordAgain'), again),
    error,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'new-password-submit' }, t('setNewPassword')),
  );
  root.replaceChildren(form);
  next.focus();
}
