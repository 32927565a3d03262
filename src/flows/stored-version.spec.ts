import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPolicies } from '../authoring/checks/policies';
import { checkDraft } from '../authoring/checks/publish-checks';
import { createRegistry } from './registry/registry';
import { loadStoredVersion } from './stored-version';

const FLOWS = path.resolve(__dirname, '../../flows');
const registry = createRegistry({ backendTimeout: 10_000 });
const policies = loadPolicies(path.join(FLOWS, 'policies/authoring-policies.json'));
const suspend = fs.readFileSync(path.join(FLOWS, 'suspend-service.json'), 'utf8');
const row = (definition: string) => ({ flowId: 'x', version: 1, definition });

/** A real flow with one value somewhere in it replaced by any JSON value: the shapes a half-done draft takes. */
const mutatedFlow = fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([at, value]) => {
  const flow = JSON.parse(suspend);
  const slots: { parent: Record<string, unknown>; key: string }[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      slots.push({ parent: node as Record<string, unknown>, key });
      walk(child);
    }
  };
  walk(flow);
  const slot = slots[at % slots.length];
  slot.parent[slot.key] = value;
  return flow as unknown;
});

describe('a stored definition that does not load', () => {
  it('is reported as problems, never thrown: any JSON text, any JSON value, a real flow with any part replaced', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string().map((text) => ({ text })), fc.jsonValue().map((v) => ({ text: JSON.stringify(v) ?? 'null' })), mutatedFlow.map((f) => ({ text: JSON.stringify(f) }))), ({ text }) => {
        const load = loadStoredVersion(row(text), registry);
        if (!load.ok) expect(load.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 400, seed: 20261123 },
    );
    expect(loadStoredVersion(row(suspend), registry).ok).toBe(true);
    expect(loadStoredVersion(row('{"title": {'), registry)).toEqual({ ok: false, problems: [{ path: '$', message: expect.stringMatching(/^not valid JSON/) }] });
  });

  it('the publish checks answer findings for it, never throw, and always have a loader finding for it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutatedFlow), (definition) => {
        const loaderFindings = checkDraft(definition, registry, policies).filter((f) => f.check === 'loader');
        const loads = loadStoredVersion(row(JSON.stringify(definition) ?? 'null'), registry).ok;
        expect({ loads, loaderFindings: loaderFindings.length > 0 }).toEqual({ loads, loaderFindings: !loads });
      }),
      { numRuns: 400, seed: 20261123 },
    );
  });
});
