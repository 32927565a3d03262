import { ObjectMemo } from './object-memo';

describe('ObjectMemo', () => {
  it('remembers a value per object, and nothing for an object it was not given', () => {
    const memo = new ObjectMemo<object, number>('test');
    const a = {};
    const b = {};
    memo.set(a, 1);
    expect(memo.get(a)).toBe(1);
    expect(memo.get(b)).toBeUndefined();
    memo.set(a, 2);
    expect(memo.get(a)).toBe(2);
  });

  it('keeps the value where no listing or serialisation of the object sees it, and tells a copy nothing', () => {
    const memo = new ObjectMemo<Record<string, unknown>, string[]>('options');
    const snapshot: Record<string, unknown> = { value: 'verify', context: { n: 1 } };
    memo.set(snapshot, ['confirm']);
    expect(Object.keys(snapshot)).toEqual(['value', 'context']);
    expect(JSON.stringify(snapshot)).toBe('{"value":"verify","context":{"n":1}}');
    const forIn: string[] = [];
    for (const k in snapshot) forIn.push(k);
    expect(forIn).toEqual(['value', 'context']);
    // A library that makes the next state by spreading the last one must not inherit its memo.
    const next = { ...snapshot, value: 'done' };
    expect(memo.get(next)).toBeUndefined();
    expect(memo.get(Object.assign({}, snapshot))).toBeUndefined();
    memo.set(next, ['finish']);
    expect([memo.get(snapshot), memo.get(next)]).toEqual([['confirm'], ['finish']]);
    // Frozen after the copy: it carries the original's entry and cannot take its own.
    const frozenCopy = Object.freeze({ ...snapshot });
    expect(memo.get(frozenCopy)).toBeUndefined();
    memo.set(frozenCopy, ['frozen']);
    expect([memo.get(snapshot), memo.get(frozenCopy)]).toEqual([['confirm'], ['frozen']]);
  });

  it('does not hand an object the value remembered for its prototype', () => {
    const memo = new ObjectMemo<object, string>('proto');
    const parent = {};
    memo.set(parent, 'parent');
    const child = Object.create(parent) as object;
    expect(memo.get(child)).toBeUndefined();
    memo.set(child, 'child');
    expect(memo.get(child)).toBe('child');
    expect(memo.get(parent)).toBe('parent');
  });

  it('remembers for frozen, sealed and non-extensible objects too', () => {
    const memo = new ObjectMemo<object, string>('frozen');
    const frozen = Object.freeze({ a: 1 });
    const sealed = Object.seal({ b: 2 });
    const closed = Object.preventExtensions({ c: 3 });
    memo.set(frozen, 'f');
    memo.set(sealed, 's');
    memo.set(closed, 'c');
    expect([memo.get(frozen), memo.get(sealed), memo.get(closed)]).toEqual(['f', 's', 'c']);
    memo.set(frozen, 'f2');
    expect(memo.get(frozen)).toBe('f2');
  });

  it('keeps two memos of the same object apart', () => {
    const first = new ObjectMemo<object, string>('same name');
    const second = new ObjectMemo<object, string>('same name');
    const o = {};
    first.set(o, 'first');
    expect(second.get(o)).toBeUndefined();
    second.set(o, 'second');
    expect([first.get(o), second.get(o)]).toEqual(['first', 'second']);
  });
});
