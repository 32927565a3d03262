import { Injectable, Logger, Optional } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { CallLog, CallRecord, DecisionLog, LoggedEvent, StoredEvent } from './decision-log';
import { GENESIS, hashSealed } from './hash-chain';
import { sealPayload } from './payload-cipher';
import { batchKeys } from './pg-call-keys';
import { erasedAt, readActiveCallLogs, readCallLogs, readCalls, readEvents } from './log-rows';
import { inTurns } from '../common/in-turns';
import { callColumns, eventColumns } from './pg-log-columns';
import { pgLogUnavailable } from './pg-log-errors';
import { checkOut } from '../common/pg-checkout';

interface PendingAppend {
  event: LoggedEvent;
  call: CallRecord;
  /** The call's end-of-call outbox row (its trace, JSON), with its last event. */
  outbox?: string;
  resolve: () => void;
  reject: (error: Error) => void;
  queuedAt: number;
}

/**
 * Several nodes on one database (src/cluster): the lease check every batch makes in its own
 * transaction, so that a node that lost a call's lease can never write to it again.
 */
export interface LogFence {
  /**
   * Before anything is written: locks the batch's call rows until COMMIT (a takeover waits for a
   * commit in flight) and names the calls whose appends this node may no longer make.
   */
  refused(client: PoolClient, batch: readonly { event: LoggedEvent; call: CallRecord }[]): Promise<ReadonlySet<string>>;
  /** After the rows are written, still in the transaction: the calls that began in this batch are this node's. */
  own(client: PoolClient, callIds: string[]): Promise<void>;
}

/** A batch rolled back because some of its calls are no longer this node's; the rest are committed again. */
class FencedOut extends Error {
  constructor(readonly callIds: ReadonlySet<string>) {
    super(`lease lost for ${callIds.size} call(s)`);
  }
}

const MAX_BATCH = 512;

/** Every call row of the batch in one upsert (its last state wins; a batch never names a row twice). */
const UPSERT_CALLS = `INSERT INTO calls
  (id, flow_id, flow_version, agent_id, caller_number, status, outcome, outcome_detail, state, current_flow_id, current_flow_version, seq, started_at, updated_at, ended_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::int[], $13::text[], $14::text[], $15::text[])
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, outcome_detail = excluded.outcome_detail,
    state = excluded.state, current_flow_id = excluded.current_flow_id, current_flow_version = excluded.current_flow_version,
    seq = excluded.seq, updated_at = excluded.updated_at, ended_at = excluded.ended_at`;
/** Every event of the batch in one insert, in append order (the chain trigger checks each link in turn). */
const INSERT_EVENTS = `INSERT INTO call_events
  (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at, prev_hash, hash)
  SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[])`;
/** The batch's ended calls' outbox rows, in the same transaction as their last events. */
const INSERT_OUTBOXES = `INSERT INTO call_outbox (call_id, trace, created_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (call_id) DO NOTHING`;
const LAST_HASHES = `SELECT DISTINCT ON (call_id) call_id, hash FROM call_events WHERE call_id = ANY($1::text[]) ORDER BY call_id, seq DESC`;

/**
 * The decision log on PostgreSQL, same contract as SqliteDecisionLog: `append` resolves only once
 * the event and the call's summary are committed (synchronous_commit = on, set on the connection),
 * appends are committed in arrival order, and each is chained to its call's previous event.
 *
 * Group commit: while one batch's transaction is in flight, new appends queue; the next batch takes
 * all of them (up to MAX_BATCH) in one transaction of a fixed number of round trips — BEGIN, one
 * multi-row upsert of the calls, one multi-row insert of the events, COMMIT — whatever its size.
 * Batches never overlap, so the order of commits is the order of appends.
 *
 * The database enforces what the code does: triggers refuse UPDATE, DELETE and TRUNCATE on
 * call_events and any insert that is not the next link of its call (migration PostgresChainGuard).
 * With a `fence` (several nodes), each batch first checks its calls' leases in the same transaction:
 * appends to a call this node no longer holds are refused (CALL_MOVED) and nothing of them is written.
 */
@Injectable()
export class PgDecisionLog extends DecisionLog {
  private readonly logger = new Logger(PgDecisionLog.name);
  private pending: PendingAppend[] = [];
  private flushing = false;
  private readonly heads = new Map<string, string>();
  /** The payload key of each active call this node appends to: read once, never per event. */
  private readonly keys = new Map<string, Buffer>();
  /** Set by the cluster module on PostgreSQL with several nodes; none: every append is this node's to make. */
  fence?: LogFence;
  batchesCommitted = 0;
  private readonly calls = inTurns(async (ids: readonly string[]) => {
    const found = await readCalls(this.dataSource, [...new Set(ids)]);
    return ids.map((id) => found.get(id) ?? null);
  });

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {
    super();
  }

