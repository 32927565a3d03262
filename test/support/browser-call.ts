/**
 * Agent-screen actions for the browser suite, by mouse (clicks, selectOption, fill): screen pop,
 * choosing the business, reading and driving the current step, the summary.
 */
import type { Page } from 'playwright-core';
import { byTestId, until } from './browser';
import { expectDeterministicReplay, getCall, login } from './http';

export interface StepState {
  id: string;
  seq: number;
  status: string;
  lane: string;
}

/** The step on screen, or null. */
export function currentStep(page: Page): Promise<StepState | null> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="step"]');
    if (!el) return null;
    return { id: el.dataset.stepId ?? '', seq: Number(el.dataset.seq), status: el.dataset.status ?? '', lane: el.dataset.lane ?? '' };
  });
}

/** Waits for step stepId on screen (optionally at exactly seq, or at a seq above afterSeq). */
export async function waitForStep(page: Page, stepId: string, opts: { seq?: number; afterSeq?: number; timeoutMs?: number } = {}): Promise<StepState> {
  const step = await until(
    `step '${stepId}'${opts.seq !== undefined ? ` at seq ${opts.seq}` : ''}${opts.afterSeq !== undefined ? ` after seq ${opts.afterSeq}` : ''}`,
    () => currentStep(page),
    (s) => s !== null && s.id === stepId && (opts.seq === undefined || s.seq === opts.seq) && (opts.afterSeq === undefined || s.seq > opts.afterSeq),
    opts.timeoutMs ?? 5000,
  );
  return step!;
}

/** Ids of the option buttons of the step on screen. */
export function optionIds(page: Page): Promise<string[]> {
  return page.locator(`${byTestId('step')} ${byTestId('option')}`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.optionId ?? ''));
}

export function optionsDisabled(page: Page): Promise<boolean[]> {
  return page.locator(`${byTestId('step')} ${byTestId('option')}`).evaluateAll((els) => els.map((e) => (e as HTMLButtonElement).disabled));
}

export function promptStates(page: Page): Promise<Record<string, boolean>> {
  return page
    .locator(`${byTestId('step')} ${byTestId('prompt')} input[type=checkbox]`)
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.promptId ?? '', (e as HTMLInputElement).checked])));
}

export function offerIds(page: Page): Promise<string[]> {
  return page.locator(`${byTestId('step')} ${byTestId('offer')}`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.offerId ?? ''));
}

export function clickOption(page: Page, optionId: string): Promise<void> {
  return page.locator(`${byTestId('step')} ${byTestId('option', `[data-option-id="${optionId}"]`)}`).click();
}

/** Ticks every care prompt of the step on screen by clicking its label. */
export async function tickAllPrompts(page: Page): Promise<void> {
  const labels = page.locator(`${byTestId('step')} ${byTestId('prompt')}`);
  const n = await labels.count();
  for (let i = 0; i < n; i++) {
    const box = labels.nth(i).locator('input[type=checkbox]');
    if (!(await box.isChecked())) await labels.nth(i).click();
  }
}

/** Types the caller number, clicks Pop and waits for the customer card. */
export async function popCustomer(page: Page, msisdn: string): Promise<void> {
  await page.locator(byTestId('caller-number')).fill(msisdn);
  await page.locator(byTestId('pop-customer')).click();
  await page.locator(byTestId('customer-card', `[data-msisdn="${msisdn}"]`)).waitFor();
}

/** Searches the business, clicks the flow and waits for the first step. */
export async function startFlow(page: Page, query = '停机', flowId = 'suspend-service'): Promise<StepState> {
  await page.locator(byTestId('flow-search')).fill(query);
  await page.locator(byTestId('flow-result', `[data-flow-id="${flowId}"]`)).click();
  return waitForStep(page, 'check-eligibility');
}

/** The call the tab is working ({callId, ...} in sessionStorage 'laihua.call'). */
export async function savedCall(page: Page): Promise<{ callId: string; callerNumber: string; flowId: string }> {
  const raw = await page.evaluate(() => sessionStorage.getItem('laihua.call'));
  if (!raw) throw new Error("no call in sessionStorage 'laihua.call'");
  return JSON.parse(raw);
}

