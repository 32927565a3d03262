import { createHash } from 'node:crypto';
import type { LoggedEvent } from './decision-log';
import { loggedEvent } from '../testing/log-records';
import { canonical, chainEvents, GENESIS, hashEvent, verifyChain } from './hash-chain';

const event = (seq: number, payload: Record<string, unknown> = { option: 'x', n: seq }): LoggedEvent => loggedEvent('c1', seq, { payload });
const chain = (n: number) => chainEvents(Array.from({ length: n }, (_, i) => event(i + 1)));

describe('canonical', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonical({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('is what JSON storage keeps: undefined members dropped, toJSON applied', () => {
    expect(canonical({ a: undefined, b: [undefined], c: new Date('2026-11-23T08:00:00Z') })).toBe('{"b":[null],"c":"2026-11-23T08:00:00.000Z"}');
    const written = { option: 'x', input: undefined, nested: { b: 2, a: 1 } };
    expect(canonical(written)).toBe(canonical(JSON.parse(JSON.stringify(written))));
  });
});

/** The definition canonical() must match exactly: what JSON storage keeps, parsed, keys sorted at every depth. */
function reference(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'null';
  const sorted = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(sorted).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      return `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${sorted((v as Record<string, unknown>)[k])}`)
        .join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return sorted(JSON.parse(json));
}

/** A small seeded generator of the values events carry, and the odd ones storage must treat the same. */
function generated(seed: number, count: number): unknown[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const strings = ['', 'a', 'B', '停机', 'é', '\u0000', '"q"', '\\', '\ud800', '😀', '10', '2', '__proto__', 'constructor', 'a.b', ' '];
  const numbers = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 2 ** 53, Number.MAX_VALUE, NaN, Infinity, -Infinity, 0.1 + 0.2];
  class Row {
    constructor(
      readonly b: number,
      readonly a: string,
    ) {}
  }
  const value = (depth: number): unknown => {
    const kind = Math.floor(next() * (depth > 3 ? 6 : 10));
    switch (kind) {
      case 0:
        return pick(strings);
      case 1:
        return pick(numbers);
      case 2:
        return next() < 0.5;
      case 3:
        return null;
      case 4:
        return pick([undefined, () => 1, Symbol('s')]);
      case 5:
        return pick([new Date(Date.UTC(2026, 10, 23, 8, 0, 0, Math.floor(next() * 1000))), new Number(3), new String('s'), new Boolean(false)]);
      case 6:
        return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      case 7:
        return new Row(next(), pick(strings));
      case 8: {
        const inner = { z: 1, a: [value(depth + 1)] };
        return { toJSON: () => inner };
      }
      default: {
        const o: Record<string, unknown> = next() < 0.2 ? Object.create(null) : {};
        for (let i = Math.floor(next() * 5); i > 0; i--)
          Object.defineProperty(o, pick(strings), { value: value(depth + 1), enumerable: true, configurable: true, writable: true });
        return o;
      }
    }
  };
  return Array.from({ length: count }, () => value(0));
}

describe('canonical, against its definition', () => {
  it('gives exactly sorted(JSON.parse(JSON.stringify(value))) for generated values', () => {
    for (const v of generated(20261123, 3000)) expect(canonical(v)).toBe(reference(v));
  });

  it('throws where storing would (a BigInt)', () => {
    expect(() => canonical({ n: 1n })).toThrow(TypeError);
  });
});

describe('hashEvent', () => {
  it('is sha256(prevHash + canonical(event without prevHash/hash))', () => {
    const e = event(1);
    const expected = createHash('sha256')
      .update(GENESIS + canonical(e))
      .digest('hex');
    expect(hashEvent(GENESIS, e)).toBe(expected);
    expect(hashEvent(GENESIS, { ...e, prevHash: 'p', hash: 'h' })).toBe(expected);
    expect(hashEvent(GENESIS, { ...e, payload: { n: 1, option: 'x' } })).toBe(expected); // key order does not matter
    expect(hashEvent('1'.repeat(64), e)).not.toBe(expected);
    expect(hashEvent(GENESIS, { ...e, at: '2026-11-23T08:00:00.001Z' })).not.toBe(expected);
  });
});

describe('chainEvents / verifyChain', () => {
  it('links each event to the one before, from GENESIS', () => {
    const events = chain(3);
    expect(events[0].prevHash).toBe(GENESIS);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(events[2].prevHash).toBe(events[1].hash);
    expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    expect(verifyChain(events)).toEqual({ intact: true, brokenAt: null });
    expect(verifyChain([])).toEqual({ intact: true, brokenAt: null });
  });

  it('breaks at the event whose content was altered', () => {
    const events = chain(5);
    events[2].payload = { option: 'y', n: 3 };
    expect(verifyChain(events)).toEqual({ intact: false, brokenAt: { seq: 3, reason: 'the hash does not match the event content' } });
    const renamed = chain(5);
    renamed[3].stateAfter = 'elsewhere';
    expect(verifyChain(renamed).brokenAt?.seq).toBe(4);
  });

  it('breaks after an event re-hashed to hide an edit, or removed', () => {
    const events = chain(5);
    events[1].payload = { option: 'y' };
    events[1].hash = hashEvent(events[1].prevHash, events[1]);
    expect(verifyChain(events).brokenAt).toEqual({ seq: 3, reason: 'prevHash does not match the hash of the event before it (seq 2)' });
    const gap = chain(5);
    gap.splice(2, 1);
    expect(verifyChain(gap).brokenAt?.seq).toBe(4);
  });

  it('breaks at a first event not starting from GENESIS, and at an event without hashes', () => {
    const rest = chain(3).slice(1);
    expect(verifyChain(rest).brokenAt).toEqual({ seq: 2, reason: 'the first event does not start from the genesis hash' });
    const bare = chain(3);
    (bare[1] as { hash?: string }).hash = undefined;
    expect(verifyChain(bare).brokenAt).toEqual({ seq: 2, reason: 'the event has no valid prevHash/hash' });
  });
});
