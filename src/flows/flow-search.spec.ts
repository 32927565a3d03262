import type { FlowDefinition } from './flow-definition';
import { searchFlows } from './flow-search';

const flow = (id: string, zh: string, en: string, keywords: string[], scenarios: [string, string][] = [], kind?: FlowDefinition['kind']): FlowDefinition =>
  ({ id, version: 1, kind, title: { 'zh-CN': zh, en }, keywords, scenarios: scenarios.map(([z, e]) => ({ 'zh-CN': z, en: e })), machine: { id, initial: 'a', states: {} } }) as FlowDefinition;

const catalogue = [
  flow('suspend-service', '停机', 'Suspend service', ['停机', '挂失', 'lost phone', 'suspend']),
  flow('bill-inquiry', '账单查询与定制', 'Bill inquiry and customisation', ['账单', 'bill', '话费'], [['话费太高', 'bill too high'], ['这个月扣了多少钱', 'how much was I charged']]),
  flow('vas-unsubscribe', '增值业务查询与退订', 'VAS inquiry and unsubscribe', ['退订', 'unsubscribe'], [['我订了什么业务', 'what have I subscribed to']]),
  flow('hang-up', '挂机', 'Hang up', ['挂机'], [], 'hang-up'),
];

describe('searchFlows', () => {
  it.each([
    ['停机', 'suspend-service'],
    ['suspend', 'suspend-service'],
    ['lost phone', 'suspend-service'],
    ['bill too high', 'bill-inquiry'],
    ['话费太高', 'bill-inquiry'],
    ['what have I subscribed to', 'vas-unsubscribe'],
    ['我订了什么业务', 'vas-unsubscribe'],
  ])('%s → %s first', (q, id) => {
    expect(searchFlows(catalogue, q)[0].id).toBe(id);
  });

  it('says what matched and never returns sub-blueprints', () => {
    const [hit] = searchFlows(catalogue, 'Bill too high');
    expect(hit.matched).toContain('bill too high');
    expect(searchFlows(catalogue, '挂机').map((h) => h.id)).not.toContain('hang-up');
  });

  it('returns nothing for an empty or unrelated query', () => {
    expect(searchFlows(catalogue, '   ')).toEqual([]);
    expect(searchFlows(catalogue, 'xyzzy')).toEqual([]);
  });

  it('ranks a title match above a keyword match', () => {
    const hits = searchFlows(catalogue, 'bill');
    expect(hits[0].id).toBe('bill-inquiry');
  });
});
