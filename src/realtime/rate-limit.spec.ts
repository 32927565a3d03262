import { TokenBucket, WsRateLimiter } from './rate-limit';

const limits = {
  WS_RATE_PER_CONNECTION: 10,
  WS_BURST_PER_CONNECTION: 20,
  WS_RATE_PER_USER: 15,
  WS_BURST_PER_USER: 30,
  WS_FLOOD_CLOSE_AFTER: 5,
};

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const verdicts = (check: () => string, n: number) => Array.from({ length: n }, check);
const count = (list: string[], v: string) => list.filter((x) => x === v).length;

describe('TokenBucket', () => {
  it('allows the burst, then the rate', () => {
    const b = new TokenBucket(10, 20, 0);
    expect(Array.from({ length: 25 }, () => b.take(0)).filter(Boolean)).toHaveLength(20);
    expect(Array.from({ length: 10 }, () => b.take(500)).filter(Boolean)).toHaveLength(5);
  });

  it('never refills beyond the burst, and rate 0 is no limit', () => {
    const b = new TokenBucket(10, 3, 0);
    expect(Array.from({ length: 5 }, () => b.take(60_000)).filter(Boolean)).toHaveLength(3);
    const off = new TokenBucket(0, 1, 0);
    expect(Array.from({ length: 1000 }, () => off.take(0)).every(Boolean)).toBe(true);
  });
});

describe('WsRateLimiter', () => {
  it('refuses frames over the connection burst, then closes a connection that keeps sending', () => {
    const c = clock();
    const conn = new WsRateLimiter(limits, c.now).connect('u1');
    const v = verdicts(() => conn.check(), 30);
    expect(v.slice(0, 20)).toEqual(Array(20).fill('accept'));
    expect(v.slice(20, 25)).toEqual(Array(5).fill('refuse'));
    expect(v.slice(25)).toEqual(Array(5).fill('close'));
  });

  it('lets a client that slows down recover without being closed', () => {
    const c = clock();
    const conn = new WsRateLimiter(limits, c.now).connect('u1');
    verdicts(() => conn.check(), 23); // 20 accepted, 3 refused
    c.advance(1000);
    const after = verdicts(() => conn.check(), 10);
    expect(after).toEqual(Array(10).fill('accept'));
  });

  it('shares one bucket between the connections of a user, not between users', () => {
    const c = clock();
    const limiter = new WsRateLimiter(limits, c.now);
    const a = limiter.connect('u1');
    const b = limiter.connect('u1');
    const other = limiter.connect('u2');
    const both = [...verdicts(() => a.check(), 20), ...verdicts(() => b.check(), 20)];
    expect(count(both, 'accept')).toBe(30); // the user's burst, not 2 × 20
    expect(verdicts(() => other.check(), 20)).toEqual(Array(20).fill('accept'));
  });

  it('charges a connection nothing for a frame its user’s budget refused, and a per-connection rate of 0 leaves only the user’s', () => {
    const c = clock();
    const limiter = new WsRateLimiter(limits, c.now);
    const a = limiter.connect('u1');
    const b = limiter.connect('u1');
    expect(
      count(
        verdicts(() => a.check(), 30),
        'accept',
      ),
    ).toBe(20); // a's own burst
    expect(
      count(
        verdicts(() => b.check(), 15),
        'accept',
      ),
    ).toBe(10); // the user's 30 - 20; b refused 5
    c.advance(1000); // +10 each for a and b, +15 for the user
    // b's own bucket is full (20): its refusals took none of it; the user's 15 cap what it gets.
    expect(
      count(
        verdicts(() => b.check(), 20),
        'accept',
      ),
    ).toBe(15);

    const unlimited = new WsRateLimiter({ ...limits, WS_RATE_PER_CONNECTION: 0, WS_BURST_PER_CONNECTION: 0 }, c.now).connect('u3');
    expect(verdicts(() => unlimited.check(), 36)).toEqual([...Array(30).fill('accept'), ...Array(5).fill('refuse'), 'close']);
  });

  it('keeps a user’s budget across reconnects: closing every socket and opening new ones does not refill it', () => {
    const c = clock();
    const limiter = new WsRateLimiter(limits, c.now);
    let spent = 0;
    // A reconnect loop: each new connection sends until refused, then closes.
    for (let round = 0; round < 20; round++) {
      const conn = limiter.connect('u1');
      spent += count(
        verdicts(() => conn.check(), 40),
        'accept',
      );
      conn.release();
      c.advance(10);
    }
    // 200 ms of reconnecting: the burst (30) plus 15/s × 0.2 s, not 20 bursts.
    expect(spent).toBeLessThanOrEqual(30 + 3 + 1);
  });

  it('forgets a user only once their bucket would be full again (bounded memory)', () => {
    const c = clock();
    const limiter = new WsRateLimiter(limits, c.now);
    const a = limiter.connect('u1');
    const b = limiter.connect('u1');
    a.release();
    a.release();
    expect(limiter.trackedUsers).toBe(1);
    b.release();
    expect(limiter.trackedUsers).toBe(1);
    c.advance(1_999); // burst 30 at 15/s: full after 2 s
    expect(limiter.trackedUsers).toBe(1);
    c.advance(1);
    expect(limiter.trackedUsers).toBe(0);
    expect(limiter.openConnections('u1')).toBe(0);
  });
});

