import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DecisionLog } from '../decision-log/decision-log';
import { PgDecisionLog } from '../decision-log/pg-decision-log';
import { LeaseFence } from './lease-fence';
import * as sql from './lease-sql';
import { checkOut } from '../common/pg-checkout';
import { inTurns } from '../common/in-turns';

/** What the engine does when calls come to this node or leave it. */
export interface LeaseHolder {
  /** Calls this node now holds (taken over from a lost node): rebuild them from the log and drive them. */
  adopt(callIds: string[]): Promise<void>;
  /** Calls this node no longer holds: stop driving them at once, tell whoever watches them. */
  drop(callIds: string[]): void;
}

/** Scans between two clean-ups of long-lost incarnations. */
const FORGET_EVERY = 600;

/**
 * Several laihua nodes on one PostgreSQL database (docs/SCALE-OUT.md): each live call has exactly one
 * node driving it — its lease (owner incarnation and fencing token, in the call's row). This node's
 * own lease (its `cluster_nodes` row) is renewed every CLUSTER_HEARTBEAT_MS; a node silent for
 * CLUSTER_LEASE_MS is declared lost by the next node to look, which takes its calls over in the same
 * transaction. Every log batch checks the tokens of its calls (LeaseFence), so a node that lost a call —
 * paused, cut off, or a call moved to another node by its agent — never writes to it again.
 * SQLite (one process per file): `clustered` is false and nothing here runs.
 */
