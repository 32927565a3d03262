/**
 * The supervisors' flow editor in a real (headless Debian) Chromium against a real server: the
 * blueprint drawn by elkjs in four lanes without overlaps, a draft edited in the step form and the
 * raw JSON, maker–checker from two supervisors, publish and rollback, the diff, the inline policy
 * finding with its offending path, a version that does not load (badge, problems, the diff's typed
 * refusal), and QA's read-only view; screenshots 16–19 in docs/screenshots/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { allowConsoleErrors, byTestId, until, waitForAttr } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { http } from '../support/http';
import { REPO_ROOT } from '../support/server';

const SUSPEND = 'suspend-service';
const NEW_SCRIPT = 'Before I go ahead, a few important points — please confirm you understand each of them.';

const flowFile = (id: string): any => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows', `${id}.json`), 'utf8'));
/** suspend-service's version in force at boot (its file's) and the draft a supervisor makes of it. */
const V = flowFile(SUSPEND).version as number;
const DRAFT = V + 1;

interface Box {
  id: string;
  lane: string;
  marks: string[];
  x: number;
  y: number;
  w: number;
  h: number;
}
interface LaneBox {
  lane: string;
  bands: { y: number; h: number }[];
}

/** Every drawn step's box (screen coordinates), marks and lane, and every lane band. */
const readBlueprint = (page: Page) =>
  page.evaluate(() => {
    const rect = (el: Element) => el.getBoundingClientRect();
    const steps = [...document.querySelectorAll('[data-testid="bp-step"]')].map((g) => {
      const r = rect(g.querySelector('.bp-box')!);
      return {
        id: g.getAttribute('data-step-id')!,
        lane: g.getAttribute('data-lane')!,
        marks: [...g.querySelectorAll('[data-mark]')].map((m) => m.getAttribute('data-mark')!),
        x: r.x,
        y: r.y,
        w: r.width,
        h: r.height,
      };
    });
    // A wrapped blueprint has a band per lane in each segment.
    const lanes = [...document.querySelectorAll('[data-testid="bp-lane"]')].map((l) => ({
      lane: l.getAttribute('data-lane')!,
      bands: [...l.querySelectorAll('rect')].map((b) => rect(b)).map((r) => ({ y: r.y, h: r.height })),
    }));
    const edges = [...document.querySelectorAll('[data-testid="bp-edge"]')].map((e) => `${e.getAttribute('data-from')}→${e.getAttribute('data-to')}`);
    return { steps, lanes, edges };
  }) as Promise<{ steps: Box[]; lanes: LaneBox[]; edges: string[] }>;

/**
 * Replaces a textarea's whole text as a paste does: one input event. (Typing 40 kB of JSON key by key
 * through locator.fill can outlast its timeout on a loaded 2-core machine; the page sees the same event.)
 */
