import type { RenderedStep } from './step-view.js';

/**
 * The agent's keyboard on a step: digits 1–9 press that option (not while typing in a text field),
 * Enter presses the option that takes the focused input (else the first). Only for keys pressed in
 * the step (or on the page itself).
 */
export function stepKey(e: KeyboardEvent, step: RenderedStep, stepArea: HTMLElement): void {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  const target = e.target as HTMLElement | null;
  const inStep = Boolean(target && stepArea.contains(target)) || target === document.body;
  if (!inStep) return;
  const typing = target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'search' || target.type === 'password');
  if (/^[1-9]$/.test(e.key) && !typing) {
    e.preventDefault();
    step.press(Number(e.key));
  } else if (e.key === 'Enter' && !(target instanceof HTMLButtonElement)) {
    e.preventDefault();
    step.pressDefault(target);
  }
}
