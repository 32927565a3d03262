/** A token bucket: `burst` tokens at most, `rate` tokens back per second; rate 0 never refuses. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    if (this.rate === 0) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Gives a token back (a frame the other bucket refused did not use this one). */
  giveBack(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
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
  private readonly users = new Map<string, { bucket: TokenBucket; connections: number; idleSince: number | null }>();
  private lastSweep = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The user's open connections (the handshake refuses one past WS_MAX_CONNECTIONS_PER_USER). */
  openConnections(userId: string): number {
    return this.users.get(userId)?.connections ?? 0;
  }

  connect(userId: string): ConnectionLimiter {
    const l = this.limits;
    const start = this.now();
    this.sweep(start);
    let user = this.users.get(userId);
    if (!user) this.users.set(userId, (user = { bucket: new TokenBucket(l.WS_RATE_PER_USER, l.WS_BURST_PER_USER, start), connections: 0, idleSince: null }));
    user.connections += 1;
    user.idleSince = null;
    const shared = user;
    const own = new TokenBucket(l.WS_RATE_PER_CONNECTION, l.WS_BURST_PER_CONNECTION, start);
    const refusals = new TokenBucket(1, l.WS_FLOOD_CLOSE_AFTER, start);
    let released = false;
    return {
      check: () => {
        const now = this.now();
        if (own.take(now)) {
          if (shared.bucket.take(now)) return 'accept';
          own.giveBack();
        }
        return refusals.take(now) ? 'refuse' : 'close';
      },
      release: () => {
        if (released) return;
        released = true;
        shared.connections -= 1;
        if (shared.connections === 0) shared.idleSince = this.now();
      },
    };
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
    for (const [id, user] of this.users) if (user.idleSince !== null && now - user.idleSince >= refillMs) this.users.delete(id);
  }
}
