import type { CallView, StepInput } from '../../../protocol/call-view.js';
import { h } from '../app/dom.js';
import { label, t } from '../app/i18n.js';
import { markClass, rulesPanel, spokenWords } from '../app/step-parts.js';

export interface StepHandlers {
  /** Care prompts already ticked for this view (survives re-renders, e.g. a locale switch). */
  ticked: Set<string>;
  online: boolean;
  onDecide(option: string, input: Record<string, string> | undefined, confirmedPrompts: string[] | undefined): void;
}

export interface RenderedStep {
  element: HTMLElement;
  /** Presses option N (1-based), as the digit shortcuts do. */
  press(index: number): void;
  /** Enter: the option that takes the focused input, else the first one. */
  pressDefault(focused: Element | null): void;
  focusFirst(): void;
  dispose(): void;
}

/** One blueprint step as the agent works it: what to say, what to tick, what to choose. */
export function renderStep(view: CallView, handlers: StepHandlers): RenderedStep {
  const { step } = view;
  const active = view.status === 'active';
  const stepError = h('p', { class: 'error-text', 'data-testid': 'step-error', role: 'alert', hidden: true });
  const showError = (text: string) => {
    stepError.textContent = text;
    stepError.hidden = false;
  };

  const promptBoxes = step.prompts.map((prompt) =>
    h('input', {
      type: 'checkbox',
      'data-prompt-id': prompt.id,
      checked: handlers.ticked.has(prompt.id),
      onchange: (e: Event) => {
        const box = e.target as HTMLInputElement;
        if (box.checked) handlers.ticked.add(prompt.id);
        else handlers.ticked.delete(prompt.id);
        refreshOptions();
      },
    }),
  );
  const allTicked = () => step.prompts.every((p) => handlers.ticked.has(p.id));

  const offerRadios = (step.offers ?? []).map((offer) =>
    h('input', { type: 'radio', name: `offer-${view.seq}`, value: offer.id, 'data-input': 'offerId', 'aria-label': offer.title }),
  );
  const inputFields = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fieldErrors = new Map<string, HTMLElement>();
  for (const input of step.inputs) {
    if (input.type === 'offer') continue;
    inputFields.set(input.name, inputField(input));
    fieldErrors.set(input.name, h('span', { class: 'field-error', 'data-testid': `input-error-${input.name}` }));
  }

  const optionButtons = step.options.map((option, i) =>
    h(
      'button',
      {
        type: 'button',
        class: i === 0 ? 'option primary' : 'option',
        'data-testid': 'option',
        'data-option-id': option.id,
        'data-key': i < 9 ? i + 1 : null,
        onclick: () => choose(i),
      },
      i < 9 ? h('kbd', {}, String(i + 1)) : null,
      option.label,
    ),
  );
  const refreshOptions = () => {
    const blocked = !handlers.online || !allTicked();
    optionButtons.forEach((b) => (b.disabled = blocked));
    const hint = element.querySelector<HTMLElement>('[data-testid=prompts-hint]');
    if (hint) hint.hidden = allTicked();
  };

  function collectInputs(names: string[]): Record<string, string> | null {
    const values: Record<string, string> = {};
    let ok = true;
    fieldErrors.forEach((e) => (e.textContent = ''));
    for (const name of names) {
      const def = step.inputs.find((i) => i.name === name)!;
      if (def.type === 'offer') {
        const chosen = offerRadios.find((r) => r.checked);
        if (!chosen) {
          showError(t('chooseOffer'));
          offerRadios[0]?.focus();
          return null;
        }
        values[name] = chosen.value;
        continue;
      }
      const field = inputFields.get(name)!;
      const value = field.value.trim();
      const problem = validate(def, value);
      if (problem) {
        fieldErrors.get(name)!.textContent = problem;
        if (ok) field.focus();
        ok = false;
      } else if (value) values[name] = value;
    }
    return ok ? values : null;
  }

  function choose(index: number): void {
    const option = step.options[index];
    if (!option || !active) return;
    if (!allTicked()) {
      showError(t('promptsFirst'));
      promptBoxes.find((b) => !b.checked)?.focus();
      return;
    }
    if (!handlers.online) return;
    const values = collectInputs(option.inputs);
    if (!values) return;
    stepError.hidden = true;
    optionButtons.forEach((b) => (b.disabled = true));
    handlers.onDecide(option.id, option.inputs.length ? values : undefined, step.prompts.length ? [...handlers.ticked] : undefined);
  }

  let timer: number | undefined;
  const holding = step.holding && active ? renderHolding(step.holding, (id) => (timer = id)) : null;

  const element = h(
    'section',
    {
      class: `step lane-${step.lane}`,
      'data-testid': 'step',
      'data-step-id': step.id,
      'data-seq': view.seq,
      'data-lane': step.lane,
      'data-status': view.status,
    },
    h(
      'header',
      { class: 'step-header' },
      h('h2', { 'data-testid': 'step-title' }, step.title),
      h(
        'span',
        { class: 'marks' },
        step.marks.map((m) => h('span', { class: markClass(m), 'data-testid': 'mark', 'data-mark': m, title: label(m) }, `${m} · ${label(m)}`)),
      ),
    ),
    rulesPanel(step.rules, true),
    spokenWords(step, ''),
    holding,
    step.prompts.length
      ? h(
          'fieldset',
          { class: 'prompts', 'data-testid': 'prompts' },
          h('legend', {}, t('prompts')),
          step.prompts.map((p, i) => h('label', { class: 'prompt', 'data-testid': 'prompt' }, promptBoxes[i], p.text)),
          h('p', { class: 'hint', 'data-testid': 'prompts-hint', hidden: allTicked() }, t('promptsFirst')),
        )
      : null,
    step.offers?.length
      ? h(
          'fieldset',
          { class: 'offers', 'data-testid': 'offers' },
          h('legend', {}, t('offers')),
          step.offers.map((offer, i) =>
            h(
              'label',
              { class: 'offer', 'data-testid': 'offer', 'data-offer-id': offer.id },
              offerRadios[i],
              h('span', { class: 'offer-title' }, offer.title),
              h('span', { class: 'offer-pitch' }, offer.pitch),
            ),
          ),
        )
      : null,
    inputFields.size
      ? h(
          'div',
          { class: 'inputs' },
          [...inputFields].map(([name, field]) => {
            const def = step.inputs.find((i) => i.name === name)!;
            return h('label', { class: 'input' }, h('span', {}, def.label, def.required ? ' *' : ''), field, fieldErrors.get(name)!);
          }),
        )
      : null,
    stepError,
    active ? h('div', { class: 'options', 'data-testid': 'options' }, optionButtons) : null,
  );
  refreshOptions();

  const firstEnabled = () => optionButtons.find((b) => !b.disabled);
  return {
    element,
    press: (n) => choose(n - 1),
    pressDefault(focused) {
      const inputName = focused?.getAttribute('data-input') ?? null;
      const index = inputName ? step.options.findIndex((o) => o.inputs.includes(inputName)) : -1;
      choose(index >= 0 ? index : 0);
    },
    focusFirst() {
      const unticked = promptBoxes.find((b) => !b.checked);
      if (unticked) return unticked.focus();
      const first = step.options[0];
      const field = first?.inputs.map((n) => inputFields.get(n) ?? (n === 'offerId' ? offerRadios[0] : undefined)).find(Boolean);
      if (field) return field.focus();
      firstEnabled()?.focus();
    },
    dispose: () => window.clearInterval(timer),
  };
}