async function paste(area: Locator, text: string): Promise<void> {
  await area.evaluate((el, value) => {
    const textarea = el as HTMLTextAreaElement;
    textarea.focus();
    textarea.value = value;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

describe('flow editor (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite();

  async function openEditorAs(user: string): Promise<Page> {
    const page = await openAs(user);
    await page.locator(byTestId('open-editor')).click();
    await page.locator(byTestId('editor-flow')).first().waitFor();
    return page;
  }

  async function openVersion(page: Page, flowId: string, version: number): Promise<void> {
    await page.locator(`${byTestId('editor-version')}[data-flow-id="${flowId}"][data-version="${version}"]`).click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-version', String(version));
    await waitForAttr(page.locator(byTestId('version-head')), 'data-flow-id', flowId);
    await waitForAttr(page.locator(byTestId('blueprint-holder')), 'data-ready', 'true');
  }

  /** A screenshot with the viewport widened to the whole blueprint, should it ever be wider than 1280 px (it wraps: WRAP_WIDTH). */
  async function wideScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
    const width = Math.ceil(await page.locator(byTestId('blueprint')).evaluate((svg) => svg.getBoundingClientRect().width)) + 360;
    await page.setViewportSize({ width: Math.max(1280, width), height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, name, { fullPage });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const status = (page: Page) => page.locator(byTestId('version-head')).getAttribute('data-status');

  async function expectReadableBlueprint(page: Page, flowId: string): Promise<void> {
    const states = flowFile(flowId).machine.states as Record<string, { meta: { lane: string; marks?: string[] } }>;
    const { steps, lanes, edges } = await readBlueprint(page);
    expect(lanes.map((l) => l.lane)).toEqual(['customer', 'frontstage', 'backstage', 'support']);
    expect(steps.map((s) => s.id).sort()).toEqual(Object.keys(states).sort());
    for (const s of steps) {
      expect({ id: s.id, lane: s.lane, marks: s.marks }).toEqual({
        id: s.id,
        lane: states[s.id].meta.lane,
        marks: states[s.id].meta.marks ?? [],
      });
      // Inside one of its lane's bands, top and bottom.
      const bands = lanes.find((l) => l.lane === s.lane)!.bands;
      expect([s.id, bands.some((band) => s.y >= band.y && s.y + s.h <= band.y + band.h)]).toEqual([s.id, true]);
    }
    for (const [i, a] of steps.entries()) {
      for (const b of steps.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap ? `${a.id} overlaps ${b.id}` : 'apart').toBe('apart');
      }
    }
    expect(edges.length).toBeGreaterThan(steps.length - 2);
  }

  it('draws suspend-service (every step of its file) and intl-roaming (20) as four-lane blueprints with WFDCM badges and no overlaps', async () => {
    const page = await openEditorAs('supervisor1');
    const rows = page.locator(byTestId('editor-flow'));
    expect(await rows.count()).toBeGreaterThanOrEqual(12);
    const suspendRow = page.locator(`${byTestId('editor-flow')}[data-flow-id="${SUSPEND}"]`);
    expect(await suspendRow.locator(byTestId('version-state')).first().innerText()).toBe('已发布');
    expect(await suspendRow.locator(byTestId('in-force')).count()).toBe(1);

    await openVersion(page, SUSPEND, V);
    expect(await page.locator(byTestId('bp-step')).count()).toBe(Object.keys(flowFile(SUSPEND).machine.states).length);
    await expectReadableBlueprint(page, SUSPEND);
    expect(await page.locator(`${byTestId('bp-edge')}[data-from="warn"][data-to="upsell"]`).count()).toBe(1);
    expect(await page.locator(`${byTestId('bp-edge')}[data-from="checking-password"][data-to="execute"]`).count()).toBe(1);
    await wideScreenshot(page, '16-editor-blueprint');
    await expectAccessible(page, 'editor: published version, blueprint (zh-CN)');

    await openVersion(page, 'intl-roaming', flowFile('intl-roaming').version);
    expect(await page.locator(byTestId('bp-step')).count()).toBe(20);
    await expectReadableBlueprint(page, 'intl-roaming');
  });

  it('edits a new draft in the form and the raw JSON, refuses self-approval, and a second supervisor approves and publishes it; the diff lists the change', async () => {
    const page = await openEditorAs('supervisor1');
    await openVersion(page, SUSPEND, V);
    expect(await page.locator(byTestId('save-draft')).count()).toBe(0); // published: read-only
    await page.locator(byTestId('new-draft')).click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-version', String(DRAFT));
    expect(await status(page)).toBe('draft');

    // The step form: the warn step's English script.
    await page.locator(`${byTestId('bp-step')}[data-step-id="warn"]`).click();
    await waitForAttr(page.locator(byTestId('step-form')), 'data-step-id', 'warn');
    expect(await page.locator(byTestId('step-form')).getAttribute('data-editable')).toBe('true');
    expect(await page.locator(byTestId('prompt-row')).count()).toBe(3);
    await page.locator(byTestId('add-prompt')).click();
    expect(await page.locator(byTestId('prompt-row')).count()).toBe(4);
    await page.locator(`${byTestId('prompt-row')}[data-prompt-id="prompt-4"] ${byTestId('remove-prompt')}`).click();
    expect(await page.locator(byTestId('prompt-row')).count()).toBe(3);
    await page.locator(byTestId('field-script-en')).fill(NEW_SCRIPT);
    await page.locator(byTestId('save-draft')).click();
    await page.locator(byTestId('saved')).waitFor();
    await page.locator(`${byTestId('save-findings')} ${byTestId('no-findings')}`).waitFor();
    expect(await page.locator(byTestId('finding')).count()).toBe(0);
    await expectAccessible(page, 'editor: draft, step form saved (zh-CN)');

    // The raw JSON: broken at once, restored, checked clean.
    await page.locator(byTestId('tab-json')).click();
    const raw = page.locator(byTestId('raw-json'));
    const original = await raw.inputValue();
    expect(JSON.parse(original).machine.states.warn.meta.script.en).toBe(NEW_SCRIPT);
    await paste(raw, `${original.slice(0, -1)},`);
    await page.locator(byTestId('json-error')).waitFor();
    expect(await page.locator(byTestId('json-error')).innerText()).toContain('JSON');
    await expectAccessible(page, 'editor: raw JSON with a syntax error (zh-CN)');
    await paste(raw, original);
    await page.locator(byTestId('json-error')).waitFor({ state: 'detached' });
    await page.locator(`${byTestId('raw-findings')} ${byTestId('no-findings')}`).waitFor();

    // Submit; the author may not approve.
    await page.locator(byTestId('submit-version')).click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-status', 'submitted');
    allowConsoleErrors(page, /status of 403/);
    await page.locator(byTestId('approve-version')).click();
    const refusal = page.locator(byTestId('workflow-error'));
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('FORBIDDEN');
    expect(await refusal.innerText()).toContain('另一位主管');
    await expectAccessible(page, 'editor: submitted, self-approval refused (zh-CN)');
    expect(await status(page)).toBe('submitted');

    // Another supervisor approves and publishes.
    const checker = await openEditorAs('supervisor2');
    await openVersion(checker, SUSPEND, DRAFT);
    await checker.locator(byTestId('approve-version')).click();
    await waitForAttr(checker.locator(byTestId('version-head')), 'data-status', 'approved');
    await checker.locator(byTestId('publish-version')).click();
    await waitForAttr(checker.locator(byTestId('version-head')), 'data-status', 'published');
    expect(await checker.locator(byTestId('version-head')).getAttribute('data-in-force')).toBe('true');
    const v = (n: number) => checker.locator(`${byTestId('editor-version')}[data-flow-id="${SUSPEND}"][data-version="${n}"]`);
    expect(await v(DRAFT).getAttribute('data-in-force')).toBe('true');
    expect(await v(V).getAttribute('data-status')).toBe('retired');
    await checker.locator(byTestId('tab-audit')).click();
    expect(
      await checker.locator(byTestId('audit-entry')).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-action')}:${e.getAttribute('data-actor')}`)),
    ).toEqual(['create:supervisor1', 'edit:supervisor1', 'submit:supervisor1', 'approve:supervisor2', 'publish:supervisor2']);
    await screenshot(checker, '17-editor-published', { fullPage: true });
    await expectAccessible(checker, 'editor: published, audit tab (zh-CN)');

    // The diff of v1 → v2: the one script change.
    await checker.locator(byTestId('tab-diff')).click();
    await waitForAttr(checker.locator(byTestId('diff-result')), 'data-to', String(DRAFT));
    expect(await checker.locator(byTestId('diff-result')).getAttribute('data-from')).toBe(String(V));
    const changes = checker.locator(byTestId('diff-change'));
    expect(await changes.count()).toBe(1);
    expect(await changes.first().getAttribute('data-kind')).toBe('text-changed');
    expect(await changes.first().getAttribute('data-step-id')).toBe('warn');
    expect(await changes.first().innerText()).toContain('提醒停机注意事项');
    await screenshot(checker, '18-editor-diff', { fullPage: true });
    await expectAccessible(checker, 'editor: diff of v1 → v2 (zh-CN)');

    // Rollback: v1 (retired, once in force) again.
    await openVersion(checker, SUSPEND, V);
    await checker.locator(byTestId('rollback-version')).click();
    await waitForAttr(checker.locator(byTestId('version-head')), 'data-status', 'published');
    expect(await checker.locator(byTestId('version-head')).getAttribute('data-in-force')).toBe('true');
    expect(await v(DRAFT).getAttribute('data-status')).toBe('retired');
  });

  it('shows the policy finding and its offending path inline when the raw JSON moves warn after verify', async () => {
    const page = await openEditorAs('supervisor1');
    await openVersion(page, SUSPEND, V);
    await page.locator(byTestId('new-draft')).click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-status', 'draft');
    await page.locator(byTestId('tab-json')).click();
    const raw = page.locator(byTestId('raw-json'));
    const d = JSON.parse(await raw.inputValue());
    const s = d.machine.states;
    s['confirm-reason'].on.CONTINUE.target = 'upsell';
    s.warn.on.ACKNOWLEDGED.target = 'execute';
    s['checking-password'].invoke.onDone[0].target = 'warn';
    s['checking-document'].invoke.onDone[0].target = 'warn';
    await paste(raw, JSON.stringify(d, null, 2));
    const finding = page.locator(`${byTestId('raw-findings')} ${byTestId('finding')}[data-policy="verify-and-warn-before-change"]`);
    await finding.waitFor();
    expect(await finding.getAttribute('data-path')).toContain('executing');
    // The offending path's steps by title, their ids in data-step-id.
    const offending = await finding
      .locator(`${byTestId('offending-path')} [data-step-id]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id')).join(' → '));
    expect(offending).toContain('check-eligibility → confirm-reason → upsell → verify');
    expect(offending.endsWith('executing')).toBe(true);
    expect(await finding.locator(byTestId('offending-path')).innerText()).toContain('判断是否符合停机条件 → 确认停机原因');
    // The blueprint redraws with the new wiring, the offending path in red.
    await until(
      'warn → execute drawn',
      () => page.locator(`${byTestId('bp-edge')}[data-from="warn"][data-to="execute"]`).count(),
      (n) => n === 1,
    );
    await until(
      'offending steps marked',
      () => page.locator('[data-testid="bp-step"].offending').count(),
      (n) => n >= 8,
    );
    await wideScreenshot(page, '19-editor-policy-finding', true);
    await expectAccessible(page, 'editor: policy finding and offending path (zh-CN)');
    // Submitting is refused by the server with the same finding.
    allowConsoleErrors(page, /status of 422/);
    await page.locator(byTestId('submit-version')).click();
    await page.locator(byTestId('workflow-error')).waitFor();
    expect(await page.locator(byTestId('workflow-error')).getAttribute('data-code')).toBe('CHECKS_FAILED');
    expect(await status(page)).toBe('draft');
  });

  it('marks a version that does not load, lists why, and the diff tab gives the typed refusal', async () => {
    const token = await server.token('supervisor1');
    const draft = (await http(server.baseUrl, 'POST', '/api/authoring/flows/ext-broken/versions', { token, body: { definition: {} } })).body;
    const page = await openEditorAs('supervisor1');
    allowConsoleErrors(page, /status of 422/);
    const link = page.locator(`${byTestId('editor-version')}[data-flow-id="ext-broken"][data-version="${draft.version}"]`);
    expect(await link.getAttribute('data-loads')).toBe('false');
    expect(await link.locator(byTestId('does-not-load')).count()).toBe(1);
    await link.click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-flow-id', 'ext-broken');
    expect(await page.locator(byTestId('version-head')).getAttribute('data-loads')).toBe('false');
    expect(await page.locator(byTestId('load-problem')).allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('$.machine')]));
    await page.locator(byTestId('tab-diff')).click();
    const refusal = page.locator(byTestId('diff-error'));
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('VERSION_DOES_NOT_LOAD');
    expect(await refusal.innerText()).toContain(`(v${draft.version})`);
    await expectAccessible(page, 'editor: a version that does not load, diff refused (zh-CN)');
  });

  it('QA reads the editor without any button, and drafts are not editable for them', async () => {
    const page = await openEditorAs('qa1');
    await openVersion(page, SUSPEND, V);
    expect(await page.locator(`${byTestId('workflow')} button`).count()).toBe(0);
    expect(await page.locator(byTestId('save-draft')).count()).toBe(0);
    await page.locator(`${byTestId('bp-step')}[data-step-id="warn"]`).click();
    expect(await page.locator(byTestId('step-form')).getAttribute('data-editable')).toBe('false');
    expect(await page.locator(byTestId('field-script-en')).getAttribute('readonly')).not.toBeNull();
    await expectAccessible(page, 'editor: read-only for QA, step form (zh-CN)');
    // The same in English.
    await page.locator(byTestId('locale-switch')).click();
    await waitForAttr(page.locator(byTestId('locale-switch')), 'data-locale', 'en');
    await waitForAttr(page.locator(byTestId('blueprint-holder')), 'data-ready', 'true');
    await expectAccessible(page, 'editor: read-only for QA (en)');
  });
});
