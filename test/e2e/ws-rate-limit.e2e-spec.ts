/**
 * Floods from one connection (docs/RELIABILITY.md "Hostile input"): frames over the per-connection
 * or per-user limit get `RATE_LIMITED`, a connection that keeps flooding is closed with 1008, and
 * another user's call goes on with its normal latency meanwhile. Nothing the flood sent is logged.
 */
import { CallDriver, expectStep } from '../support/flow';
import { fingerprint } from '../support/db-state';
import { nextOutcome } from '../support/fuzz';
import { asView, tryHandshake, wsUrl } from '../support/client';
import { useServer } from '../support/use-server';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('WebSocket rate limits', () => {
  const server = useServer({
    // The defaults (docs/PROTOCOL.md §10), spelled out so the numbers below follow them.
    env: {
      WS_RATE_PER_CONNECTION: '20',
      WS_BURST_PER_CONNECTION: '40',
      WS_RATE_PER_USER: '50',
      WS_BURST_PER_USER: '150',
      WS_FLOOD_CLOSE_AFTER: '100',
      WS_MAX_CONNECTIONS_PER_USER: '20',
    },
    users: ['agent1', 'agent2', 'supervisor1', 'supervisor2'],
    locale: 'en',
  });
  const connect = (user: string) => server.connect(user);

  it('answers RATE_LIMITED past the burst, echoing the requestId, and recovers once the client slows down', async () => {
    const c = await connect('agent1');
    for (let i = 0; i < 60; i++) c.send('flow.search', { requestId: `s${i}`, q: 'bill' });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => c.next((f) => f.data?.requestId === `s${i}`, 10_000, `answer ${i}`)));
    const limited = answers.filter((f) => f.event === 'call.error' && f.data.code === 'RATE_LIMITED');
    const served = answers.filter((f) => f.event === 'flow.results');
    expect(served.length).toBeGreaterThanOrEqual(40);
    expect(limited.length).toBeGreaterThan(0);
    expect(served.length + limited.length).toBe(60);
    expect(c.isOpen).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await c.request('flow.search', { q: 'bill' });
    expect(after.event).toBe('flow.results');
  });

  it("closes a connection that keeps flooding with 1008, logs nothing, and another user's call keeps its latency", async () => {
    const agent = await connect('agent2');
    const d = new CallDriver(agent);
    let view = await d.start('13800000001');
    expectStep(view, 'check-eligibility');
    const latency = async () => {
      const t0 = performance.now();
      const r = await agent.request('call.attach', { callId: view.data.callId });
      asView(r);
      return performance.now() - t0;
    };
    const quiet: number[] = [];
    for (let i = 0; i < 9; i++) quiet.push(await latency());

    const before = fingerprint(server.dataDir);
    const flooder = await connect('agent1');
    const closed = new Promise<number>((resolve) => flooder.ws.once('close', (code) => resolve(code)));
    const frame = JSON.stringify({
      event: 'call.start',
      data: { requestId: 'flood', callerNumber: '13800000001', flowId: 'no-such-flow' },
    });
    let sent = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < 50 && flooder.isOpen; i++, sent++) flooder.ws.send(frame);
    }, 5);
    const loaded: number[] = [];
    try {
      for (let i = 0; i < 9; i++) loaded.push(await latency());
      expect(await closed).toBe(1008);
    } finally {
      clearInterval(flood);
    }
    expect(sent).toBeGreaterThan(140);
    expect(flooder.history.filter((f) => f.data?.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    // The other user's call: the same view, the same order of latency (generous: a loaded 2-core box).
    expect(median(loaded)).toBeLessThan(Math.max(50, median(quiet) * 5));
    view = asView(await agent.request('call.decide', { callId: view.data.callId, seq: view.data.seq, option: 'continue' }));
    expect(view.data).toMatchObject({ seq: 2, step: { id: 'confirm-reason' } });
    const after = fingerprint(server.dataDir);
    // Only agent2's decision reached the log: one event more, and nothing from the flood.
    expect(Number(after.call_events.split(':')[0])).toBe(Number(before.call_events.split(':')[0]) + 1);
    expect(after.calls.split(':')[0]).toBe(before.calls.split(':')[0]);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });

  it("shares the per-user budget between a user's connections, not with other users", async () => {
    // agent1 flooded above; its budget outlives those sockets (item 4) and is full again after 150 / 50 s.
    await new Promise((r) => setTimeout(r, 3_100));
    const tabs = await Promise.all(Array.from({ length: 5 }, () => connect('agent1')));
    const other = await connect('agent2');
    // 5 tabs × 40 = 200 frames in one go: each tab is within its own burst, the user is over theirs (150).
    tabs.forEach((t, n) => {
      for (let i = 0; i < 40; i++) t.send('flow.search', { requestId: `t${n}-${i}`, q: 'x' });
    });
    const answers = (
      await Promise.all(tabs.map((t, n) => Promise.all(Array.from({ length: 40 }, (_, i) => t.next((f) => f.data?.requestId === `t${n}-${i}`, 10_000)))))
    ).flat();
    const limited = answers.filter((f) => f.data?.code === 'RATE_LIMITED').length;
    expect(limited).toBeGreaterThanOrEqual(1);
    expect(limited).toBeLessThanOrEqual(50);
    expect((await other.request('flow.search', { q: 'bill' })).event).toBe('flow.results');
    const outcome = await nextOutcome(other, 200).catch(() => null);
    expect(outcome).toBeNull();
  });

  it('reconnecting does not reset the per-user budget (issue 17 item 4)', async () => {
    // One user in a reconnect loop for ~2 s: each new socket sends 40 frames at once, then closes.
    let accepted = 0;
    const started = performance.now();
    for (let round = 0; round < 20; round++) {
      const c = await connect('supervisor2');
      for (let i = 0; i < 40; i++) c.send('flow.search', { requestId: `r${round}-${i}`, q: 'x' });
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => c.next((f) => f.data?.requestId === `r${round}-${i}`, 10_000)));
      accepted += answers.filter((f) => f.event === 'flow.results').length;
      await c.close();
    }
    const seconds = (performance.now() - started) / 1000;
    // The user's budget: a burst of 150 and 50/s — not 20 fresh connection bursts of 40 (800).
    expect(accepted).toBeLessThanOrEqual(150 + Math.ceil(50 * seconds) + 5);
  });

  it('one user may hold at most WS_MAX_CONNECTIONS_PER_USER sockets (20): the next handshake answers 429', async () => {
    const open = await Promise.all(Array.from({ length: 20 }, () => connect('supervisor1')));
    expect(open.every((c) => c.isOpen)).toBe(true);
    expect((await tryHandshake(wsUrl(server.port, server.tokens.supervisor1))).status).toBe(429);
    await open[0].close();
    await new Promise((r) => setTimeout(r, 100));
    expect((await tryHandshake(wsUrl(server.port, server.tokens.supervisor1))).status).toBe('open');
    await Promise.all(open.map((c) => c.close()));
  });
});
