import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowDefinition } from '../../flows/flow-definition';
import { diffFlows } from '../flow-diff';

const base: FlowDefinition = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../flows/suspend-service.json'), 'utf8'));
const copy = <T>(x: T): T => structuredClone(x);

describe('diffFlows on regional variants', () => {
  const withVariants = (variants: unknown): FlowDefinition => ({ ...copy(base), variants }) as FlowDefinition;
  const text = (en: string) => ({ 'zh-CN': `中文${en}`, en });

  it('variants added, removed and changed per region and step; malformed parts ignored', () => {
    const before = withVariants({
      guangdong: { steps: { warn: { script: text('gd warn') }, close: { customerSays: text('bye') } } },
      tibet: { steps: { remind: { prompts: [{ id: 'altitude', text: text('altitude') }] } } },
      broken: 'not an object',
    });
    const after = withVariants({
      guangdong: {
        steps: {
          warn: { script: { 'zh-CN': '中文gd warn', en: 'gd warn, reworded' } },
          upsell: { offers: [{ id: 'x', targetFlowId: 'holiday-plan', title: text('X'), pitch: text('x') }] },
        },
      },
      broken: { steps: 42 },
    });
    const d = diffFlows(before, after);
    expect(d.changes.map((c) => [c.kind, c.region, c.stepId, c.field ?? null, c.locale ?? null])).toEqual([
      ['variant-changed', 'guangdong', 'warn', 'script', 'en'],
      ['variant-added', 'guangdong', 'upsell', null, null],
      ['variant-removed', 'guangdong', 'close', null, null],
      ['variant-removed', 'tibet', 'remind', null, null],
    ]);
    expect(d.changes[1].text.en).toBe("Regional variant 'guangdong' of step 'upsell' (Related offer) added (offers)");
    expect(diffFlows(before, before).changes).toEqual([]);
    expect(diffFlows(base, withVariants(undefined)).changes).toEqual([]);
  });
});
