import type { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { sqlPort, type SqlPort } from '../common/sql-port';
import { type ThrottleSettings, userKey } from './login-throttle';

/** What AuthService asks of login throttling: in memory (SQLite) or in the database (PostgreSQL). */
export interface LoginThrottling {
  /** TOO_MANY_ATTEMPTS when blocked; otherwise the attempt is counted as a failure before the password is checked. */
  attempt(username: string, ip: string): void | Promise<void>;
  /** The password was right: the attempt is taken back (the username's count cleared). */
  succeeded(username: string, ip: string): void | Promise<void>;
}

/** One failure: a new window, or one more failure in the open one — atomic per row, whoever counts. */
const FAIL = `INSERT INTO login_failures (scope, key, failures, resets_at) VALUES (?, ?, 1, ?)
  ON CONFLICT (scope, key) DO UPDATE SET
    failures = CASE WHEN login_failures.resets_at > ? THEN login_failures.failures + 1 ELSE 1 END,
    resets_at = CASE WHEN login_failures.resets_at > ? THEN login_failures.resets_at ELSE excluded.resets_at END
  RETURNING failures, resets_at`;

const GIVE_BACK = `UPDATE login_failures SET failures = failures - 1 WHERE scope = ? AND key = ? AND failures > 0`;

/**
 * LoginThrottle's rules (only failures count, per username and per client address, a fixed window
 * from the first failure, each attempt counted before its password is checked and a success taking
 * it back and clearing the username) with the windows in `login_failures`, so
 * every process on the database counts the same failures. Expired windows are deleted at most once
 * per window length.
 */
export class PgLoginThrottle implements LoginThrottling {
  private readonly sql: SqlPort;
  private prunedAt = 0;

  constructor(
    dataSource: DataSource,
    private readonly settings: ThrottleSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.sql = sqlPort(dataSource);
  }

  /**
   * Counted first, atomically per row (an upsert that returns the new count), then judged: the
   * attempt that makes a count exceed its limit — and every one after it in the window — is refused
   * without its password being checked, on whichever node it arrives.
   */
  async attempt(username: string, ip: string): Promise<void> {
    const now = this.clock();
    const resetsAt = now + this.settings.windowMs;
    const [user] = await this.sql.all<{ failures: number; resets_at: number }>(FAIL, ['user', userKey(username), resetsAt, now, now]);
    const [address] = await this.sql.all<{ failures: number; resets_at: number }>(FAIL, ['ip', ip, resetsAt, now, now]);
    if (now - this.prunedAt >= this.settings.windowMs) {
      this.prunedAt = now;
      await this.sql.all('DELETE FROM login_failures WHERE resets_at <= ?', [now]);
    }
    let wait = 0;
    if (user.failures > this.settings.maxFailuresPerUser) wait = Number(user.resets_at) - now;
    if (address.failures > this.settings.maxFailuresPerIp) wait = Math.max(wait, Number(address.resets_at) - now);
    if (wait > 0) {
      // A refused attempt checks no password: it is taken back, so that waiting out a lock does not prolong it.
      // One row per statement, user before address (as counted): two rows in one UPDATE could deadlock with another's.
      await this.sql.all(GIVE_BACK, ['user', userKey(username)]);
      await this.sql.all(GIVE_BACK, ['ip', ip]);
      const retryAfterSeconds = Math.ceil(wait / 1000);
      throw new AppError('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }

  async succeeded(username: string, ip: string): Promise<void> {
    await this.sql.all(`DELETE FROM login_failures WHERE scope = 'user' AND key = ?`, [userKey(username)]);
    await this.sql.all(GIVE_BACK, ['ip', ip]);
  }
}
