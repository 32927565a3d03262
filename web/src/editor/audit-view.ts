import type { AuditEntry } from '../../../protocol/authoring.js';
import { h } from '../app/dom.js';
import { editorLabel } from './editor-i18n.js';

/** Who did what to the open version, oldest first. */
export function renderAudit(entries: AuditEntry[]): HTMLElement {
  return h(
    'ol',
    { class: 'audit', 'data-testid': 'audit' },
    entries.map((e) =>
      h(
        'li',
        { 'data-testid': 'audit-entry', 'data-action': e.action, 'data-actor': e.actor },
        h('strong', {}, editorLabel(e.action)),
        ` · ${editorLabel(e.actor)} · ${new Date(e.at).toLocaleString()}`,
        typeof e.detail.comment === 'string' ? h('q', { 'data-user-text': '' }, e.detail.comment) : null,
      ),
    ),
  );
}