function inputField(input: StepInput): HTMLInputElement | HTMLSelectElement {
  if (input.type === 'enum') {
    return h(
      'select',
      { 'data-testid': `input-${input.name}`, 'data-input': input.name, name: input.name },
      h('option', { value: '' }, '—'),
      (input.values ?? []).map((v) => h('option', { value: v.id }, v.label)),
    );
  }
  return h('input', {
    'data-testid': `input-${input.name}`,
    'data-input': input.name,
    name: input.name,
    type: 'text',
    autocomplete: 'off',
    inputmode: input.type === 'digits' ? 'numeric' : null,
    maxlength: input.length ?? null,
  });
}

function validate(input: StepInput, value: string): string | null {
  if (!value) return input.required ? t('required') : null;
  if (input.type === 'digits') {
    if (!/^\d+$/.test(value)) return t('digitsOnly');
    if (input.length !== undefined && value.length !== input.length) return t('exactDigits', { n: input.length });
  }
  return null;
}

function renderHolding(holding: { text: string; since: string }, setTimer: (id: number) => void): HTMLElement {
  const since = Date.parse(holding.since);
  const elapsed = h('span', { 'data-testid': 'holding-elapsed' }, '0.0');
  const tick = () => (elapsed.textContent = (Math.max(0, Date.now() - since) / 1000).toFixed(1));
  tick();
  setTimer(window.setInterval(tick, 100));
  return h(
    'div',
    { class: 'holding', 'data-testid': 'holding', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', { class: 'holding-text' }, holding.text),
    h('span', { class: 'holding-time' }, `${t('elapsed')} `, elapsed, ` ${t('seconds')}`),
  );
}
