import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * web/src/app/flow-names.ts is what the browser names flows, steps, offers, checks and policies by (their
 * zh-CN/en titles in flows/): generated from flows/*.json, kept in step here. After changing a
 * flow's titles: `UPDATE_FLOW_NAMES=1 npx jest --selectProjects unit src/flows/web-names.spec.ts`.
 */
const ROOT = path.join(__dirname, '..', '..');
const TARGET = path.join(ROOT, 'web/src/app/flow-names.ts');

type Text = { 'zh-CN': string; en: string };
const read = (p: string) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));
const text = (t: Text) => ({ 'zh-CN': t['zh-CN'], en: t.en });

function generate(): string {
  const flows: Record<string, { title: Text; steps: Record<string, Text> }> = {};
  for (const file of fs.readdirSync(path.join(ROOT, 'flows')).filter((f) => f.endsWith('.json')).sort()) {
    const def = read(`flows/${file}`);
    const steps: Record<string, Text> = {};
    for (const [id, state] of Object.entries<any>(def.machine.states)) if (state.meta?.title) steps[id] = text(state.meta.title);
    flows[def.id] = { title: text(def.title), steps };
  }
  const offers = Object.fromEntries(read('flows/marketing/related-marketing.json').offers.map((o: any) => [o.id, text(o.title)]));
  const checks = Object.fromEntries(read('flows/qa/call-checks.json').checks.map((c: any) => [c.id, text(c.title)]));
  const policies = Object.fromEntries(read('flows/policies/authoring-policies.json').policies.map((c: any) => [c.id, text(c.title)]));
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  return `// Generated from flows/*.json by src/flows/web-names.spec.ts (UPDATE_FLOW_NAMES=1): do not edit.
import type { LocalizedText } from '../../../protocol/flow-definition.js';

/** Each flow's title and its steps' titles. */
export const FLOW_NAMES: Record<string, { title: LocalizedText; steps: Record<string, LocalizedText> }> = ${json(flows)};

/** The offers of flows/marketing/related-marketing.json. */
export const OFFER_NAMES: Record<string, LocalizedText> = ${json(offers)};

/** The QA checks of flows/qa/call-checks.json. */
export const CHECK_NAMES: Record<string, LocalizedText> = ${json(checks)};

/** The authoring policies of flows/policies/authoring-policies.json. */
export const POLICY_NAMES: Record<string, LocalizedText> = ${json(policies)};
`;
}

describe('web/src/app/flow-names.ts', () => {
  it('names every flow, step, offer and check of flows/ as flows/ does', () => {
    const want = generate();
    if (process.env.UPDATE_FLOW_NAMES) fs.writeFileSync(TARGET, want);
    expect(fs.readFileSync(TARGET, 'utf8')).toBe(want);
  });
});
