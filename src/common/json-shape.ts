/**
 * The deepest nesting a client may send. Flow definitions, the deepest legitimate bodies, nest
 * about 15 levels. Deeper input is refused before anything walks it recursively: class-transformer
 * and JSON.stringify overflow the stack near 10,000 levels.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that name an object's prototype machinery (`__proto__`, `constructor`, `toString`, …, and
 * `prototype`). JSON.parse makes them ordinary own properties, but class-transformer skips every
 * key that meets an inherited function, so whitelisting never reports them, and a later
 * `Object.assign` or `obj[key] = …` turns `__proto__` into a prototype write. No message needs them.
 */
export const FORBIDDEN_KEYS: readonly string[] = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

/** Why a parsed JSON value is refused before validation (too deep, or a forbidden key and where), or null. Walks without recursion. */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: [unknown, number, string][] = [[value, 0, '$']];
  while (stack.length) {
    const [v, depth, at] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > maxDepth) return `nested more than ${maxDepth} levels deep`;
    if (Array.isArray(v)) {
      v.forEach((child, i) => stack.push([child, depth + 1, `${at}[${i}]`]));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.includes(key)) return `the key '${key}' is not accepted (at ${at})`;
      stack.push([(v as Record<string, unknown>)[key], depth + 1, `${at}.${key}`]);
    }
  }
  return null;
}