/** The session token of the tab (sessionStorage 'laihua.session'). */
export async function sessionToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => sessionStorage.getItem('laihua.session'));
  if (!raw) throw new Error("no session in sessionStorage 'laihua.session'");
  return JSON.parse(raw).token;
}

export async function waitForSummary(page: Page, outcome: string, timeoutMs = 5000): Promise<void> {
  await page.locator(byTestId('call-summary')).waitFor({ timeout: timeoutMs });
  const seen = await page.locator(byTestId('call-summary')).getAttribute('data-outcome');
  if (seen !== outcome) throw new Error(`call-summary data-outcome is '${seen}', expected '${outcome}'`);
}

export interface DriveOptions {
  /** Stop (without acting) once this step is on screen. */
  until?: string;
  reason?: string;
  timeoutMs?: number;
}

/**
 * Works the suspend-service call by mouse along the main path (eligible → reason → warn → decline
 * the offer → IVR password → execute → remind → close) until `until` is on screen or the call ends.
 * Returns the step ids seen.
 */
export async function driveByMouse(page: Page, opts: DriveOptions = {}): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (Date.now() > deadline) throw new Error(`driveByMouse did not finish; steps seen: ${seen.join(' → ')}`);
    const step = await currentStep(page);
    if (!step) throw new Error('no step on screen');
    if (seen[seen.length - 1] !== step.id) seen.push(step.id);
    if (step.id === opts.until) return seen;
    if (step.status !== 'active') {
      await page.locator(byTestId('call-summary')).waitFor();
      return seen;
    }
    const act = async (option: string) => {
      await clickOption(page, option);
      await until(
        `a new view after '${option}' at ${step.id}#${step.seq}`,
        () => currentStep(page),
        (s) => !!s && s.seq > step.seq,
      );
    };
    switch (step.id) {
      case 'check-eligibility':
        await act('continue');
        break;
      case 'confirm-reason':
        await page.locator(byTestId('input-reason')).selectOption(opts.reason ?? 'travel');
        await act('continue');
        break;
      case 'warn':
      case 'remind':
        await tickAllPrompts(page);
        await act('acknowledged');
        break;
      case 'upsell':
        await act('decline');
        break;
      case 'verify':
        await act('password');
        break;
      case 'execute':
        await act('execute');
        break;
      case 'close':
        await act('submit');
        break;
      default:
        // W steps (checking-password, executing): the back end answers by itself.
        await until(
          `the view after ${step.id}#${step.seq}`,
          () => currentStep(page),
          (s) => !!s && s.seq > step.seq,
          10_000,
        );
    }
  }
}

/** The agent's page (logged in) with a call of `msisdn` on suspend-service driven by mouse to `stepId`. */
export async function callAtStep(page: Page, stepId: string, reason = 'travel', msisdn = '13800000001'): Promise<Page> {
  await popCustomer(page, msisdn);
  await startFlow(page);
  await driveByMouse(page, { until: stepId, reason });
  await waitForStep(page, stepId);
  return page;
}

/** The call the page just finished is logged with this outcome and replays deterministically. */
export async function expectReplayOf(baseUrl: string, page: Page, outcome: string): Promise<void> {
  const { callId } = await savedCall(page);
  const token = await login(baseUrl, 'agent1');
  const call = await getCall(baseUrl, token, callId);
  expect(call).toEqual(expect.objectContaining({ id: callId, outcome }));
  await expectDeterministicReplay(baseUrl, token, callId);
}

/** Ticks the step's prompts, fills or selects its inputs, clicks an option and waits for the next view. */
export async function act(page: Page, option: string, inputs: { select?: Record<string, string>; fill?: Record<string, string> } = {}): Promise<void> {
  const before = (await currentStep(page))!;
  await tickAllPrompts(page);
  for (const [name, value] of Object.entries(inputs.select ?? {})) await page.locator(byTestId(`input-${name}`)).selectOption(value);
  for (const [name, value] of Object.entries(inputs.fill ?? {})) await page.locator(byTestId(`input-${name}`)).fill(value);
  await clickOption(page, option);
  await until(
    `a new view after '${option}' at ${before.id}#${before.seq}`,
    () => currentStep(page),
    (s) => !!s && s.seq > before.seq,
  );
}
