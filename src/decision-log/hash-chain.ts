import { createHash } from 'node:crypto';
import type { ChainVerdict } from '../../protocol/calls';
import type { LoggedEvent, StoredEvent } from './decision-log';
import { sealedOf } from './payload-cipher';

/** The prevHash of a call's first event. */
export const GENESIS = '0'.repeat(64);

/**
 * Stable JSON: what JSON.stringify would store (undefined members dropped, toJSON applied), with
 * object keys sorted at every depth — so an event hashes the same before it is written and after
 * it is read back from the database.
 *
 * Written in one pass over the data (this runs for every event logged and every event replayed),
 * objects by their own enumerable keys as JSON.stringify reads them; an object with toJSON (a Date)
 * or a boxed primitive goes the long way: as JSON.stringify would store it, parsed, then sorted. The output is exactly that of
 * sorted(JSON.parse(JSON.stringify(value))), which the spec checks over generated values.
 */
export function canonical(value: unknown): string {
  return write(value) ?? 'null';
}

/** `value` as canonical JSON; undefined where JSON.stringify would leave it out (undefined, a function, a symbol). */
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : writeObject(value);
    case 'bigint':
      return JSON.stringify(value); // throws, as storing it would
    default:
      return undefined;
  }
}

/** `payload`: the canonical JSON written for the member `payload` instead of its value (an event's stored, sealed form). */
function writeObject(value: object, skip?: ReadonlySet<string>, payload?: string): string | undefined {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || isBoxed(value)) {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : sorted(JSON.parse(json));
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (write(value[i]) ?? 'null');
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  const keys = sortInPlace(Object.keys(object));
  let out = '{';
  for (const key of keys) {
    if (skip?.has(key)) continue;
    const member = payload !== undefined && key === 'payload' ? payload : write(object[key]);
    if (member === undefined) continue;
    out += (out.length > 1 ? ',' : '') + quoted(key) + ':' + member;
  }
  return out + '}';
}

/** Array.prototype.sort's order for strings (UTF-16 code units), without its scratch space: objects here have few keys. */
function sortInPlace(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) keys[j + 1] = keys[j--];
    keys[j + 1] = key;
  }
  return keys;
}

/** Keys as JSON strings: the same few names (event fields, payload and reply fields) over and over. */
const quotedKeys = new Map<string, string>();
function quoted(key: string): string {
  let json = quotedKeys.get(key);
  if (json === undefined) {
    json = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, json);
  }
  return json;
}

/** new Number(1) and the like: JSON.stringify stores the primitive inside. */
const isBoxed = (value: object) => value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt;

/** Canonical JSON of a value JSON.parse made (plain data only). */
function sorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sorted).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sorted(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const CHAIN_FIELDS: ReadonlySet<string> = new Set(['prevHash', 'hash']);

/**
 * sha256 hex of prevHash + canonical(event without its prevHash/hash), the event as STORED: an event
 * read with a sealed payload (payload-cipher.ts) is hashed with that ciphertext in place of its
 * payload, so the chain verifies with or without the call's key, and after the key is destroyed.
 */
export function hashEvent(prevHash: string, event: LoggedEvent | StoredEvent): string {
  const sealed = sealedOf(event);
  return hashSealed(prevHash, event, sealed);
}

/** hashEvent of the event whose payload is stored as `sealed` (the log's writers, which seal it). */
export function hashSealed(prevHash: string, event: LoggedEvent | StoredEvent, sealed: string | undefined): string {
  const json = writeObject(event, CHAIN_FIELDS, sealed === undefined ? undefined : JSON.stringify(sealed))!;
  return createHash('sha256').update(prevHash).update(json).digest('hex');
}

/** Links events (in seq order, one call) into a chain starting at prevHash — what the log does at append. */
export function chainEvents(events: readonly LoggedEvent[], prevHash = GENESIS): StoredEvent[] {
  return events.map((event) => {
    const hash = hashEvent(prevHash, event);
    const stored = { ...event, prevHash, hash };
    prevHash = hash;
    return stored;
  });
}

const isHash = (h: unknown): h is string => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);

/** Checks a call's events (in seq order) link from GENESIS and each hash matches its event; reports the first break. */
export function verifyChain(events: readonly StoredEvent[]): ChainVerdict {
  let expectedPrev = GENESIS;
  for (const [index, event] of events.entries()) {
    const broken = (reason: string): ChainVerdict => ({ intact: false, brokenAt: { seq: event.seq, reason } });
    if (!isHash(event.prevHash) || !isHash(event.hash)) return broken('the event has no valid prevHash/hash');
    if (event.prevHash !== expectedPrev) {
      return broken(
        index === 0
          ? 'the first event does not start from the genesis hash'
          : `prevHash does not match the hash of the event before it (seq ${events[index - 1].seq})`,
      );
    }
    if (hashEvent(event.prevHash, event) !== event.hash) return broken('the hash does not match the event content');
    expectedPrev = event.hash;
  }
  return { intact: true, brokenAt: null };
}
