/** A token bucket: `burst` tokens at most, `rate` tokens back per second; rate 0 never refuses (a user's budget). */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private rate: number;
  private burst: number;

  constructor(
    private readonly fullRate: number,
    private readonly fullBurst: number,
    now: number,
  ) {
    this.rate = fullRate;
    this.burst = fullBurst;
    this.tokens = fullBurst;
    this.at = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    if (this.fullRate === 0) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Keeps 1/n of the configured rate and burst (the user is sending on n nodes, each holding an equal
   * share of their one budget); what the bucket holds is kept up to the new burst. The burst never
   * goes below one token, or a small budget split many ways would refuse everything.
   */
  shareAmong(n: number, now: number): void {
    if (this.fullRate === 0) return;
    this.refill(now);
    const ways = Math.max(1, n);
    this.rate = this.fullRate / ways;
    this.burst = Math.max(1, this.fullBurst / ways);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
  }
}

export interface RateLimits {
  WS_RATE_PER_CONNECTION: number;
  WS_BURST_PER_CONNECTION: number;
  WS_RATE_PER_USER: number;
  WS_BURST_PER_USER: number;
  WS_FLOOD_CLOSE_AFTER: number;
}

/** A user's budget on this node: their bucket, their connections here and on the other nodes. */
interface UserBudget {
  bucket: TokenBucket;
  connections: number;
  elsewhere: number;
  /** When the last connection here closed (null while one is open). */
  idleSince: number | null;
}

/** What to do with one incoming frame. */
export type Verdict = 'accept' | 'refuse' | 'close';

export interface ConnectionLimiter {
  /** Called for every frame before it is read. */
  check(): Verdict;
  /** Called once when the connection closes (the user's bucket stays until it would be full again). */
  release(): void;
}

/**
 * Per-connection and per-user frame limits for the WebSocket. A frame over either limit is refused
 * (the caller answers RATE_LIMITED and does nothing else); a connection that goes on sending while
 * refused exhausts its allowance of refusals and is closed, so a flood costs the server a bounded
 * amount of work and never delays other users' calls.
 */
export class WsRateLimiter {
  /**
   * A user's bucket outlives their connections: it is dropped only once it would be full again
   * anyway (idle for burst / rate seconds), so closing and reopening sockets never resets the budget.
   */
  private readonly users = new Map<string, UserBudget>();
  /**
   * Frames accepted per user since this process started (never reset, one number per user seen):
   * what this node shares with the others on several nodes (src/realtime/frame-usage-shares.service.ts).
   */
  private readonly acceptedTotals = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The user's open connections here and on the other nodes (the handshake refuses one past WS_MAX_CONNECTIONS_PER_USER). */
  openConnections(userId: string): number {
    const user = this.users.get(userId);
    return (user?.connections ?? 0) + (user?.elsewhere ?? 0);
  }

  /** What this node shares: per user with a bucket or frames seen, frames accepted so far and connections open here. */
  usage(): Record<string, [frames: number, connections: number]> {
    const out: Record<string, [number, number]> = {};
    for (const [id, frames] of this.acceptedTotals) out[id] = [frames, this.users.get(id)?.connections ?? 0];
    for (const [id, user] of this.users) if (user.connections > 0 && !out[id]) out[id] = [0, user.connections];
    return out;
  }

  /**
   * What the other nodes reported: on how many of them each user sent frames since the last report,
   * and the connections they hold there (counted against WS_MAX_CONNECTIONS_PER_USER). A user sending
   * on this node and k others gets 1/(k+1) of their budget here, so N nodes serve one budget in all
   * and each node a fair share of it. (Charging each node what the user spent on the others was
   * tried first: the node that fell into debt first stayed there, starved, while the other served
   * the whole budget.)
   */
  applyElsewhere(activeElsewhere: ReadonlyMap<string, number>, connections: ReadonlyMap<string, number>): void {
    const now = this.now();
    for (const [id, user] of this.users) user.bucket.shareAmong(1 + (activeElsewhere.get(id) ?? 0), now);
    for (const [id, nodes] of activeElsewhere) if (nodes > 0) this.budgetOf(id, now).bucket.shareAmong(1 + nodes, now);
    for (const [id, user] of this.users) user.elsewhere = connections.get(id) ?? 0;
    for (const [id, n] of connections) if (n > 0) this.budgetOf(id, now).elsewhere = n;
  }

