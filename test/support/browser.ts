/**
 * Real-browser helpers for the agent-screen suite: one shared headless Chromium (Debian's, never a
 * downloaded one), a fresh context per page (so sessionStorage / localStorage start empty), console
 * errors and uncaught page errors recorded per page, screenshots into docs/screenshots/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from './server';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
export const VIEWPORT = { width: 1280, height: 900 };

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** The page's test hooks (web/src/main.ts). */
export interface RenderSample {
  step: string;
  renderMs: number;
  frameMs?: number;
}
declare global {
  interface Window {
    __laihua: { renders: RenderSample[]; dropConnection(): void };
  }
}

let browser: Browser | undefined;
const problems = new WeakMap<Page, string[]>();
const contexts = new Set<BrowserContext>();

/** The shared browser of this test file (launched on first use). */
export async function launchBrowser(): Promise<Browser> {
  if (!browser || !browser.isConnected()) {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  }
  return browser;
}

/** Close every page opened by openPage (call in afterEach, after expectNoConsoleErrors). */
export async function closePages(): Promise<void> {
  const all = [...contexts];
  contexts.clear();
  await Promise.all(all.map((c) => c.close().catch(() => undefined)));
}

/** Close the pages and the browser (call in afterAll). */
export async function closeBrowser(): Promise<void> {
  await closePages();
  const b = browser;
  browser = undefined;
  if (b) await b.close().catch(() => undefined);
}

export interface OpenPageOptions {
  /** Called on the new page before it navigates (e.g. page.routeWebSocket). */
  beforeGoto?: (page: Page) => Promise<void> | void;
}

/**
 * A new tab in a new browser context, at baseUrl, 1280×900, recording every console 'error' and
 * every uncaught page error (see consoleErrors / expectNoConsoleErrors).
 */
export async function openPage(baseUrl: string, opts: OpenPageOptions = {}): Promise<Page> {
  const b = await launchBrowser();
  const context = await b.newContext({ viewport: VIEWPORT, baseURL: baseUrl, locale: 'zh-CN' });
  contexts.add(context);
  const page = await context.newPage();
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location();
    seen.push(`console.error: ${msg.text()}${where?.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => seen.push(`pageerror: ${err.stack ?? err.message}`));
  page.setDefaultTimeout(10_000);
  await opts.beforeGoto?.(page);
  await page.goto(baseUrl);
  return page;
}

const allowed = new WeakMap<Page, RegExp[]>();

/**
 * Console errors a test provokes on purpose and expects (e.g. Chromium's "Failed to load resource:
 * … 401" when a test logs in with a wrong password): ignored by expectNoConsoleErrors for this page.
 */
export function allowConsoleErrors(page: Page, ...patterns: RegExp[]): void {
  allowed.set(page, [...(allowed.get(page) ?? []), ...patterns]);
}

/** The console errors and page errors recorded on page so far (minus the allowed ones). */
export function consoleErrors(page: Page): string[] {
  const ok = allowed.get(page) ?? [];
  return (problems.get(page) ?? []).filter((e) => !ok.some((re) => re.test(e)));
}

/** Fails when the page logged a console error or threw an uncaught error. */
export function expectNoConsoleErrors(page: Page | undefined): void {
  if (!page) return;
  expect(consoleErrors(page)).toEqual([]);
}

/** Every page opened since the last closePages() (for the afterEach check). */
export function openPages(): Page[] {
  return [...contexts].flatMap((c) => c.pages());
}

export const byTestId = (id: string, extra = ''): string => `[data-testid="${id}"]${extra}`;

/** Log in through the form (fill + Enter) and wait for the landing screen. */
export async function loginAs(page: Page, user: string, password = 'demo'): Promise<void> {
  await page.locator(byTestId('login-form')).waitFor();
  await page.locator(byTestId('login-username')).fill(user);
  await page.locator(byTestId('login-password')).fill(password);
  await page.locator(byTestId('login-submit')).click();
  await page
    .locator(`${byTestId('call-screen')}, ${byTestId('role-home')}, ${byTestId('admin-page')}`)
    .first()
    .waitFor();
  if (await page.locator(byTestId('call-screen')).count()) {
    await waitForAttr(page.locator(byTestId('connection-status')), 'data-state', 'online');
  }
}

/** The text of the first element with this data-testid (and extra selector). */
export const textOf = (page: Page, testId: string, extra = ''): Promise<string> => page.locator(byTestId(testId, extra)).first().innerText();

/** One attribute of every element the selector matches ('' where it is missing). */
export const attrsOf = (page: Page, selector: string, name: string): Promise<string[]> =>
  page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n as string) ?? ''), name);

/** The median of render samples (or any numbers). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** docs/screenshots/<name>.png of the viewport (or the whole page). */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  return file;
}

/** Clicks the button and returns the name and text of the file it downloads. */
export async function download(page: Page, testid: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId(testid)).click()]);
  return { name: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
}

/* ------------------------------------------------------------- waiting */

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls read() until ok(value) or timeout; fails with the last value seen. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}` +
          (lastError ? `; last error: ${(lastError as Error).message}` : ''),
      );
    }
    await sleep(everyMs);
  }
}

/** Waits until the locator's attribute equals expected. */
export function waitForAttr(locator: Locator, name: string, expected: string, timeoutMs = 5000): Promise<string | null> {
  return until(
    `${locator} [${name}] = ${JSON.stringify(expected)}`,
    () => locator.getAttribute(name, { timeout: 1000 }),
    (v) => v === expected,
    timeoutMs,
  );
}

/** A short description of the focused element: its data-testid, else data-prompt-id / data-input / tag. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const d = el.dataset;
    if (d.testid) return d.optionId ? `option:${d.optionId}` : d.testid;
    if (d.promptId) return `prompt:${d.promptId}`;
    if (d.input) return `input:${d.input}${el instanceof HTMLInputElement && el.type === 'radio' ? `:${el.value}` : ''}`;
    return el.tagName.toLowerCase();
  });
}

/** Waits until the focused element (see focused()) is expected. */
export function waitForFocus(page: Page, expected: string, timeoutMs = 5000): Promise<string> {
  return until(
    `focus on ${expected}`,
    () => focused(page),
    (f) => f === expected,
    timeoutMs,
  );
}
