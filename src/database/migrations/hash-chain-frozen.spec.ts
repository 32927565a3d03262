import * as fc from 'fast-check';
import type { LoggedEvent } from '../../decision-log/decision-log';
import { chainEvents, GENESIS, hashEvent } from '../../decision-log/hash-chain';
import { GENESIS as FROZEN_GENESIS, hashEvent as frozenHashEvent } from './1764230400000-hash-chain';

const event = (seq: number, payload: Record<string, unknown>, extra: Partial<LoggedEvent> = {}): LoggedEvent => ({
  callId: 'c1',
  seq,
  type: seq === 1 ? 'call.started' : 'decision',
  payload,
  agentId: 'agent-1',
  flowId: 'suspend-service',
  flowVersion: 1,
  stateBefore: seq === 1 ? null : `s${seq - 1}`,
  flowIdAfter: seq === 1 ? null : 'suspend-service',
  flowVersionAfter: seq === 1 ? null : 1,
  stateAfter: `s${seq}`,
  at: `2026-11-23T08:00:0${seq % 10}.000Z`,
  ...extra,
});

/**
 * The hash-chain migration hashes with a frozen copy of the live hashing (so editing the live code
 * cannot rewrite an applied migration). Both must keep hashing alike: an event chained by the
 * migration has to verify with the live code. If this fails, the live hashing changed — existing
 * chains no longer verify, and that needs a new migration, not an edit of the old one.
 */
describe('the hash-chain migration hashes as the live decision log does', () => {
  it('the same genesis and the same hash for sample events', () => {
    expect(FROZEN_GENESIS).toBe(GENESIS);
    const samples: LoggedEvent[] = [
      event(1, { callerNumber: '13800000001', customer: { msisdn: '13800000001', name: '张三', services: ['a', 'b'] } }),
      event(2, { option: 'continue', input: { reason: 'travel', b: 2, a: [1, 'é', null] }, confirmedPrompts: ['x'] }),
      event(3, { option: 'x', dropped: undefined, nested: { z: { y: [{ b: 1, a: 2 }] } }, n: 1.5, t: true }),
      event(4, {}, { type: 'backend.reply', flowIdAfter: 'other-flow', flowVersionAfter: 3 }),
    ];
    let prev = GENESIS;
    for (const e of samples) {
      expect(frozenHashEvent(prev, e)).toBe(hashEvent(prev, e));
      prev = hashEvent(prev, e);
    }
    // A stored event (with its own prevHash/hash) hashes as its content.
    for (const stored of chainEvents(samples)) expect(frozenHashEvent(stored.prevHash, stored)).toBe(stored.hash);
  });

  it('the same hash for any JSON payload', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer({ min: 1, max: 9 }), (payload, seq) => {
        const e = event(seq, payload);
        expect(frozenHashEvent(GENESIS, e)).toBe(hashEvent(GENESIS, e));
      }),
      { numRuns: 200, seed: 20261203 },
    );
  });
});
