import { callsPerBrand, DEFAULT_QUOTA, drawCallers, trajectoryMatch } from './campaign-sample';

describe('test dialling: callers by brand quota', () => {
  const customers = [
    { msisdn: '1', brand: 'gotone' },
    { msisdn: '2', brand: 'gotone' },
    { msisdn: '3', brand: 'easyown' },
    { msisdn: '4', brand: 'mzone' },
    { msisdn: '5', brand: 'mzone' },
  ];

  it('splits calls 2:4:4, the remainder to the largest shares', () => {
    const all = ['gotone', 'easyown', 'mzone'] as const;
    expect(callsPerBrand(10, DEFAULT_QUOTA, [...all])).toEqual({ gotone: 2, easyown: 4, mzone: 4 });
    expect(callsPerBrand(7, DEFAULT_QUOTA, [...all])).toEqual({ gotone: 1, easyown: 3, mzone: 3 });
    expect(callsPerBrand(1, DEFAULT_QUOTA, [...all])).toEqual({ gotone: 0, easyown: 1, mzone: 0 });
    expect(callsPerBrand(5, { gotone: 1, easyown: 0, mzone: 1 }, [...all])).toEqual({ gotone: 3, easyown: 0, mzone: 2 });
    // A brand without customers: its share goes to the others.
    expect(callsPerBrand(10, DEFAULT_QUOTA, ['gotone', 'mzone'])).toEqual({ gotone: 3, easyown: 0, mzone: 7 });
  });

  it('draws each brand from its customers, the same for the same seed', () => {
    const a = drawCallers(customers, 10, DEFAULT_QUOTA, 7);
    expect(a.map((c) => c.brand)).toEqual(['gotone', 'gotone', 'easyown', 'easyown', 'easyown', 'easyown', 'mzone', 'mzone', 'mzone', 'mzone']);
    for (const c of a) expect(c.customer.brand).toBe(c.brand);
    expect(drawCallers(customers, 10, DEFAULT_QUOTA, 7)).toEqual(a);
    const other = drawCallers(customers, 10, DEFAULT_QUOTA, 8).map((c) => c.customer.msisdn);
    expect(other).not.toEqual(a.map((c) => c.customer.msisdn));
  });

  it('trajectory match: the main path steps visited in order, over its length', () => {
    const main = ['check', 'confirm', 'warn', 'verify', 'execute', 'close'];
    expect(trajectoryMatch(main, main)).toBe(1);
    expect(trajectoryMatch(['check', 'not-eligible'], main)).toBe(0.1667);
    // A detour counts the main steps still visited in order; out of order they count once.
    expect(trajectoryMatch(['check', 'confirm', 'warn', 'verify', 'execute', 'execute-failed', 'execute', 'close'], main)).toBe(1);
    expect(trajectoryMatch(['warn', 'check', 'confirm'], main)).toBe(0.3333);
    expect(trajectoryMatch([], main)).toBe(0);
  });
});
