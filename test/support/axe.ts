/**
 * Accessibility checks of the browser specs (issue 18): axe-core (node_modules/axe-core, the same
 * engine as the browser extension) is injected into the page and run on the whole document with
 * the WCAG 2.0/2.1 A and AA rules; a violation of impact "serious" or "critical" fails the test
 * with one readable line per rule and element. Minor and moderate findings are not failures.
 *
 * LAIHUA_AXE_LOG=<file> is the survey mode: every finding (any impact, and axe's best-practice
 * rules too: landmarks, one h1, empty table headers) of every check is appended to that file as a
 * JSON line and nothing fails, so one run lists every page's findings.
 */
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';

/** The rule set: axe's tags for WCAG 2.0 and 2.1, levels A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The impacts that fail a check. */
export const FAILING_IMPACTS = ['serious', 'critical'];

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

let axeSource: string | undefined;
const source = (): string => (axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));

/** Runs axe on the page as it is now and returns its violations (every impact). */
export async function axeViolations(page: Page, tags = AXE_TAGS): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, not as a <script> tag: the app's CSP (script-src 'self') would refuse an inline one.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source());
  return page.evaluate(async (tags) => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, tags);
}

/** One line per element: rule, impact, selector, what to fix. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((n) => {
        const summary = (n.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').trim();
        return `${v.id} [${v.impact}] ${n.target.map(String).join(' ')}: ${v.help}${summary ? ` — ${summary}` : ''}`;
      }),
    )
    .join('\n');
}

/**
 * Fails when axe finds a serious or critical WCAG 2.1 A/AA violation on the page as it is now;
 * `stateName` names the page and state in the failure message (e.g. "agent: warn step, zh-CN").
 */
export async function expectAccessible(page: Page, stateName: string): Promise<void> {
  const log = process.env.LAIHUA_AXE_LOG;
  if (log) {
    const found = await axeViolations(page, [...AXE_TAGS, 'best-practice']);
    fs.appendFileSync(log, JSON.stringify({ state: stateName, violations: found }) + '\n');
    return;
  }
  const all = await axeViolations(page);
  const failing = all.filter((v) => FAILING_IMPACTS.includes(v.impact ?? ''));
  if (failing.length) {
    const count = failing.reduce((n, v) => n + v.nodes.length, 0);
    throw new Error(`${stateName}: ${count} serious/critical accessibility violation(s) (axe-core, ${AXE_TAGS.join(', ')}):\n${describeViolations(failing)}`);
  }
}