  append(event: LoggedEvent, call: CallRecord, endOfCall?: unknown): Promise<void> {
    const outbox = endOfCall === undefined ? undefined : JSON.stringify(endOfCall);
    return new Promise((resolve, reject) => {
      this.pending.push({ event, call, outbox, resolve, reject, queuedAt: performance.now() });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** The lookups of one turn are one read (common/in-turns.ts): a lost node's agents attach again all at once. */
  findCall(callId: string): Promise<CallRecord | null> {
    return this.calls.load(callId);
  }

  async events(callId: string): Promise<StoredEvent[]> {
    return readEvents(this.dataSource, callId);
  }

  async activeCallLogs(): Promise<CallLog[]> {
    return readActiveCallLogs(this.dataSource);
  }

  async callLogs(callIds: readonly string[]): Promise<CallLog[]> {
    return readCallLogs(this.dataSource, callIds);
  }

  async erasedAt(callId: string): Promise<string | null> {
    return erasedAt(this.dataSource, callId);
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, MAX_BATCH);
        try {
          await this.commit(batch);
          this.observe(batch);
          batch.forEach((p) => p.resolve());
        } catch (batchError) {
          if (batchError instanceof FencedOut) {
            this.refuse(batch, batchError.callIds);
            continue;
          }
          const unavailable = pgLogUnavailable(batchError);
          if (unavailable) {
            this.logger.error(`${batch.length} append(s) refused, the database is unavailable: ${(batchError as Error).message}`);
            batch.forEach((p) => p.reject(unavailable));
            continue;
          }
          // One bad row must not fail its neighbours: retry each alone to isolate it.
          for (const p of batch) {
            try {
              await this.commit([p]);
              this.observe([p]);
              p.resolve();
            } catch (e) {
              if (e instanceof FencedOut) {
                this.refuse([p], e.callIds);
                continue;
              }
              this.logger.error(`append failed for call ${p.event.callId} seq ${p.event.seq}: ${(e as Error).message}`);
              p.reject(pgLogUnavailable(e) ?? (e as Error));
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The fenced calls' appends are refused; the others go back to the head of the queue, in order. */
  private refuse(batch: PendingAppend[], callIds: ReadonlySet<string>): void {
    const kept: PendingAppend[] = [];
    for (const p of batch) {
      if (!callIds.has(p.event.callId)) kept.push(p);
      else p.reject(new AppError('CALL_MOVED', `Call ${p.event.callId} is now driven by another node; attach again`, { callId: p.event.callId }));
    }
    callIds.forEach((id) => this.forget(id));
    this.pending.unshift(...kept);
  }

  /** The call's chain head is no longer known here (its lease moved to another node, which appends to it). */
  forget(callId: string): void {
    this.heads.delete(callId);
    this.keys.delete(callId);
  }

  private observe(batch: PendingAppend[]): void {
    if (!this.metrics) return;
    const now = performance.now();
    this.metrics.logCommitted(batch.length);
    for (const p of batch) this.metrics.logAppended((now - p.queuedAt) / 1000);
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    const client = await checkOut(this.pool);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      if (this.fence) {
        const refused = await this.fence.refused(client, batch);
        if (refused.size) throw new FencedOut(refused);
      }
      const heads = await this.headsOf(client, batch);
      const keys = await batchKeys(client, this.keys, batch);
      const e = eventColumns(batch.length);
      batch.forEach(({ event }, i) => {
        const prevHash = heads.get(event.callId)!;
        const sealed = sealPayload(keys.get(event.callId)!, event.callId, event.seq, event.payload);
        const hash = hashSealed(prevHash, event, sealed);
        heads.set(event.callId, hash);
        e.callId[i] = event.callId;
        e.seq[i] = event.seq;
        e.type[i] = event.type;
        e.payload[i] = JSON.stringify(sealed);
        e.agentId[i] = event.agentId;
        e.flowId[i] = event.flowId;
        e.flowVersion[i] = event.flowVersion;
        e.stateBefore[i] = event.stateBefore;
        e.flowIdAfter[i] = event.flowIdAfter;
        e.flowVersionAfter[i] = event.flowVersionAfter;
        e.stateAfter[i] = event.stateAfter;
        e.at[i] = event.at;
        e.prevHash[i] = prevHash;
        e.hash[i] = hash;
      });
      await client.query(UPSERT_CALLS, callColumns(batch));
      await client.query(INSERT_EVENTS, Object.values(e));
      const ended = batch.filter((p) => p.outbox !== undefined);
      if (ended.length) {
        await client.query(INSERT_OUTBOXES, [ended.map((p) => p.event.callId), ended.map((p) => p.outbox), ended.map((p) => p.event.at)]);
      }
      const begun = batch.filter((p) => p.event.seq === 1).map((p) => p.event.callId);
      if (this.fence && begun.length) await this.fence.own(client, begun);
      await client.query('COMMIT');
      // Committed: only now do the calls' chains move on (an ended call's head is dropped).
      for (const { event, call } of batch) {
        if (call.status === 'active') {
          this.heads.set(event.callId, heads.get(event.callId)!);
          this.keys.set(event.callId, keys.get(event.callId)!);
        } else this.forget(event.callId);
      }
      this.batchesCommitted++;
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is dropped from the pool, not reused.
      client.release(broken && pgLogUnavailable(broken) ? broken : undefined);
    }
  }

  /** The hash each call of the batch links to first: the committed head, else read (in this transaction) from the table. */
  private async headsOf(client: PoolClient, batch: PendingAppend[]): Promise<Map<string, string>> {
    const heads = new Map<string, string>();
    const missing: string[] = [];
    for (const { event } of batch) {
      if (heads.has(event.callId) || missing.includes(event.callId)) continue;
      const head = this.heads.get(event.callId);
      if (head !== undefined) heads.set(event.callId, head);
      else if (event.seq === 1) heads.set(event.callId, GENESIS);
      else missing.push(event.callId);
    }
    if (missing.length) {
      const { rows } = await client.query<{ call_id: string; hash: string }>(LAST_HASHES, [missing]);
      for (const id of missing) heads.set(id, GENESIS);
      for (const row of rows) heads.set(row.call_id, row.hash);
    }
    return heads;
  }
}