@Injectable()
export class CallLeases implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallLeases.name);
  readonly clustered: boolean;
  private me: string | null = null;
  /** Call id → the lease token this node holds for it. */
  private readonly held = new Map<string, string>();
  private holder?: LeaseHolder;
  private timer?: NodeJS.Timeout;
  private scanning: Promise<void> | null = null;
  private readonly claims = inTurns((ids: readonly string[]) => this.claimAll(ids));
  private readonly moved = inTurns((ids: readonly string[]) => this.movedAwayAll(ids));
  private scans = 0;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
  ) {
    this.clustered = config.usesPostgres;
  }

  async onModuleInit(): Promise<void> {
    if (!this.clustered) return;
    await this.register();
    if (this.log instanceof PgDecisionLog) this.log.fence = new LeaseFence(this);
  }

  onApplicationBootstrap(): void {
    if (!this.clustered) return;
    this.timer = setInterval(() => void this.scan(), this.config.CLUSTER_HEARTBEAT_MS);
    this.timer.unref();
  }

  /** A graceful stop hands the calls over at once: the lease ends now rather than in CLUSTER_LEASE_MS. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.scanning;
    if (this.me && this.dataSource.isInitialized) {
      await this.pool.query(`UPDATE cluster_nodes SET expires_at = now() WHERE incarnation = $1`, [this.me]).catch(() => undefined);
    }
  }

  bind(holder: LeaseHolder): void {
    this.holder = holder;
  }

  get nodeId(): string {
    return this.config.NODE_ID;
  }

  /** This process's incarnation (its first lease token); null on SQLite. */
  get incarnation(): string | null {
    return this.me;
  }

  tokenOf(callId: string): string | undefined {
    return this.held.get(callId);
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Lost nodes are declared so and every call no live node holds becomes this node's: their ids. */
  async adoptOrphans(): Promise<string[]> {
    const client = await checkOut(this.pool);
    try {
      await client.query('BEGIN');
      const lost = await client.query<{ node_id: string; incarnation: string }>(sql.DECLARE_LOST, [this.me]);
      const adopted = await client.query<{ id: string; token: string }>(sql.ADOPT_ORPHANS, [this.config.NODE_ID, this.me]);
      await client.query('COMMIT');
      for (const row of adopted.rows) this.held.set(row.id, row.token);
      if (lost.rowCount) this.logger.warn(`node(s) lost: ${lost.rows.map((r) => `${r.node_id}#${r.incarnation}`).join(', ')}`);
      if (adopted.rowCount) this.logger.warn(`took over ${adopted.rowCount} live call(s)`);
      if (this.log instanceof PgDecisionLog) for (const row of adopted.rows) this.log.forget(row.id);
      return adopted.rows.map((r) => r.id);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Moves a live call to this node (its agent is here now). False: the call has ended meanwhile. The
   * claims of one turn of the event loop are one statement (see `inTurns`): a lost node's agents come
   * back all at once.
   */
  claim(callId: string): Promise<boolean> {
    return this.claims.load(callId);
  }

  private async claimAll(callIds: readonly string[]): Promise<boolean[]> {
    const { rows } = await this.pool.query<{ id: string; token: string }>(sql.CLAIM, [this.config.NODE_ID, this.me, [...new Set(callIds)]]);
    for (const { id, token } of rows) {
      this.held.set(id, token);
      if (this.log instanceof PgDecisionLog) this.log.forget(id);
    }
    const claimed = new Set(rows.map((r) => r.id));
    return callIds.map((id) => claimed.has(id));
  }

  /**
   * Whether a call held here has since moved to another node (claimed by its agent there, or taken
   * over) without this node knowing yet: the heartbeat's scan tells it every CLUSTER_HEARTBEAT_MS, an
   * attach asks now, so that it never shows a copy behind what the agent saw elsewhere. A call found
   * moved is dropped here at once, as the scan would. The attaches of one turn share one query.
   */
  movedAway(callId: string): Promise<boolean> {
    return this.moved.load(callId);
  }

  private async movedAwayAll(callIds: readonly string[]): Promise<boolean[]> {
    const entries = [...new Set(callIds)].flatMap((id): [string, string][] => {
      const token = this.held.get(id);
      return token === undefined ? [] : [[id, token]];
    });
    const moved = new Set(entries.length ? await this.dropMoved(entries) : []);
    return callIds.map((id) => moved.has(id));
  }

  /** The call has ended (or left): nothing more to hold. */
  release(callId: string): void {
    this.held.delete(callId);
  }

  /** LeaseFence: of a batch's locked call rows, those whose token is not the one this node holds. */
  refusedOf(rows: [string, string | null][]): Set<string> {
    return new Set(rows.filter(([id, token]) => token !== this.held.get(id)).map(([id]) => id));
  }

  /** LeaseFence: calls that began in a committed batch are held with this incarnation as token. */
  began(callIds: string[]): void {
    for (const id of callIds) this.held.set(id, this.me!);
  }

  /** LeaseFence: the batch found this incarnation lost; look now rather than at the next heartbeat. */
  lostNoticed(): void {
    if (!this.stopped) setImmediate(() => void this.scan());
  }

  /** Heartbeat, takeover of lost nodes' calls, and calls moved away — one at a time. */
  scan(): Promise<void> {
    if (this.scanning || this.stopped) return this.scanning ?? Promise.resolve();
    this.scanning = this.scanOnce()
      .catch((e: Error) => this.logger.warn(`lease scan failed: ${e.message}`))
      .finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const renewed = await this.pool.query(sql.HEARTBEAT, [this.me, this.config.CLUSTER_LEASE_MS]);
    if (!renewed.rowCount) await this.lost();
    const adopted = await this.adoptOrphans();
    if (adopted.length) await this.holder?.adopt(adopted);
    await this.dropMovedAway();
    if (++this.scans % FORGET_EVERY === 0) await this.pool.query(sql.FORGET_LOST);
  }

  /** This incarnation was declared lost: every call it held is another node's now. It starts again as a new one. */
  private async lost(): Promise<void> {
    const calls = [...this.held.keys()];
    this.logger.error(`this node (${this.config.NODE_ID}#${this.me}) was declared lost: ${calls.length} live call(s) dropped`);
    this.held.clear();
    this.holder?.drop(calls);
    await this.register();
  }

  private async dropMovedAway(): Promise<void> {
    if (this.held.size) await this.dropMoved([...this.held.entries()]);
  }

  /**
   * Of these held calls (id, token), the ones whose lease is another's now are dropped here. A call
   * claimed again by this node while the query ran (a new token) is kept.
   */
  private async dropMoved(entries: [string, string][]): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(sql.MOVED_AWAY, [entries.map(([id]) => id), entries.map(([, token]) => token)]);
    const asked = new Map(entries);
    const moved = rows.map((r) => r.id).filter((id) => this.held.get(id) === asked.get(id));
    if (!moved.length) return moved;
    moved.forEach((id) => this.held.delete(id));
    this.holder?.drop(moved);
    return moved;
  }

  private async register(): Promise<void> {
    const { rows } = await this.pool.query<{ incarnation: string }>(sql.REGISTER, [this.config.NODE_ID, this.config.CLUSTER_LEASE_MS]);
    this.me = rows[0].incarnation;
    await this.pool.query(sql.EXPIRE_EARLIER, [this.config.NODE_ID, this.me]);
    this.logger.log(`node ${this.config.NODE_ID} registered as incarnation ${this.me}`);
  }

  /** LeaseFence runs its statements on the log's own transaction. */
  fenceQuery(client: PoolClient, callIds: string[]) {
    return client.query<{ alive: number; calls: [string, string | null][] }>(sql.FENCE, [this.me, callIds]);
  }

  ownQuery(client: PoolClient, callIds: string[]) {
    return client.query(sql.OWN_NEW, [this.config.NODE_ID, this.me, callIds]);
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
