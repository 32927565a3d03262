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
  /** Called once when the connection closes: the user's bucket goes when their last connection does. */
  release(): void;
}

/**
 * Per-connection and per-user frame limits for the WebSocket. A frame over either limit is refused
 * (the caller answers RATE_LIMITED and does nothing else); a connection that goes on sending while
 * refused exhausts its allowance of refusals and is closed, so a flood costs the server a bounded
 * amount of work and never delays other users' calls.
 */
export class WsRateLimiter {
  private readonly users = new Map<string, { bucket: TokenBucket; connections: number }>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  connect(userId: string): ConnectionLimiter {
    const l = this.limits;
    const start = this.now();
    let user = this.users.get(userId);
    if (!user) this.users.set(userId, (user = { bucket: new TokenBucket(l.WS_RATE_PER_USER, l.WS_BURST_PER_USER, start), connections: 0 }));
    user.connections += 1;
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
        if (shared.connections === 0 && this.users.get(userId) === shared) this.users.delete(userId);
      },
    };
  }

  /** Users with at least one open connection (for tests: nothing is kept for users who left). */
  get trackedUsers(): number {
    return this.users.size;
  }
}
