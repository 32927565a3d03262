/**
 * Hostile-input fuzzing support (docs/RELIABILITY.md "Hostile input"): field specs read from the
 * real DTOs' class-validator metadata, mutations that each make a valid message invalid, and what
 * the server answers (nothing changed is proven with db-state.ts).
 */
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import WebSocket from 'ws';
import type { Frame } from './frames';
import type { WsClient } from './ws-client';

/** Fixed in CI; a larger run: FUZZ_RUNS=5000 FUZZ_SEED=<any> (docs/RELIABILITY.md). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261123);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 150);
export const fuzzParams = (runs = FUZZ_RUNS) => ({ seed: FUZZ_SEED, numRuns: runs, endOnFailure: true });
/** Jest's per-test timeout for a property of `runs` cases (a larger run takes minutes). */
export const fuzzTimeout = (runs = FUZZ_RUNS) => 60_000 + runs * 200;
/** FUZZ_VERBOSE=1 prints each case as it is sent (to find one that hangs). */
export const trace = (what: string) => {
  if (process.env.FUZZ_VERBOSE) process.stderr.write(`[fuzz] ${what.slice(0, 160)}\n`);
};

/* ------------------------------------------------------------------ DTO field specs */

export type FieldKind = 'string' | 'int' | 'number' | 'object' | 'array' | 'boolean';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  optional: boolean;
  maxLength?: number;
  min?: number;
  maxItems?: number;
}

const KIND_OF: Record<string, FieldKind> = {
  isString: 'string',
  matches: 'string',
  isUuid: 'string',
  isIn: 'string',
  isIso8601: 'string',
  isISO8601: 'string',
  isInt: 'int',
  isNumber: 'number',
  isObject: 'object',
  isMarks: 'object',
  // `'all'` or an array of team ids: fuzzed as the array (a wrong-typed value is never the string 'all').
  isSupervises: 'array',
  isArray: 'array',
  isBoolean: 'boolean',
};

/** The fields of a DTO class as its validation decorators declare them (inherited ones included). */
export function dtoFields(dto: new (...args: any[]) => object): FieldSpec[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byName = new Map<string, FieldSpec>();
  for (const m of metas) {
    const spec = byName.get(m.propertyName) ?? { name: m.propertyName, kind: 'string' as FieldKind, optional: false };
    byName.set(m.propertyName, spec);
    const name = m.name ?? '';
    if (m.type === 'conditionalValidation') spec.optional = true;
    if (KIND_OF[name] && !m.each) spec.kind = KIND_OF[name];
    if (name === 'maxLength' && !m.each) spec.maxLength = m.constraints[0] as number;
    if (name === 'min') spec.min = m.constraints[0] as number;
    if (name === 'arrayMaxSize') spec.maxItems = m.constraints[0] as number;
  }
  for (const spec of byName.values())
    if (!metas.some((m) => m.propertyName === spec.name && KIND_OF[m.name ?? '']))
      throw new Error(`${dto.name}.${spec.name}: no type decorator the fuzzer knows`);
  return [...byName.values()];
}

/* ------------------------------------------------------------------ hostile values */

/**
 * `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep — kept as a marker and written out by `toJson`,
 * because JSON.stringify itself overflows the stack on such values.
 */
export class Deep {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
  ) {}

  text(): string {
    return this.kind === 'array' ? `${'['.repeat(this.depth)}0${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}0${'}'.repeat(this.depth)}`;
  }
}

export const nested = (depth: number, kind: 'array' | 'object') => new Deep(depth, kind);

/** JSON text of a value that may hold `Deep` markers. */
export function toJson(value: unknown): string {
  const deep: Deep[] = [];
  const text = JSON.stringify(value, (_k, v) => (v instanceof Deep ? `\u0000deep${deep.push(v) - 1}\u0000` : v));
  return text.replace(/"\\u0000deep(\d+)\\u0000"/g, (_m, i: string) => deep[Number(i)].text());
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const anyJson = fc.jsonValue({ maxDepth: 3 });
const deep = fc.tuple(fc.constantFrom(50, 1000, 10_000), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => nested(d, k));
const hugeString = fc.integer({ min: 1, max: 60_000 }).map((n) => 'x'.repeat(n));

/** A value of any type but the field's (never null/undefined for an optional field: that means "absent"). */
function wrongType(spec: FieldSpec): fc.Arbitrary<unknown> {
  const str = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('1', 'true', 'null', 'NaN', '{}', '[]'));
  const num = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2));
  const others: fc.Arbitrary<unknown>[] = [
    fc.boolean(),
    fc.array(anyJson, { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 }),
    deep,
  ];
  if (!spec.optional) others.push(fc.constant(null));
  switch (spec.kind) {
    case 'string':
      return fc.oneof(num, ...others);
    case 'int':
      return fc.oneof(
        str,
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
        ...(spec.min !== undefined && spec.min >= 1 ? [fc.constantFrom(0, -1, -1e15)] : []),
        ...others,
      );
    case 'number':
      return fc.oneof(str, ...others);
    case 'boolean':
      return fc.oneof(str, num, ...others.slice(1));
    case 'object':
      return fc.oneof(str, num, fc.boolean(), fc.array(anyJson, { maxLength: 5 }), fc.constantFrom(...(spec.optional ? [] : [null]), [], [{}]));
    case 'array':
      return fc.oneof(
        str,
        num,
        fc.boolean(),
        fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 }),
        fc.array(fc.oneof(num, fc.boolean(), fc.constant(null), fc.object()), { minLength: 1, maxLength: 5 }),
      );
  }
}

