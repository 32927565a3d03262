import { createHash } from 'node:crypto';
import type { ChainVerdict } from '../../protocol/calls';
import type { LoggedEvent, StoredEvent } from './decision-log';

/** The prevHash of a call's first event. */
export const GENESIS = '0'.repeat(64);

/**
 * Stable JSON: what JSON.stringify would store (undefined members dropped, toJSON applied), with
 * object keys sorted at every depth — so an event hashes the same before it is written and after
 * it is read back from the database.
 */
export function canonical(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : sorted(JSON.parse(json));
}

function sorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sorted).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sorted(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 hex of prevHash + canonical(event without its prevHash/hash). */
export function hashEvent(prevHash: string, event: LoggedEvent | StoredEvent): string {
  const { prevHash: _p, hash: _h, ...content } = event as StoredEvent;
  return createHash('sha256')
    .update(prevHash + canonical(content))
    .digest('hex');
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
