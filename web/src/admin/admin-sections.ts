import type { ImportReport, PeopleAuditEntry, Team } from '../../../protocol/people.js';
import { h } from '../app/dom.js';
import { locale } from '../app/i18n.js';
import { names } from '../app/names.js';
import { peopleApi } from './admin-api.js';
import { type AdminKey, at } from './admin-words.js';

/** What the admin page's sections need from it: the token, a way to report, and to reload everything. */
export interface AdminContext {
  token: string;
  teams: Team[];
  /** Runs an API call: on success reports `done` (if any) and reloads; on refusal reports why. */
  act: (work: () => Promise<unknown>, done?: string) => Promise<boolean>;
}

/** User data (usernames, team names) is the admin's text, not the page's: the language walk leaves it out. */
export const userText = (text: string) => h('span', { 'data-user-text': '' }, text);

export const teamName = (teams: Team[], id: string | null): string => teams.find((t) => t.id === id)?.name ?? '';

const field = (label: string, control: HTMLElement) => h('label', {}, label, control);

export function teamsSection(ctx: AdminContext): HTMLElement {
  const name = h('input', { 'data-testid': 'team-name', maxlength: 64, required: true });
  return h(
    'section',
    { class: 'card', 'data-testid': 'admin-teams', 'aria-labelledby': 'admin-teams-title' },
    h('h3', { id: 'admin-teams-title' }, at('adminTeams')),
    h(
      'ul',
      { class: 'team-list' },
      ctx.teams.map((team) => {
        const rename = h('input', {
          value: team.name,
          'aria-label': at('adminRenameTeam', { name: team.name }),
          maxlength: 64,
          'data-testid': 'team-rename-input',
        });
        return h(
          'li',
          { 'data-testid': 'team-row', 'data-team': team.name },
          userText(team.name),
          rename,
          h(
            'button',
            { type: 'button', 'data-testid': 'team-rename', onclick: () => void ctx.act(() => ctxRename(ctx, team, rename.value), at('adminTeamSaved')) },
            at('adminRename'),
          ),
        );
      }),
    ),
    h(
      'form',
      {
        class: 'inline-form',
        'data-testid': 'team-create-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void ctx.act(() => peopleApi.createTeam(ctx.token, name.value.trim()), at('adminTeamSaved'));
        },
      },
      field(at('adminTeamName'), name),
      h('button', { type: 'submit', 'data-testid': 'team-create' }, at('adminCreateTeam')),
    ),
  );
}

const ctxRename = (ctx: AdminContext, team: Team, name: string) => peopleApi.renameTeam(ctx.token, team.id, name.trim());

export function importSection(ctx: AdminContext, report: ImportReport | null, onReport: (r: ImportReport) => void): HTMLElement {
  const text = h('textarea', { 'data-testid': 'import-csv', rows: 6, spellcheck: 'false' });
  return h(
    'section',
    { class: 'card', 'data-testid': 'admin-import', 'aria-labelledby': 'admin-import-title' },
    h('h3', { id: 'admin-import-title' }, at('adminImport')),
    h('p', {}, at('adminImportHint')),
    // The column names are what the admin types, the same in every language (like the editor's keys).
    h('p', {}, h('code', { 'data-author-id': 'csv-header' }, 'username,role,password,team')),
    h(
      'form',
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void ctx.act(() => peopleApi.import(ctx.token, text.value).then(onReport));
        },
      },
      field(at('adminImportText'), text),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'import-run' }, at('adminImportRun')),
    ),
    report ? importReport(report) : null,
  );
}

function importReport(report: ImportReport): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'import-report' },
    h('p', { role: 'status' }, at('adminImportSummary', { created: report.created, failed: report.failed })),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, at('adminRow')), h('th', {}, at('adminUsername')), h('th', {}, at('adminResult')))),
      h(
        'tbody',
        {},
        report.rows.map((r) =>
          h(
            'tr',
            { 'data-testid': 'import-row', 'data-ok': String(r.ok), 'data-error': r.ok ? null : r.error },
            h('td', {}, String(r.row)),
            h('td', {}, userText(r.username)),
            h('td', { class: r.ok ? 'ok' : 'error-text' }, r.ok ? at('adminOk') : at(`reason.${r.error}` as AdminKey)),
          ),
        ),
      ),
    ),
  );
}

export function auditSection(entries: PeopleAuditEntry[], teams: Team[]): HTMLElement {
  const when = new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' });
  return h(
    'section',
    { class: 'card', 'data-testid': 'admin-audit', 'aria-labelledby': 'admin-audit-title' },
    h('h3', { id: 'admin-audit-title' }, at('adminAudit')),
    entries.length
      ? h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'admin-audit-title' },
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h('tr', {}, ...(['adminWhen', 'adminWho', 'adminWhat', 'adminTarget', 'adminBefore', 'adminAfter'] as const).map((k) => h('th', {}, at(k)))),
            ),
            h(
              'tbody',
              {},
              entries.map((e) =>
                h(
                  'tr',
                  { 'data-testid': 'audit-row', 'data-action': e.action },
                  h('td', {}, when.format(new Date(e.at))),
                  h('td', {}, userText(e.actor)),
                  h('td', {}, at(`action.${e.action}` as AdminKey)),
                  h('td', {}, userText(e.targetName)),
                  h('td', {}, describe(e.before, teams)),
                  h('td', {}, describe(e.after, teams)),
                ),
              ),
            ),
          ),
        )
      : h('p', {}, at('adminNoAudit')),
  );
}

/** A before/after value in words: role names, team names, yes/no (never the JSON keys). */
function describe(value: unknown, teams: Team[]): HTMLElement | string {
  if (value === null || typeof value !== 'object') return '—';
  const v = value as Record<string, unknown>;
  const parts: (HTMLElement | string)[] = [];
  const add = (label: string, shown: HTMLElement | string) => parts.push(h('span', { class: 'change-part' }, `${label}: `, shown));
  if (typeof v.username === 'string') add(at('adminUsername'), userText(v.username));
  if (typeof v.role === 'string') add(at('adminRole'), names.role(v.role));
  if (typeof v.disabled === 'boolean') add(at('adminStatus'), at(v.disabled ? 'adminDisabled' : 'adminActive'));
  if (typeof v.mustChangePassword === 'boolean' && v.mustChangePassword) parts.push(h('span', { class: 'change-part' }, at('adminMustChange')));
  if ('teamId' in v) add(at('adminTeam'), v.teamId ? userText(teamName(teams, v.teamId as string)) : at('adminNoTeam'));
  if ('supervises' in v && v.role !== 'agent' && v.role !== 'qa' && v.role !== 'admin')
    add(at('adminSupervises'), v.supervises === 'all' ? at('adminAllTeams') : userText((v.supervises as string[]).map((id) => teamName(teams, id)).join(', ')));
  if (typeof v.name === 'string') add(at('adminTeamName'), userText(v.name));
  return h('span', {}, ...parts);
}
