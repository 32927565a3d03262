import type { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { sqlPort, type SqlPort } from '../common/sql-port';
import { type ThrottleSettings, userKey } from './login-throttle';

/** What AuthService asks of login throttling: in memory (SQLite) or in the database (PostgreSQL). */
export interface LoginThrottling {
  check(username: string, ip: string): void | Promise<void>;
  failed(username: string, ip: string): void | Promise<void>;
  succeeded(username: string): void | Promise<void>;
}

/** One failure: a new window, or one more failure in the open one — atomic per row, whoever counts. */
const FAIL = `INSERT INTO login_failures (scope, key, failures, resets_at) VALUES (?, ?, 1, ?)
  ON CONFLICT (scope, key) DO UPDATE SET
    failures = CASE WHEN login_failures.resets_at > ? THEN login_failures.failures + 1 ELSE 1 END,
    resets_at = CASE WHEN login_failures.resets_at > ? THEN login_failures.resets_at ELSE excluded.resets_at END`;

/**
 * LoginThrottle's rules (only failures count, per username and per client address, a fixed window
 * from the first failure, a success clears the username) with the windows in `login_failures`, so
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

  async check(username: string, ip: string): Promise<void> {
    const now = this.clock();
    const rows = await this.sql.all<{ scope: string; failures: number; resets_at: number }>(
      `SELECT scope, failures, resets_at FROM login_failures WHERE ((scope = 'user' AND key = ?) OR (scope = 'ip' AND key = ?)) AND resets_at > ?`,
      [userKey(username), ip, now],
    );
    let wait = 0;
    for (const r of rows) {
      const limit = r.scope === 'user' ? this.settings.maxFailuresPerUser : this.settings.maxFailuresPerIp;
      if (r.failures >= limit) wait = Math.max(wait, Number(r.resets_at) - now);
    }
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      throw new AppError('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }

  async failed(username: string, ip: string): Promise<void> {
    const now = this.clock();
    const resetsAt = now + this.settings.windowMs;
    await this.sql.all(FAIL, ['user', userKey(username), resetsAt, now, now]);
    await this.sql.all(FAIL, ['ip', ip, resetsAt, now, now]);
    if (now - this.prunedAt >= this.settings.windowMs) {
      this.prunedAt = now;
      await this.sql.all('DELETE FROM login_failures WHERE resets_at <= ?', [now]);
    }
  }

  async succeeded(username: string): Promise<void> {
    await this.sql.all(`DELETE FROM login_failures WHERE scope = 'user' AND key = ?`, [userKey(username)]);
  }
}
