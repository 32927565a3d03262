import { h } from '../app/dom.js';
import { locale } from '../app/i18n.js';
import type { FlowJson } from './authoring-api.js';
import { et } from './editor-i18n.js';

const LOCALES = ['zh-CN', 'en'] as const;
type Text = Partial<Record<(typeof LOCALES)[number], string>>;

export interface StepFormOptions {
  editable: boolean;
  /** Called after every edit of the definition (which the form changes in place). */
  onChange: () => void;
}

/**
 * A form over one step's texts: title, script and customer's words per locale, care prompts
 * (add / remove / edit), option labels and inline offers' titles and pitches. Read-only unless the
 * version is a draft the user may edit.
 */
export function renderStepForm(definition: FlowJson, stepId: string, opts: StepFormOptions): HTMLElement {
  const state = definition.machine?.states?.[stepId];
  if (!state) return h('p', { class: 'muted', 'data-testid': 'step-form-empty' }, et('chooseStep'));
  state.meta ??= {};
  const meta = state.meta as FlowJson;
  const ro = !opts.editable;
  const rerender = () => form.replaceWith(renderStepForm(definition, stepId, opts));

  /** Two inputs (zh-CN, en) over a LocalizedText that `get` returns (creating it on first edit). */
  const localized = (testId: string, read: () => Text | undefined, write: (t: Text | undefined) => void, multiline = false) =>
    h(
      'div',
      { class: 'localized' },
      LOCALES.map((loc) => {
        const attrs = {
          'data-testid': `${testId}-${loc}`,
          'data-locale': loc,
          lang: loc,
          readonly: ro,
          rows: multiline ? 3 : null,
          value: read()?.[loc] ?? '',
          oninput: (e: Event) => {
            const value = (e.target as HTMLInputElement).value;
            const next: Text = { ...(read() ?? {}), [loc]: value };
            write(LOCALES.every((l) => !next[l]) ? undefined : next);
            opts.onChange();
          },
        };
        return h(
          'label',
          { class: 'loc' },
          h('span', { class: 'loc-tag', 'data-locale': loc }, loc === 'zh-CN' ? '中文' : 'English'),
          multiline ? h('textarea', attrs) : h('input', attrs),
        );
      }),
    );
  const field = (name: 'title' | 'script' | 'customerSays', multiline: boolean) =>
    h(
      'div',
      { class: 'form-field' },
      h('h4', {}, et(name)),
      localized(
        `field-${name}`,
        () => meta[name],
        (t) => (t ? (meta[name] = t) : delete meta[name]),
        multiline,
      ),
    );

  const prompts: FlowJson[] = Array.isArray(meta.prompts) ? meta.prompts : [];
  const promptRows = prompts.map((p, i) =>
    h(
      'div',
      { class: 'prompt-row', 'data-testid': 'prompt-row', 'data-prompt-id': p.id },
      h('code', { 'data-author-id': '' }, p.id),
      localized(
        `prompt-${p.id}`,
        () => p.text,
        (t) => (p.text = t ?? { 'zh-CN': '', en: '' }),
        true,
      ),
      ro
        ? null
        : h(
            'button',
            {
              type: 'button',
              'data-testid': 'remove-prompt',
              onclick: () => {
                prompts.splice(i, 1);
                if (!prompts.length) delete meta.prompts;
                opts.onChange();
                rerender();
              },
            },
            et('remove'),
          ),
    ),
  );
  const addPrompt = ro
    ? null
    : h(
        'button',
        {
          type: 'button',
          'data-testid': 'add-prompt',
          onclick: () => {
            const ids = new Set(prompts.map((p) => p.id));
            let n = prompts.length + 1;
            while (ids.has(`prompt-${n}`)) n++;
            meta.prompts = [...prompts, { id: `prompt-${n}`, text: { 'zh-CN': '新提醒', en: 'New reminder' } }];
            opts.onChange();
            rerender();
          },
        },
        et('addPrompt'),
      );

  const options: FlowJson[] = Array.isArray(meta.options) ? meta.options : [];
  const offers: FlowJson[] = Array.isArray(meta.offers) ? meta.offers : [];

  const form = h(
    'form',
    {
      class: 'step-form',
      'data-testid': 'step-form',
      'data-step-id': stepId,
      'data-editable': String(opts.editable),
      onsubmit: (e: Event) => e.preventDefault(),
    },
    h('h3', {}, `${meta.title?.[locale()] ?? stepId}`, ' ', h('code', { 'data-author-id': '' }, stepId)),
    ro ? h('p', { class: 'muted', 'data-testid': 'read-only' }, et('readOnly')) : null,
    field('title', false),
    field('script', true),
    field('customerSays', true),
    h('fieldset', {}, h('legend', {}, et('prompts')), promptRows, addPrompt),
    options.length
      ? h(
          'fieldset',
          {},
          h('legend', {}, et('options')),
          options.map((o) =>
            h(
              'div',
              { class: 'option-row', 'data-option-id': o.id },
              h('code', { 'data-author-id': '' }, `${o.id} → ${o.event}`),
              localized(
                `option-${o.id}`,
                () => o.label,
                (t) => (o.label = t ?? { 'zh-CN': '', en: '' }),
              ),
            ),
          ),
        )
      : null,
    offers.length
      ? h(
          'fieldset',
          {},
          h('legend', {}, et('offers')),
          offers.map((o) =>
            h(
              'div',
              { class: 'offer-row', 'data-offer-id': o.id },
              h('code', { 'data-author-id': '' }, o.id),
              h('h4', {}, et('offerTitle')),
              localized(
                `offer-${o.id}-title`,
                () => o.title,
                (t) => (o.title = t ?? { 'zh-CN': '', en: '' }),
              ),
              h('h4', {}, et('pitch')),
              localized(
                `offer-${o.id}-pitch`,
                () => o.pitch,
                (t) => (o.pitch = t ?? { 'zh-CN': '', en: '' }),
                true,
              ),
            ),
          ),
        )
      : null,
  );
  return form;
}
