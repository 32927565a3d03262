import { evaluate, factAt } from './conditions';

describe('conditions', () => {
  const facts = { customer: { status: 'active', arrearsYuan: 12.5, services: ['idd'] }, reason: 'travel', event: { output: { ok: true } } };

  it('reads dotted paths and misses safely', () => {
    expect(factAt(facts, 'customer.status')).toBe('active');
    expect(factAt(facts, 'customer.nothing.deeper')).toBeUndefined();
  });

  it.each([
    [{ fact: 'customer.status', eq: 'active' }, true],
    [{ fact: 'customer.status', ne: 'active' }, false],
    [{ fact: 'customer.arrearsYuan', lte: 0 }, false],
    [{ fact: 'customer.arrearsYuan', gt: 10 }, true],
    [{ fact: 'reason', in: ['travel', 'lost-phone'] }, true],
    [{ fact: 'customer.services', contains: 'idd' }, true],
    [{ fact: 'event.output.ok', eq: true }, true],
    [{ fact: 'missing', gte: 0 }, false],
  ])('%j → %s', (condition, expected) => {
    expect(evaluate(condition, facts)).toBe(expected);
  });

  it('combines all / any / none', () => {
    expect(evaluate({ all: [{ fact: 'reason', eq: 'travel' }, { fact: 'customer.status', eq: 'active' }] }, facts)).toBe(true);
    expect(evaluate({ any: [{ fact: 'reason', eq: 'x' }, { fact: 'reason', eq: 'travel' }] }, facts)).toBe(true);
    expect(evaluate({ none: [{ fact: 'reason', eq: 'travel' }] }, facts)).toBe(false);
  });
});

describe('a condition with both a fact and a group', () => {
  it('requires both, rather than ignoring the fact', () => {
    const facts = { a: 1, b: 2 };
    expect(evaluate({ fact: 'a', eq: 1, all: [{ fact: 'b', eq: 2 }] } as never, facts)).toBe(true);
    expect(evaluate({ fact: 'a', eq: 9, all: [{ fact: 'b', eq: 2 }] } as never, facts)).toBe(false);
  });
});
