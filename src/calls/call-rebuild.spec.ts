import type { Logger } from '@nestjs/common';
import type { CallLog } from '../decision-log/decision-log';
import { chainEvents } from '../decision-log/hash-chain';
import { callRecord, loggedEvent } from '../testing/log-records';
import { checkChainsLater, recoverInParts } from './call-rebuild';

const log = (id: string): CallLog => ({ call: callRecord(id, 2), events: chainEvents([loggedEvent(id, 1), loggedEvent(id, 2)]) });
const nextTurns = (n: number) => Array.from({ length: n }).reduce<Promise<void>>((p) => p.then(() => new Promise((r) => setImmediate(r))), Promise.resolve());

describe('checkChainsLater (recovered calls: chains checked once the server serves)', () => {
  it('warns for exactly the calls whose chain is broken, after boot, across several turns', async () => {
    const logs = Array.from({ length: 450 }, (_, i) => log(`c${i}`));
    logs[7].events[1] = { ...logs[7].events[1], payload: { option: 'altered', n: 2 } };
    logs[420].events[0] = { ...logs[420].events[0], at: '2026-12-03T09:59:59.000Z' };
    const warn = jest.fn();
    checkChainsLater(logs, { warn } as unknown as Logger);
    expect(warn).not.toHaveBeenCalled(); // nothing on the boot path itself
    await nextTurns(4);
    expect(warn.mock.calls.map(([m]) => (m as string).split(' ')[3])).toEqual(['c7', 'c420']);
    expect(warn.mock.calls[0][0]).toContain('at seq 2');
    expect(warn.mock.calls[1][0]).toContain('at seq 1');
  });
});

describe('recoverInParts', () => {
  it('rebuilds each part as it arrives, in order, and counts the calls read', async () => {
    const log = (id: string) => ({ call: { id } as never, events: [] });
    async function* parts() {
      yield { logs: [log('a'), log('b')] };
      yield { logs: [], brokenChains: [] };
      yield { logs: [log('c')], brokenChains: [{ callId: 'c', seq: 2, reason: 'altered' }] };
    }
    const seen: string[] = [];
    const broken: unknown[] = [];
    const { calls, waitedMs } = await recoverInParts(parts(), (chunk) => {
      seen.push(...chunk.logs.map((l) => l.call.id));
      broken.push(chunk.brokenChains);
    });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(broken).toEqual([undefined, [], [{ callId: 'c', seq: 2, reason: 'altered' }]]);
    expect(calls).toBe(3);
    expect(waitedMs).toBeGreaterThanOrEqual(0);
  });
});
