/**
 * A few members kept as nothing, the one member itself, or a Set once there are several.
 *
 * Why: most holders on the WebSocket hold one member — a connection watches its one call, a call is
 * watched by its one agent's screen, a user has one screen open — and a Set of one costs ~200 B (its
 * object and a hash table sized for four). At 10,000 idle calls that was ~0.5 KiB of each call's heap
 * (docs/PERFORMANCE.md, twenty-ninth session). A member must not itself be a Set.
 */
export type OneOrMany<T> = T | Set<T> | undefined;

const NOTHING: readonly never[] = [];

/** The holder with `value` added (the same Set when it already was one). */
export function addTo<T>(holder: OneOrMany<T>, value: T): OneOrMany<T> {
  if (holder === undefined || holder === value) return value;
  if (holder instanceof Set) return holder.add(value);
  return new Set([holder, value]);
}

/** The holder without `value`: undefined once empty, the remaining member once one is left. */
export function removeFrom<T>(holder: OneOrMany<T>, value: T): OneOrMany<T> {
  if (!(holder instanceof Set)) return holder === value ? undefined : holder;
  holder.delete(value);
  if (holder.size > 1) return holder;
  return holder.size === 1 ? (holder.values().next().value as T) : undefined;
}

/** The members, in the order they were added. */
export function membersOf<T>(holder: OneOrMany<T>): Iterable<T> {
  if (holder === undefined) return NOTHING;
  return holder instanceof Set ? holder : [holder];
}

export function sizeOf<T>(holder: OneOrMany<T>): number {
  if (holder === undefined) return 0;
  return holder instanceof Set ? holder.size : 1;
}

export function holds<T>(holder: OneOrMany<T>, value: T): boolean {
  return holder instanceof Set ? holder.has(value) : holder !== undefined && holder === value;
}

/**
 * Keyed members (a Map of OneOrMany): what the WebSocket keeps per call and per user. A key is
 * dropped with its last member.
 */
export class OneOrManyMap<K, T> {
  private readonly entries = new Map<K, OneOrMany<T>>();

  add(key: K, value: T): void {
    const before = this.entries.get(key);
    const after = addTo(before, value);
    if (after !== before) this.entries.set(key, after);
  }

  remove(key: K, value: T): void {
    const before = this.entries.get(key);
    const after = removeFrom(before, value);
    if (after === undefined) this.entries.delete(key);
    else if (after !== before) this.entries.set(key, after);
  }

  /** Drops the key and every member. */
  clear(key: K): void {
    this.entries.delete(key);
  }

  membersOf(key: K): Iterable<T> {
    return membersOf(this.entries.get(key));
  }

  sizeOf(key: K): number {
    return sizeOf(this.entries.get(key));
  }

  /** Keys held. */
  get size(): number {
    return this.entries.size;
  }
}
