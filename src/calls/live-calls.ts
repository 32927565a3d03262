import type { LiveCall } from './live-call';

/**
 * The calls this node drives, by id, with each agent's count kept as calls come and go — the
 * per-agent cap (MAX_LIVE_CALLS_PER_AGENT) is checked on every call start, and counting by a scan
 * of every live call cost O(live calls) per start (2,000 calls: ~3 % of the main thread under load).
 * A call's agent never changes, so the count moves only here.
 */
export class LiveCalls {
  private readonly byId = new Map<string, LiveCall>();
  private readonly perAgent = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  get(callId: string): LiveCall | undefined {
    return this.byId.get(callId);
  }

  has(callId: string): boolean {
    return this.byId.has(callId);
  }

  values(): IterableIterator<LiveCall> {
    return this.byId.values();
  }

  /** The agent's calls in progress on this node. */
  countOf(agentId: string): number {
    return this.perAgent.get(agentId) ?? 0;
  }

  set(call: LiveCall): void {
    const before = this.byId.get(call.id);
    if (before === call) return;
    if (before) this.delete(call.id);
    this.byId.set(call.id, call);
    const agent = call.progress.record.agentId;
    this.perAgent.set(agent, this.countOf(agent) + 1);
  }

  delete(callId: string): void {
    const call = this.byId.get(callId);
    if (!call) return;
    this.byId.delete(callId);
    const agent = call.progress.record.agentId;
    const left = this.countOf(agent) - 1;
    if (left > 0) this.perAgent.set(agent, left);
    else this.perAgent.delete(agent);
  }
}
