import type { FlowVersions } from '../../../protocol/authoring.js';
import { h } from '../app/dom.js';
import { pick } from '../app/i18n.js';
import { editorLabel, et } from './editor-i18n.js';

/** Every flow with its versions: state badge, which one is in force, whether it loads, who created it. */
export function renderFlowList(
  flows: FlowVersions[],
  open: { flowId: string; version: number } | null,
  onOpen: (flowId: string, version: number) => void,
): HTMLElement {
  return h(
    'nav',
    { class: 'flow-index', 'data-testid': 'editor-flows' },
    h('h2', {}, et('flows')),
    h(
      'ul',
      {},
      flows.map((f) =>
        h(
          'li',
          { class: 'editor-flow', 'data-testid': 'editor-flow', 'data-flow-id': f.id, 'data-in-force': String(f.inForce ?? '') },
          h('div', { class: 'flow-name' }, pick(f.title)),
          h(
            'ul',
            { class: 'versions' },
            f.versions.map((v) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: `version-link${open?.flowId === f.id && open.version === v.version ? ' open' : ''}`,
                    'data-testid': 'editor-version',
                    'data-flow-id': f.id,
                    'data-version': String(v.version),
                    'data-status': v.status,
                    'data-in-force': String(v.inForce),
                    'data-loads': String(v.loads),
                    onclick: () => onOpen(f.id, v.version),
                  },
                  `v${v.version}`,
                  ' ',
                  h('span', { class: `state-badge state-${v.status}`, 'data-testid': 'version-state' }, et(v.status)),
                  v.inForce ? h('span', { class: 'state-badge in-force', 'data-testid': 'in-force' }, `★ ${et('inForce')}`) : null,
                  v.loads ? null : h('span', { class: 'state-badge does-not-load', 'data-testid': 'does-not-load' }, `⚠ ${et('doesNotLoad')}`),
                  h('span', { class: 'muted by' }, ` ${et('createdBy')} ${editorLabel(v.createdBy)}`),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
