/**
 * A value remembered for an object, for as long as the object lives: what a WeakMap keyed by the
 * object does, kept instead on the object itself, under a symbol.
 *
 * Why not a WeakMap for what every live call and every connection has: V8 keeps a WeakMap's entries
 * in an ephemeron table, and a full collection can tell which values are live only once it knows
 * which keys are — it settles every entry in its atomic pause, with the main thread stopped. At
 * 2,000 calls the per-call and per-connection WeakMaps held ~9,000 entries, and they were 1.5–15 ms of
 * each mark-compact's pause (`--trace-gc-nvp`: `mark.ephemeron.marking` + `clear.weak_collections`;
 * docs/PERFORMANCE.md, twenty-seventh session) — the pauses that set the decisions' tail. A
 * property is traced like any other field, concurrently.
 *
 * The value sits under a symbol, with the object it was remembered for: a symbol is invisible to
 * `Object.keys`, `for…in` and JSON, and a copy of the object (a library's `{...snapshot}`, which
 * does copy it) is told nothing, since the entry names another object. A value an object inherits
 * is never its own for the same reason. An object that cannot take a property (frozen, sealed,
 * made non-extensible) is remembered in a WeakMap instead. (A non-enumerable property would not be
 * copied at all, but `Object.defineProperty` is slow: the decision path took 28.5–33.1 µs per input
 * with it, 27.8–28.4 with the WeakMaps, 23.2–23.5 with a plain assignment; `bench/decision-path.mjs`.)
 */
interface Entry<V> {
  owner: object;
  value: V;
}

export class ObjectMemo<K extends object, V> {
  private readonly key: symbol;
  private fallback: WeakMap<K, V> | null = null;

  /** `name`: what is remembered (the symbol's description, for debugging). */
  constructor(name: string) {
    this.key = Symbol(name);
  }

  get(owner: K): V | undefined {
    const entry = (owner as Record<symbol, Entry<V> | undefined>)[this.key];
    if (entry !== undefined && entry.owner === owner) return entry.value;
    return this.fallback?.get(owner);
  }

  set(owner: K, value: V): void {
    const slots = owner as Record<symbol, Entry<V> | undefined>;
    const entry = slots[this.key];
    if (entry !== undefined && entry.owner === owner) entry.value = value;
    else if (Object.isExtensible(owner)) slots[this.key] = { owner, value };
    else (this.fallback ??= new WeakMap()).set(owner, value);
  }
}