describe('WsRateLimiter across nodes (usage shared through the database each heartbeat)', () => {
  it('reports frames accepted per user as a running total, and connections open here', () => {
    const c = clock();
    const limiter = new WsRateLimiter(limits, c.now);
    const a = limiter.connect('u1');
    limiter.connect('u1');
    verdicts(() => a.check(), 12);
    expect(limiter.usage()).toEqual({ u1: [12, 2] });
    c.advance(1000);
    verdicts(() => a.check(), 3);
    expect(limiter.usage().u1[0]).toBe(15);
    limiter.connect('quiet'); // connected, no frame yet: its connection counts all the same
    expect(limiter.usage().quiet).toEqual([0, 1]);
  });

  it('a user sending on k other nodes gets 1/(k+1) of the budget here, and all of it back once they stop there', () => {
    const c = clock();
    const here = new WsRateLimiter({ ...limits, WS_RATE_PER_CONNECTION: 1000, WS_BURST_PER_CONNECTION: 1000 }, c.now);
    const conn = here.connect('u1');
    verdicts(() => conn.check(), 30); // the whole burst spent
    here.applyElsewhere(new Map([['u1', 2]]), new Map());
    c.advance(3000); // a third of the rate (5/s): 15 tokens back, but the burst is a third too (10)
    expect(
      count(
        verdicts(() => conn.check(), 20),
        'accept',
      ),
    ).toBe(10);
    here.applyElsewhere(new Map(), new Map());
    c.advance(3000); // the whole rate again: 45 tokens back, up to the full burst
    expect(
      count(
        verdicts(() => conn.check(), 40),
        'accept',
      ),
    ).toBe(30);
  });

  it('a user active only on another node gets a budget here already shared, and their connections there count', () => {
    const c = clock();
    const here = new WsRateLimiter(limits, c.now);
    here.applyElsewhere(new Map([['u2', 1]]), new Map([['u2', 3]]));
    expect(here.openConnections('u2')).toBe(3);
    const conn = here.connect('u2');
    expect(here.openConnections('u2')).toBe(4);
    expect(
      count(
        verdicts(() => conn.check(), 30),
        'accept',
      ),
    ).toBe(15);
    // The other node's connections closed: only this one is left.
    here.applyElsewhere(new Map(), new Map());
    expect(here.openConnections('u2')).toBe(1);
  });

  it('a budget split many ways still lets a frame through now and then (the burst never goes below one token)', () => {
    const c = clock();
    const tiny = new WsRateLimiter({ ...limits, WS_RATE_PER_USER: 1, WS_BURST_PER_USER: 1 }, c.now);
    const conn = tiny.connect('u3');
    tiny.applyElsewhere(new Map([['u3', 3]]), new Map());
    c.advance(4000);
    expect(
      count(
        verdicts(() => conn.check(), 3),
        'accept',
      ),
    ).toBe(1);
  });
});
