/** Per user: frames accepted on a node since it started, and connections open there. */
export type NodeUsage = Record<string, [frames: number, connections: number]>;

/** What the other nodes' latest usage rows say, per user. */
export interface UsageElsewhere {
  /** On how many other nodes the user had frames accepted since the previous read. */
  active: Map<string, number>;
  /** Connections the user holds on the other nodes. */
  connections: Map<string, number>;
}

/**
 * Reads the other nodes' usage rows against the totals read last time (`seen`, updated in place; a
 * node gone from `rows` is forgotten). A node seen for the first time (this one just started, or it
 * just joined) gives a baseline: its totals are not activity now. A total below the last one means
 * that node restarted: anything above zero is new.
 */
export function readUsageElsewhere(seen: Map<string, Map<string, number>>, rows: readonly { nodeId: string; usage: NodeUsage }[]): UsageElsewhere {
  const active = new Map<string, number>();
  const connections = new Map<string, number>();
  for (const row of rows) {
    const last = seen.get(row.nodeId);
    const now = new Map<string, number>();
    for (const [userId, [frames, open]] of Object.entries(row.usage)) {
      if (last) {
        const before = last.get(userId) ?? 0;
        const sent = frames >= before ? frames - before : frames;
        if (sent > 0) active.set(userId, (active.get(userId) ?? 0) + 1);
      }
      connections.set(userId, (connections.get(userId) ?? 0) + open);
      now.set(userId, frames);
    }
    seen.set(row.nodeId, now);
  }
  for (const nodeId of seen.keys()) if (!rows.some((r) => r.nodeId === nodeId)) seen.delete(nodeId);
  return { active, connections };
}
