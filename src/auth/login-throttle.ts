import { AppError } from '../common/app-error';

export interface ThrottleSettings {
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

interface Window {
  failures: number;
  resetsAt: number;
}

/**
 * Failed attempts per key in a fixed window that opens at the first failure. Bounded: expired
 * windows are dropped as new ones open, and past `maxKeys` the oldest go first (Map order), so a
 * flood of made-up usernames cannot grow memory without limit.
 */
export class FailureWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedFor(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || w.resetsAt <= now) return 0;
    return w.failures >= this.limit ? w.resetsAt - now : 0;
  }

  fail(key: string, now: number): void {
    const w = this.windows.get(key);
    if (w && w.resetsAt > now) {
      w.failures += 1;
      return;
    }
    this.windows.delete(key);
    this.prune(now);
    this.windows.set(key, { failures: 1, resetsAt: now + this.windowMs });
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  /** One failure counted in advance turned out not to be one. */
  forgive(key: string): void {
    const w = this.windows.get(key);
    if (w && w.failures > 0) w.failures -= 1;
  }

  get size(): number {
    return this.windows.size;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetsAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/**
 * Login throttling: only failures count, per username and per client address. Once either has
 * reached its limit, every attempt (even with the right password) gets 429 `TOO_MANY_ATTEMPTS`
 * with `Retry-After` until the window closes; a successful login clears its username's count.
 * Each attempt is counted as a failure when it arrives (check and count in one synchronous step) and
 * given back when the password proves right: at most the limit's number of passwords is ever checked.
 */
export class LoginThrottle {
  private readonly users: FailureWindows;
  private readonly ips: FailureWindows;

  constructor(
    settings: ThrottleSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.users = new FailureWindows(settings.maxFailuresPerUser, settings.windowMs);
    this.ips = new FailureWindows(settings.maxFailuresPerIp, settings.windowMs);
  }

  /**
   * Throws TOO_MANY_ATTEMPTS when this username or address may not try now; otherwise counts the
   * attempt as a failure at once — before the password is checked — so that concurrent attempts
   * cannot all pass the check while the first ones are still hashing. A success takes it back.
   */
  attempt(username: string, ip: string): void {
    const now = this.clock();
    const wait = Math.max(this.users.blockedFor(userKey(username), now), this.ips.blockedFor(ip, now));
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      throw new AppError('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    this.users.fail(userKey(username), now);
    this.ips.fail(ip, now);
  }

  /** The password was right: the username's failures are cleared and the address's attempt given back. */
  succeeded(username: string, ip: string): void {
    this.users.reset(userKey(username));
    this.ips.forgive(ip);
  }
}

// Case and surrounding blanks do not make a new username to guess against.
export const userKey = (username: string) => username.trim().toLowerCase();