export type Mutation = { kind: string; apply: (body: Record<string, unknown>) => Record<string, unknown> };

/** One mutation of a valid body that the server must refuse, whatever the body's content. */
export function mutation(fields: FieldSpec[]): fc.Arbitrary<Mutation> {
  const names = fields.map((f) => f.name);
  const set =
    (name: string, value: unknown): Mutation['apply'] =>
    (b) => ({ ...b, [name]: value });
  const options: fc.Arbitrary<Mutation>[] = [
    fc.tuple(fc.constantFrom(...fields), fc.nat()).chain(([f]) => wrongType(f).map((v) => ({ kind: `wrong type ${f.name}`, apply: set(f.name, v) }))),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ minLength: 1, maxLength: 30 })).filter((k) => !names.includes(k)),
        anyJson,
      )
      .map(([k, v]) => ({
        kind: `unknown field ${JSON.stringify(k).slice(0, 40)}`,
        apply: (b: Record<string, unknown>) => {
          const out = { ...b };
          Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true }); // an own "__proto__" key, as JSON.parse makes it
          return out;
        },
      })),
  ];
  const required = fields.filter((f) => !f.optional);
  if (required.length)
    options.push(
      fc.constantFrom(...required).map((f) => ({
        kind: `missing ${f.name}`,
        apply: (b: Record<string, unknown>) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== f.name)),
      })),
    );
  const bounded = fields.filter((f) => f.maxLength !== undefined);
  if (bounded.length)
    options.push(
      fc
        .tuple(fc.constantFrom(...bounded), fc.integer({ min: 1, max: 60_000 }))
        .map(([f, extra]) => ({ kind: `too long ${f.name}`, apply: set(f.name, 'ü'.repeat(f.maxLength! + Math.min(extra, 20_000))) })),
    );
  const arrays = fields.filter((f) => f.kind === 'array' && f.maxItems !== undefined);
  if (arrays.length)
    options.push(
      fc.tuple(fc.constantFrom(...arrays), fc.integer({ min: 1, max: 5000 })).map(([f, extra]) => ({
        kind: `too many items ${f.name}`,
        apply: set(
          f.name,
          Array.from({ length: f.maxItems! + extra }, (_, i) => `p${i}`),
        ),
      })),
    );
  const objects = fields.filter((f) => f.kind === 'object');
  if (objects.length)
    options.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.constantFrom(100, 1000, 10_000))
        .map(([f, d]) => ({ kind: `deep ${f.name} (${d})`, apply: set(f.name, { a: nested(d, 'object') }) })),
    );
  options.push(fc.tuple(fc.constantFrom(...fields), deep).map(([f, v]) => ({ kind: `deep value in ${f.name}`, apply: set(f.name, v) })));
  const notStrings = fields.filter((f) => f.kind !== 'string');
  if (notStrings.length)
    options.push(fc.tuple(fc.constantFrom(...notStrings), hugeString).map(([f, v]) => ({ kind: `huge string for ${f.name}`, apply: set(f.name, v) })));
  return fc.oneof(...options);
}

/* ------------------------------------------------------------------ WebSocket outcomes */

export type Outcome = { frame: Frame } | { closed: number };

/** The next frame, or the close code if the server closes the connection first. */
export function nextOutcome(c: WsClient, timeoutMs = 10_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    if (c.ws.readyState !== WebSocket.OPEN) return resolve({ closed: -1 });
    const onClose = (code: number) => resolve({ closed: code });
    c.ws.once('close', onClose);
    c.next(() => true, timeoutMs, 'the answer to a hostile frame').then(
      (frame) => {
        c.ws.off('close', onClose);
        resolve({ frame });
      },
      (e) => {
        if (c.ws.readyState === WebSocket.OPEN) {
          c.ws.off('close', onClose);
          reject(e);
        }
      },
    );
  });
}

/** The error codes a hostile message may get; INTERNAL (a crash) is never one of them. */
export const CLIENT_ERRORS = [
  'BAD_JSON',
  'VALIDATION_FAILED',
  'UNKNOWN_EVENT',
  'NOT_FOUND',
  'FORBIDDEN',
  'STALE_SEQ',
  'OPTION_NOT_AVAILABLE',
  'INVALID_STATE',
  'CHECKS_FAILED',
  'VERSION_DOES_NOT_LOAD',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAUTHORIZED',
];
/** Close codes the server uses for a client that breaks the framing: 1003 binary, 1007 bad UTF-8, 1008 policy (flood), 1009 too big. */
export const DEFINED_CLOSE_CODES = [1003, 1007, 1008, 1009];

/** The server's error-level log lines (pino level ≥ 50) in some captured output. */
export const errorLines = (output: string) => output.split('\n').filter((l) => /"level":(50|60)/.test(l));