  private budgetOf(userId: string, now: number): UserBudget {
    let user = this.users.get(userId);
    if (!user) {
      user = { bucket: new TokenBucket(this.limits.WS_RATE_PER_USER, this.limits.WS_BURST_PER_USER, now), connections: 0, elsewhere: 0, idleSince: now };
      this.users.set(userId, user);
    }
    return user;
  }

  connect(userId: string): ConnectionLimiter {
    const l = this.limits;
    const start = this.now();
    this.sweep(start);
    const user = this.budgetOf(userId, start);
    user.connections += 1;
    user.idleSince = null;
    return new ConnectionBudget(this, l, userId, user, start);
  }

  /** Counts a frame the user was allowed (what this node shares with the others). */
  countAccepted(userId: string): void {
    this.acceptedTotals.set(userId, (this.acceptedTotals.get(userId) ?? 0) + 1);
  }

  /** The clock the limits run on (ms). */
  clock(): number {
    return this.now();
  }

  /** Users with a bucket still kept (open connections, or closed too recently for a full bucket). */
  get trackedUsers(): number {
    this.sweep(this.now(), true);
    return this.users.size;
  }

  /** Drops the buckets of users gone long enough that theirs would be full again: at most once a second. */
  private sweep(now: number, force = false): void {
    if (!force && now - this.lastSweep < 1_000) return;
    this.lastSweep = now;
    const refillMs = this.limits.WS_RATE_PER_USER > 0 ? (this.limits.WS_BURST_PER_USER / this.limits.WS_RATE_PER_USER) * 1000 : 0;
    for (const [id, user] of this.users) {
      if (user.idleSince !== null && user.elsewhere === 0 && now - user.idleSince >= refillMs) this.users.delete(id);
    }
  }
}

/**
 * One connection's limits: its own bucket (WS_RATE/BURST_PER_CONNECTION) and its allowance of refused
 * frames (WS_FLOOD_CLOSE_AFTER, one back per second), both held as plain numbers on one object that
 * refills them on one clock — thousands of idle connections each hold one (two TokenBuckets and
 * their numbers were ~250 B of each; docs/PERFORMANCE.md, twenty-ninth session).
 */
class ConnectionBudget implements ConnectionLimiter {
  private released = false;
  private own: number;
  private refusals: number;
  private at: number;

  constructor(
    private readonly limiter: WsRateLimiter,
    private readonly limits: RateLimits,
    private readonly userId: string,
    private readonly user: UserBudget,
    now: number,
  ) {
    this.own = limits.WS_BURST_PER_CONNECTION;
    this.refusals = limits.WS_FLOOD_CLOSE_AFTER;
    this.at = now;
  }

  check(): Verdict {
    const l = this.limits;
    const now = this.limiter.clock();
    const seconds = (now - this.at) / 1000;
    this.at = now;
    this.refusals = Math.min(l.WS_FLOOD_CLOSE_AFTER, this.refusals + seconds);
    // Rate 0: the connection's own bucket never refuses.
    const limited = l.WS_RATE_PER_CONNECTION !== 0;
    if (limited) this.own = Math.min(l.WS_BURST_PER_CONNECTION, this.own + seconds * l.WS_RATE_PER_CONNECTION);
    if (!limited || this.own >= 1) {
      if (this.user.bucket.take(now)) {
        if (limited) this.own -= 1;
        this.limiter.countAccepted(this.userId);
        return 'accept';
      }
    }
    if (this.refusals < 1) return 'close';
    this.refusals -= 1;
    return 'refuse';
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.user.connections -= 1;
    if (this.user.connections === 0) this.user.idleSince = this.limiter.clock();
  }
}
