import { jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape';

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
});
