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
const FORBIDDEN = new Set(FORBIDDEN_KEYS);

/** A node still to visit; its path is only spelled out when it is refused (this runs on every frame). */
interface Pending {
  value: unknown;
  depth: number;
  parent: Pending | null;
  step: string | number;
}

/** Why a parsed JSON value is refused before validation (too deep, or a forbidden key and where), or null. */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  // Every frame is checked (twice: the adapter, then the first validation pipe), nearly always
  // fine: a recursive walk that stops at maxDepth (so the stack stays shallow) and allocates nothing
  // says so; only a refused value is walked again to say why and where.
  return acceptable(value, 0, maxDepth) ? null : problemOf(value, maxDepth);
}

function acceptable(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth + 1 > maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!acceptable(value[i], depth + 1, maxDepth)) return false;
    return true;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN.has(key) || !acceptable((value as Record<string, unknown>)[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

/** The refusal, found by a walk without recursion that spells out the path of a refused key. */
function problemOf(value: unknown, maxDepth: number): string | null {
  const stack: Pending[] = [{ value, depth: 0, parent: null, step: '' }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v !== 'object' || v === null) continue;
    if (node.depth + 1 > maxDepth) return `nested more than ${maxDepth} levels deep`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], depth: node.depth + 1, parent: node, step: i });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN.has(key)) return `the key '${key}' is not accepted (at ${pathOf(node)})`;
      stack.push({ value: (v as Record<string, unknown>)[key], depth: node.depth + 1, parent: node, step: key });
    }
  }
  return null;
}

function pathOf(node: Pending): string {
  const steps: string[] = [];
  for (let n: Pending | null = node; n?.parent; n = n.parent) steps.push(typeof n.step === 'number' ? `[${n.step}]` : `.${n.step}`);
  return '$' + steps.reverse().join('');
}
