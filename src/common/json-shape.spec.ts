import { FORBIDDEN_KEYS, jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape';

const nested = (depth: number) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('jsonShapeProblem', () => {
  it('counts levels of objects and arrays; scalars are level 0', () => {
    expect(jsonShapeProblem('x', 0)).toBeNull();
    expect(jsonShapeProblem({}, 0)).toMatch(/deep/);
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/more than 32 levels/);
    expect(jsonShapeProblem({ wide: Array.from({ length: 10_000 }, () => ({ a: 1 })) })).toBeNull();
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(jsonShapeProblem(nested(100_000))).toMatch(/deep/);
  });

  it('refuses prototype keys at any depth, as JSON.parse makes them', () => {
    expect(jsonShapeProblem(JSON.parse('{"a":[{"b":{"__proto__":{"x":1}}}]}'))).toBe("the key '__proto__' is not accepted (at $.a[0].b)");
    expect(jsonShapeProblem(JSON.parse('{"constructor":{"prototype":{}}}'))).toMatch(/'constructor'/);
    for (const key of ['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype']) expect(jsonShapeProblem({ [key]: 1 })).toMatch(key);
    expect(jsonShapeProblem({ input: { reason: 'travel', note: 'constructor' } })).toBeNull();
  });

  it('accepts exactly what the walk that words the refusal accepts', () => {
    const values: unknown[] = [
      nested(MAX_JSON_DEPTH - 1),
      nested(MAX_JSON_DEPTH),
      nested(MAX_JSON_DEPTH + 1),
      [],
      {},
      [[[]]],
      { a: [{ b: [] }] },
      JSON.parse('{"a":{"b":[1,{"c":{"__proto__":1}}]}}'),
      { a: [1, 2, { toString: 1 }] },
      [{ prototype: 1 }],
      { list: [0, 'constructor'] },
    ];
    for (const v of values) {
      for (const depth of [0, 1, 2, 3, MAX_JSON_DEPTH]) {
        const problem = jsonShapeProblem(v, depth);
        expect(problem === null).toBe(slowCheck(v, depth));
      }
    }
  });
});

/** The definition: every object or array at most maxDepth levels in, no forbidden key in any object. */
function slowCheck(value: unknown, maxDepth: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= maxDepth) return false;
  const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
  return entries.every(([k, v]) => (Array.isArray(value) || !FORBIDDEN_KEYS.includes(k)) && slowCheck(v, maxDepth, depth + 1));
}
