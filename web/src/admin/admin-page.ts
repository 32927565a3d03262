import type { Role } from '../../../protocol/auth.js';
import type { ImportReport, PersonSummary, Team } from '../../../protocol/people.js';
import { ApiError, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { names } from '../app/names.js';
import { peopleApi } from './admin-api.js';
import { type AdminContext, auditSection, importSection, teamsSection, userText } from './admin-sections.js';
import { at } from './admin-words.js';

const ROLES: Role[] = ['agent', 'supervisor', 'qa', 'admin'];

/**
 * The admin page (#people, admins only): users (create, disable/enable, re-role, team, reset the
 * password), teams, CSV import with its per-row report, and the change log. Every action goes to
 * /api/people and the page reloads what it shows; a refusal is said in the page's language.
 */
export function mountAdmin(root: HTMLElement, session: Session): () => void {
  let report: ImportReport | null = null;
  let alive = true;
  const status = h('p', { class: 'admin-status', role: 'status', 'data-testid': 'admin-status' });
  const body = h('div', { class: 'admin-body' });
  root.replaceChildren(h('section', { class: 'admin-page', 'data-testid': 'admin-page' }, h('h2', {}, at('adminTitle')), status, body));

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('error-text', error);
  };

  async function act(work: () => Promise<unknown>, done?: string): Promise<boolean> {
    try {
      await work();
      if (done) say(done);
      await load();
      return true;
    } catch (e) {
      say(at('adminRefused', { reason: e instanceof ApiError ? errorText(e.code) : errorText('NETWORK') }), true);
      return false;
    }
  }

  async function load(): Promise<void> {
    const [users, teams, audit] = await Promise.all([peopleApi.users(session.token), peopleApi.teams(session.token), peopleApi.audit(session.token)]);
    if (!alive) return;
    const ctx: AdminContext = { token: session.token, teams, act };
    body.replaceChildren(
      usersSection(ctx, users, session),
      createSection(ctx),
      teamsSection(ctx),
      importSection(ctx, report, (r) => (report = r)),
      auditSection(audit, teams),
    );
  }

  load().catch((e) =>
    say(e instanceof ApiError && e.code === 'FORBIDDEN' ? at('adminForbidden') : errorText(e instanceof ApiError ? e.code : 'NETWORK'), true),
  );
  return () => {
    alive = false;
  };
}

const roleSelect = (value: Role, attrs: Record<string, string>) =>
  h('select', attrs, ...ROLES.map((r) => h('option', { value: r, selected: r === value }, names.role(r))));

const teamSelect = (teams: Team[], value: string | null, attrs: Record<string, string>) =>
  h(
    'select',
    attrs,
    h('option', { value: '', selected: value === null }, at('adminNoTeam')),
    ...teams.map((t) => h('option', { value: t.id, selected: t.id === value, 'data-user-text': '' }, t.name)),
  );

function usersSection(ctx: AdminContext, users: PersonSummary[], session: Session): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'admin-users', 'aria-labelledby': 'admin-users-title' },
    h('h3', { id: 'admin-users-title' }, at('adminUsers')),
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'admin-users-title' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h('tr', {}, ...(['adminUsername', 'adminRole', 'adminTeam', 'adminStatus', 'adminActions'] as const).map((k) => h('th', { scope: 'col' }, at(k)))),
        ),
        h(
          'tbody',
          {},
          users.map((u) => userRow(ctx, u, u.username === session.username)),
        ),
      ),
    ),
  );
}

function userRow(ctx: AdminContext, u: PersonSummary, self: boolean): HTMLElement {
  const update = (body: Parameters<typeof peopleApi.update>[2]) => ctx.act(() => peopleApi.update(ctx.token, u.id, body), at('adminSaved'));
  const role = roleSelect(u.role, { 'aria-label': at('adminRoleOf', { name: u.username }), 'data-testid': 'user-role' });
  role.disabled = self;
  role.addEventListener('change', () => void update({ role: role.value as Role }));
  const team = teamSelect(ctx.teams, u.teamId, { 'aria-label': at('adminTeamOf', { name: u.username }), 'data-testid': 'user-team' });
  team.addEventListener('change', () => void update({ teamId: team.value || null }));
  const password = h('input', {
    type: 'password',
    autocomplete: 'new-password',
    'aria-label': at('adminResetPassword'),
    'data-testid': 'reset-password',
    maxlength: 256,
  });
  const state = u.disabled ? at('adminDisabled') : u.mustChangePassword ? at('adminMustChange') : at('adminActive');
  return h(
    'tr',
    { 'data-testid': 'user-row', 'data-username': u.username, 'data-disabled': String(u.disabled) },
    h('th', { scope: 'row' }, userText(u.username)),
    h('td', {}, role),
    h('td', {}, u.role === 'agent' ? team : u.role === 'supervisor' ? supervisesSelect(ctx, u, update) : '—'),
    h('td', { 'data-testid': 'user-state' }, state),
    h(
      'td',
      { class: 'user-actions' },
      self
        ? null
        : h(
            'button',
            { type: 'button', 'data-testid': u.disabled ? 'user-enable' : 'user-disable', onclick: () => void update({ disabled: !u.disabled }) },
            at(u.disabled ? 'adminEnable' : 'adminDisable', { name: u.username }),
          ),
      password,
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'user-reset',
          onclick: () => void ctx.act(() => peopleApi.reset(ctx.token, u.id, password.value), at('adminResetDone')),
        },
        at('adminReset', { name: u.username }),
      ),
    ),
  );
}

/** A supervisor's teams: "all teams", or the teams chosen (several with Ctrl/Shift). */
function supervisesSelect(ctx: AdminContext, u: PersonSummary, update: (body: { supervises: 'all' | string[] }) => Promise<boolean>): HTMLElement {
  const chosen = (id: string) => u.supervises !== 'all' && u.supervises.includes(id);
  const select = h(
    'select',
    { multiple: true, size: Math.min(4, ctx.teams.length + 1), 'aria-label': at('adminSupervisesOf', { name: u.username }), 'data-testid': 'user-supervises' },
    h('option', { value: 'all', selected: u.supervises === 'all' }, at('adminAllTeams')),
    ...ctx.teams.map((t) => h('option', { value: t.id, selected: chosen(t.id), 'data-user-text': '' }, t.name)),
  );
  select.addEventListener('change', () => {
    const values = [...select.selectedOptions].map((o) => o.value);
    void update({ supervises: values.includes('all') || !values.length ? 'all' : values });
  });
  return select;
}

function createSection(ctx: AdminContext): HTMLElement {
  const username = h('input', { 'data-testid': 'create-username', autocomplete: 'off', required: true, maxlength: 64 });
  const role = roleSelect('agent', { 'data-testid': 'create-role' });
  const password = h('input', { 'data-testid': 'create-password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256 });
  const team = teamSelect(ctx.teams, null, { 'data-testid': 'create-team' });
  return h(
    'section',
    { class: 'card', 'data-testid': 'admin-create', 'aria-labelledby': 'admin-create-title' },
    h('h3', { id: 'admin-create-title' }, at('adminCreateUser')),
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void ctx.act(
            () =>
              peopleApi.create(ctx.token, { username: username.value.trim(), role: role.value as Role, password: password.value, teamId: team.value || null }),
            at('adminCreated'),
          );
        },
      },
      h('label', {}, at('adminUsername'), username),
      h('label', {}, at('adminRole'), role),
      h('label', {}, at('adminPassword'), password),
      h('label', {}, at('adminTeam'), team),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-submit' }, at('adminCreate')),
    ),
  );
}
