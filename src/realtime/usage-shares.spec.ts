import { WsRateLimiter } from './rate-limit';
import { type NodeUsage, readUsageElsewhere } from './usage-shares';

const limits = {
  WS_RATE_PER_CONNECTION: 1000,
  WS_BURST_PER_CONNECTION: 1000,
  WS_RATE_PER_USER: 10,
  WS_BURST_PER_USER: 20,
  WS_FLOOD_CLOSE_AFTER: 1_000_000,
};

describe('readUsageElsewhere', () => {
  it('counts the other nodes where a user sent frames since the last read; a first sight is a baseline', () => {
    const seen = new Map<string, Map<string, number>>();
    const first = readUsageElsewhere(seen, [{ nodeId: 'b', usage: { u1: [500, 1] } }]);
    expect(first.active.size).toBe(0);
    expect(first.connections.get('u1')).toBe(1);
    const rows = (b: NodeUsage, c: NodeUsage) => [
      { nodeId: 'b', usage: b },
      { nodeId: 'c', usage: c },
    ];
    readUsageElsewhere(seen, rows({ u1: [500, 1] }, { u1: [7, 1], u2: [3, 0] }));
    const next = readUsageElsewhere(seen, rows({ u1: [501, 1] }, { u1: [9, 2], u2: [3, 0] }));
    expect(next.active.get('u1')).toBe(2);
    expect(next.active.has('u2')).toBe(false);
    expect(next.connections.get('u1')).toBe(3);
    // c restarted (its total fell): what it counted since is new activity.
    const restarted = readUsageElsewhere(seen, rows({ u1: [501, 1] }, { u1: [2, 1] }));
    expect(restarted.active.get('u1')).toBe(1);
    // b is gone: forgotten, so when it comes back its totals are a baseline again.
    readUsageElsewhere(seen, rows({}, { u1: [2, 1] }).slice(1));
    expect(seen.has('b')).toBe(false);
  });
});

describe('one user flooding two nodes that exchange usage every heartbeat', () => {
  /** Two limiters on one clock, each flooded at 40 frames/s by one socket; heartbeats 1 s apart, offset by half a second. */
  function flood(seconds: number, heartbeatMs = 1000) {
    let t = 0;
    const nodes = ['a', 'b'].map((id) => ({ id, limiter: new WsRateLimiter(limits, () => t), seen: new Map<string, Map<string, number>>() }));
    const sockets = nodes.map((n) => n.limiter.connect('u1'));
    const accepted = nodes.map(() => [] as number[]);
    const published = new Map<string, NodeUsage>();
    for (; t < seconds * 1000; t += 25) {
      nodes.forEach((node, i) => {
        if ((t + i * (heartbeatMs / 2)) % heartbeatMs === 0) {
          published.set(node.id, node.limiter.usage());
          const rows = [...published].filter(([id]) => id !== node.id).map(([nodeId, usage]) => ({ nodeId, usage }));
          const { active, connections } = readUsageElsewhere(node.seen, rows);
          node.limiter.applyElsewhere(active, connections);
        }
        if (sockets[i].check() === 'accept') accepted[i].push(t);
      });
    }
    return accepted;
  }

  it('serves one budget in all, shared evenly: neither node starves the other', () => {
    const accepted = flood(20);
    const steady = accepted.map((times) => times.filter((t) => t >= 5000).length / 15);
    expect(steady[0] + steady[1]).toBeGreaterThanOrEqual(limits.WS_RATE_PER_USER * 0.9);
    expect(steady[0] + steady[1]).toBeLessThanOrEqual(limits.WS_RATE_PER_USER * 1.1);
    for (const perSecond of steady) expect(perSecond).toBeGreaterThanOrEqual(limits.WS_RATE_PER_USER * 0.4);
  });
});
