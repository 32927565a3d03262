import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FailureWindows } from '../auth/login-throttle';
import { sqlPort, type SqlPort } from '../common/sql-port';
import { AppConfig } from '../config/app-config';

/**
 * Identity checks per subscriber, across calls (issue 17 item 6): a flow locks verification after 3
 * failures in one call, but a caller could ring again and again — or several agents' calls could
 * guess in parallel. Every check of a subscriber (an operation whose effect is `check`: IVR password,
 * ID digits, network-entry month) is counted as a failure before it is sent and given back when it
 * passes (or the back end could not answer); past VERIFY_MAX_FAILURES_PER_SUBSCRIBER failures in
 * VERIFY_LOCK_SECONDS the check is not sent at all and the call gets a failed result marked `locked`
 * (logged like any reply, so replay is unchanged). In memory on SQLite; on PostgreSQL in the
 * `login_failures` windows table (scope `verify`), counted alike by every node.
 */
@Injectable()
export class VerificationLocks {
  private readonly memory: FailureWindows;
  private readonly sql?: SqlPort;

  constructor(
    private readonly config: AppConfig,
    dataSource: DataSource,
  ) {
    this.memory = new FailureWindows(config.VERIFY_MAX_FAILURES_PER_SUBSCRIBER, config.VERIFY_LOCK_SECONDS * 1000);
    if (config.usesPostgres) this.sql = sqlPort(dataSource);
  }

  /** Counts a check of this subscriber; false (nothing counted) when their checks are locked. */
  async attempt(subscriber: string, now = Date.now()): Promise<boolean> {
    if (!this.sql) {
      if (this.memory.blockedFor(subscriber, now) > 0) return false;
      this.memory.fail(subscriber, now);
      return true;
    }
    const [row] = await this.sql.all<{ failures: number }>(COUNT, [subscriber, now + this.config.VERIFY_LOCK_SECONDS * 1000, now, now]);
    if (row.failures <= this.config.VERIFY_MAX_FAILURES_PER_SUBSCRIBER) return true;
    await this.sql.all(GIVE_BACK, [subscriber]);
    return false;
  }

  /** The check passed: the subscriber's count starts again. */
  async passed(subscriber: string): Promise<void> {
    if (!this.sql) return this.memory.reset(subscriber);
    await this.sql.all(`DELETE FROM login_failures WHERE scope = 'verify' AND key = ?`, [subscriber]);
  }

  /** The back end gave no verdict (an error): the attempt is taken back. */
  async noVerdict(subscriber: string): Promise<void> {
    if (!this.sql) return this.memory.forgive(subscriber);
    await this.sql.all(GIVE_BACK, [subscriber]);
  }
}

const COUNT = `INSERT INTO login_failures (scope, key, failures, resets_at) VALUES ('verify', ?, 1, ?)
  ON CONFLICT (scope, key) DO UPDATE SET
    failures = CASE WHEN login_failures.resets_at > ? THEN login_failures.failures + 1 ELSE 1 END,
    resets_at = CASE WHEN login_failures.resets_at > ? THEN login_failures.resets_at ELSE excluded.resets_at END
  RETURNING failures`;
const GIVE_BACK = `UPDATE login_failures SET failures = failures - 1 WHERE scope = 'verify' AND key = ? AND failures > 0`;
