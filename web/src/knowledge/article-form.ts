import type { Article, ArticleRequest, StepLink } from '../../../protocol/knowledge.js';
import type { FlowSummary } from '../../../protocol/flows.js';
import { h } from '../app/dom.js';
import { pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { kw } from './knowledge-words.js';

const list = (text: string): string[] =>
  text
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The article form: titles and bodies in both languages, tags, regions, and the steps it belongs to
 * (a business and one of its steps). `onSave` gets the request as the API takes it.
 */
export function articleForm(flows: readonly FlowSummary[], from: Article | null, onSave: (request: ArticleRequest) => void): HTMLElement {
  const field = (key: Parameters<typeof kw>[0], control: HTMLElement) => h('label', { class: 'kb-field' }, h('span', {}, kw(key)), control);
  const input = (testid: string, value: string) => h('input', { 'data-testid': testid, value, maxlength: 200 });
  const area = (testid: string, value: string) => h('textarea', { 'data-testid': testid, rows: 4, maxlength: 20000 }, value);
  const titleZh = input('kb-title-zh', from?.title['zh-CN'] ?? '');
  const titleEn = input('kb-title-en', from?.title.en ?? '');
  const bodyZh = area('kb-body-zh', from?.body['zh-CN'] ?? '');
  const bodyEn = area('kb-body-en', from?.body.en ?? '');
  const tags = input('kb-tags', (from?.tags ?? []).join(', '));
  const regions = input('kb-regions', (from?.regions ?? []).join(', '));
  let steps: StepLink[] = [...(from?.steps ?? [])];

  const businesses = flows.filter((f) => f.kind === 'business');
  const flowSelect = h(
    'select',
    { 'data-testid': 'kb-step-flow', 'aria-label': kw('kbFlow') },
    businesses.map((f) => h('option', { value: f.id }, pick(f.title))),
  );
  const stepSelect = h('select', { 'data-testid': 'kb-step-step', 'aria-label': kw('kbStep') });
  const fillSteps = () => {
    const flow = businesses.find((f) => f.id === flowSelect.value);
    stepSelect.replaceChildren(...(flow?.mainPath ?? []).map((s) => h('option', { value: s.id }, pick(s.title))));
  };
  flowSelect.addEventListener('change', fillSteps);
  fillSteps();
  const chips = h('ul', { class: 'kb-steps', 'data-testid': 'kb-steps' });
  const stepTitle = (link: StepLink) => pick(businesses.find((f) => f.id === link.flowId)?.mainPath.find((s) => s.id === link.stepId)?.title) || link.stepId;
  const renderChips = () =>
    chips.replaceChildren(
      ...steps.map((link, i) =>
        h(
          'li',
          { 'data-testid': 'kb-step-link', 'data-link': `${link.flowId}/${link.stepId}` },
          `${names.flow(link.flowId)} · ${stepTitle(link)} `,
          h('button', { type: 'button', class: 'link', onclick: () => ((steps = steps.filter((_, j) => j !== i)), renderChips()) }, kw('kbRemove')),
        ),
      ),
    );
  renderChips();
  const addStep = h(
    'button',
    {
      type: 'button',
      'data-testid': 'kb-step-add',
      onclick: () => {
        const link = { flowId: flowSelect.value, stepId: stepSelect.value };
        if (link.stepId && !steps.some((s) => s.flowId === link.flowId && s.stepId === link.stepId)) steps.push(link);
        renderChips();
      },
    },
    kw('kbAddStep'),
  );

  const save = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'kb-save',
      onclick: () =>
        onSave({
          title: { 'zh-CN': titleZh.value.trim(), en: titleEn.value.trim() },
          body: { 'zh-CN': bodyZh.value, en: bodyEn.value },
          tags: list(tags.value),
          regions: list(regions.value),
          steps,
        }),
    },
    kw('kbSave'),
  );
  return h(
    'div',
    { class: 'kb-form', 'data-testid': 'kb-form' },
    field('kbTitleZh', titleZh),
    field('kbTitleEn', titleEn),
    field('kbBodyZh', bodyZh),
    field('kbBodyEn', bodyEn),
    field('kbTags', tags),
    field('kbRegions', regions),
    h('fieldset', {}, h('legend', {}, kw('kbSteps')), chips, flowSelect, stepSelect, addStep),
    save,
  );
}
