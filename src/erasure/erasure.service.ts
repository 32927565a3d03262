import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Erasure, ErasureRecord } from '../../protocol/customers';
import type { AuthUser } from '../auth/auth-user';
import { sqlGet, sqlPort, type SqlPort } from '../common/sql-port';
import { sqliteHandle } from '../common/sqlite-handle';
import { storedSecret } from '../common/stored-secret';
import { AppConfig } from '../config/app-config';
import { numberPseudonym, NUMBER_KEY_PLACE } from '../metrics/number-pseudonym';
import { type CallToShred, dropProcessedTraces, SHRED_BATCH, shredCalls } from './shred-calls';

/** The most erasures one listing answers, newest first. */
const LIST_LIMIT = 500;

/**
 * Retention and erasure of personal data (issue 17 item 8, docs/RELIABILITY.md "Retention and
 * erasure"), by crypto-shredding: a call's payload key is destroyed, so its logged steps (profile,
 * typed inputs, back-end replies) can no longer be read, while its events and their hash chain —
 * computed over the ciphertext — stay and still verify. Metrics keep what they had (pseudonymised).
 */
@Injectable()
export class Erasures {
  private readonly logger = new Logger(Erasures.name);
  private readonly sql: SqlPort;
  private numberKey?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.sql = sqlPort(dataSource);
    // SQLite: a destroyed key's bytes are overwritten with zeros in the file, not left in a free cell
    // (this connection makes the erasures; the WAL keeps the old page until a checkpoint moves past it).
    if (!config.usesPostgres) sqliteHandle(dataSource).pragma('secure_delete = ON');
  }

  /** The key of the callers' pseudonyms: the metrics tables' (the same number, the same pseudonym). */
  private pseudonymOf(): Promise<(msisdn: string) => string> {
    this.numberKey ??= storedSecret(NUMBER_KEY_PLACE, this.config, this.dataSource);
    return this.numberKey.then((key) => (msisdn: string) => numberPseudonym(key, msisdn));
  }

  /**
   * Erases a subscriber's ended calls (those under the number, and under its pseudonym should
   * retention have replaced it already), in bounded transactions, then records who asked, when,
   * the pseudonym and how many calls. Calls in progress are left alone and counted.
   */
  async eraseSubscriber(user: AuthUser, msisdn: string, now = new Date()): Promise<Erasure> {
    const pseudonymOf = await this.pseudonymOf();
    const pseudonym = pseudonymOf(msisdn);
    const at = now.toISOString();
    const calls = await this.sql.all<CallToShred & { status: string }>(
      `SELECT id, caller_number AS "callerNumber", status FROM calls WHERE caller_number IN (?, ?) ORDER BY started_at, id`,
      [msisdn, pseudonym],
    );
    const ended = calls.filter((c) => c.status !== 'active');
    let erased = 0;
    for (let i = 0; i < ended.length; i += SHRED_BATCH) {
      erased += await this.sql.transaction(() => shredCalls(ended.slice(i, i + SHRED_BATCH), at, pseudonymOf));
    }
    const activeCalls = calls.length - ended.length;
    const row = await this.sql.transaction(() =>
      sqlGet<ErasureRow>(`INSERT INTO erasures (at, user_id, username, pseudonym, calls) VALUES (?, ?, ?, ?, ?) RETURNING ${ERASURE_COLUMNS}`, [
        at,
        user.sub,
        user.username,
        pseudonym,
        erased,
      ]),
    );
    this.logger.log(`erasure by ${user.username}: ${erased} call(s) of ${pseudonym} (${activeCalls} in progress left alone)`);
    return { ...toErasure(row!), activeCalls };
  }

  /** Newest first (at most LIST_LIMIT). */
  async list(): Promise<ErasureRecord[]> {
    const rows = await this.sql.all<ErasureRow>(`SELECT ${ERASURE_COLUMNS} FROM erasures ORDER BY id DESC LIMIT ${LIST_LIMIT}`);
    return rows.map(toErasure);
  }

  /**
   * One retention run: calls that ended before now − RETENTION_DAYS and are not erased yet are
   * shredded, `batch` at a time, at most `batches` transactions (the rest wait for the next run);
   * then the traces that processed outbox rows still hold (rows an older version processed) are
   * dropped, in the same bounded slices. Returns how many calls were erased.
   */
  async sweep(now = new Date(), batch = SHRED_BATCH, batches = 50): Promise<number> {
    let erased = 0;
    if (this.config.RETENTION_DAYS > 0) {
      const pseudonymOf = await this.pseudonymOf();
      const before = new Date(now.getTime() - this.config.RETENTION_DAYS * 86_400_000).toISOString();
      const at = now.toISOString();
      for (let i = 0; i < batches; i++) {
        const due = await this.sql.all<CallToShred>(
          // From the index of ended calls not erased (idx_calls_retained): never a step over the calls erased already.
          `SELECT id, caller_number AS "callerNumber" FROM calls
           WHERE ended_at IS NOT NULL AND erased_at IS NULL AND ended_at < ? AND status <> 'active' ORDER BY ended_at LIMIT ${Math.floor(batch)}`,
          [before],
        );
        if (!due.length) break;
        erased += await this.sql.transaction(() => shredCalls(due, at, pseudonymOf));
        // Between batches the event loop (and the log's writer, waiting for the file) goes first.
        await new Promise((r) => setImmediate(r));
      }
      if (erased) this.logger.log(`retention: ${erased} call(s) ended before ${before} erased`);
    }
    for (let i = 0; i < batches; i++) {
      if ((await this.sql.transaction(() => dropProcessedTraces(batch))) < batch) break;
      await new Promise((r) => setImmediate(r));
    }
    return erased;
  }
}

type ErasureRow = { id: number | string; at: string; username: string; pseudonym: string; calls: number | string };
const ERASURE_COLUMNS = `id, at, username, pseudonym, calls`;
const toErasure = (r: ErasureRow): ErasureRecord => ({ id: Number(r.id), at: r.at, username: r.username, pseudonym: r.pseudonym, calls: Number(r.calls) });
