import { h } from '../dom.js';
import type { AuditEntry } from './authoring-api.js';

/** Who did what to the open version, oldest first. */
export function renderAudit(entries: AuditEntry[]): HTMLElement {
  return h(
    'ol',
    { class: 'audit', 'data-testid': 'audit' },
    entries.map((e) =>
      h(
        'li',
        { 'data-testid': 'audit-entry', 'data-action': e.action, 'data-actor': e.actor },
        h('strong', {}, e.action),
        ` · ${e.actor} · ${new Date(e.at).toLocaleString()}`,
        typeof e.detail.comment === 'string' ? h('q', {}, e.detail.comment) : null,
      ),
    ),
  );
}
