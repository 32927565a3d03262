import { Injectable, Logger, Optional } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { sqliteHandle } from '../common/sqlite-handle';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { CallEntity } from './call.entity';
import { CallLog, CallRecord, DecisionLog, LoggedEvent, StoredEvent } from './decision-log';
import { GENESIS, hashEvent } from './hash-chain';
import { readActiveCallLogs, readEvents } from './log-rows';

interface PendingAppend {
  event: LoggedEvent;
  call: CallRecord;
  resolve: () => void;
  reject: (error: Error) => void;
  /** performance.now() when queued: the append latency metric. */
  queuedAt: number;
}

const MAX_BATCH = 256;
/** How soon a flush waiting for another transaction on the shared connection looks again. */
const FOREIGN_TRANSACTION_RETRY_MS = 1;

/**
 * SQLite result codes (extended codes start with these) that say the storage refuses writes —
 * disk full, read-only file or file system, I/O error, file gone — rather than that one row is bad.
 */
const STORAGE_FAILURE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB|NOMEM|BUSY|LOCKED|PROTOCOL)/;

/** The typed refusal for a write the storage could not take (LOG_UNAVAILABLE, 503), or null for any other error. */
export function logUnavailable(error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !STORAGE_FAILURE.test(code)) return null;
  const why = code.startsWith('SQLITE_FULL') ? 'the disk is full' : code.startsWith('SQLITE_READONLY') ? 'the storage is read-only' : 'the storage failed';
  return new AppError(
    'LOG_UNAVAILABLE',
    `The decision log cannot be written (${why}): nothing was recorded and the call has not moved on. Try again shortly.`,
    { reason: code },
  );
}

/**
 * Group commit on SQLite: appends that arrive while the event loop is busy are committed together
 * in one transaction (one fsync), then each caller is released. An idle log commits on the next
 * turn of the event loop — no fixed wait.
 *
 * Hash chain: each event is linked to its call's previous one as it is written. The last hash of
 * every active call is kept in memory (read from the table on a miss, e.g. after a restart) and
 * advanced only once the commit holding the event succeeded. Appends of one call are serialized
 * by the engine; should one batch hold two events of a call anyway, they are linked in order.
 *
 * When the storage refuses writes (disk full, read-only), the whole batch is rejected with
 * LOG_UNAVAILABLE: SQLite rolled the transaction back, so no event of it exists, no head moved, and
 * no caller moves its call on. The next append simply tries again — the log recovers by itself
 * once space returns.
 */
@Injectable()
export class SqliteDecisionLog extends DecisionLog {
  private readonly logger = new Logger(SqliteDecisionLog.name);
  private pending: PendingAppend[] = [];
  private scheduled = false;
  private db?: Database;
  private insertEvent?: Statement;
  private upsertCall?: Statement;
  private advanceCall?: Statement;
  private lastHashOf?: Statement;
  private commitBatch?: (batch: PendingAppend[], heads: Map<string, string>) => void;
  /** The hash of the last committed event of each active call. */
  private readonly heads = new Map<string, string>();
  batchesCommitted = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {
    super();
  }

  append(event: LoggedEvent, call: CallRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, call, resolve, reject, queuedAt: performance.now() });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async findCall(callId: string): Promise<CallRecord | null> {
    return this.dataSource.getRepository(CallEntity).findOneBy({ id: callId });
  }

  async events(callId: string): Promise<StoredEvent[]> {
    return readEvents(this.dataSource, callId);
  }

  async activeCallLogs(): Promise<CallLog[]> {
    return readActiveCallLogs(this.dataSource);
  }

  private flush(): void {
    this.scheduled = false;
    this.prepare();
    // TypeORM keeps its transactions open across awaits on the same connection: a commit now would
    // only be a savepoint inside one — not durable until it commits, and gone if it rolls back.
    if (this.db!.inTransaction) {
      this.scheduled = true;
      setTimeout(() => this.flush(), FOREIGN_TRANSACTION_RETRY_MS);
      return;
    }
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        this.commit(batch);
        this.observe(batch);
        batch.forEach((p) => p.resolve());
      } catch (batchError) {
        const unavailable = logUnavailable(batchError);
        if (unavailable) {
          this.logger.error(
            `${batch.length} append(s) refused, the storage is unavailable: ${(batchError as { code?: string }).code} ${(batchError as Error).message}`,
          );
          batch.forEach((p) => p.reject(unavailable));
          continue;
        }
        // One bad row must not fail its neighbours: retry each alone to isolate it.
        for (const p of batch) {
          try {
            this.commit([p]);
            this.observe([p]);
            p.resolve();
          } catch (e) {
            this.logger.error(`append failed for call ${p.event.callId} seq ${p.event.seq}: ${(e as Error).message}`);
            p.reject(logUnavailable(e) ?? (e as Error));
          }
        }
      }
    }
  }

  private observe(batch: PendingAppend[]): void {
    if (!this.metrics) return;
    const now = performance.now();
    this.metrics.logCommitted(batch.length);
    for (const p of batch) this.metrics.logAppended((now - p.queuedAt) / 1000);
  }

  private commit(batch: PendingAppend[]): void {
    this.prepare();
    const heads = new Map<string, string>();
    this.commitBatch!(batch, heads);
    // Committed: only now do the calls' chains move on (an ended call's head is dropped; a miss reads the table).
    for (const { event, call } of batch) {
      if (call.status === 'active') this.heads.set(event.callId, heads.get(event.callId)!);
      else this.heads.delete(event.callId);
    }
    this.batchesCommitted++;
  }

  /** The hash the next event of the call links to: this batch's last, else the committed head. */
  private headOf(callId: string, heads: Map<string, string>): string {
    const head = heads.get(callId) ?? this.heads.get(callId);
    if (head !== undefined) return head;
    const row = this.lastHashOf!.get(callId) as { hash: string } | undefined;
    return row?.hash ?? GENESIS;
  }

  private prepare(): void {
    if (this.commitBatch) return;
    this.db = sqliteHandle(this.dataSource);
    this.insertEvent = this.db.prepare(`INSERT INTO call_events
      (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at, prev_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.lastHashOf = this.db.prepare(`SELECT hash FROM call_events WHERE call_id = ? ORDER BY seq DESC LIMIT 1`);
    this.upsertCall = this.db.prepare(`INSERT INTO calls
      (id, flow_id, flow_version, agent_id, caller_number, status, outcome, outcome_detail, state, current_flow_id, current_flow_version, seq, started_at, updated_at, ended_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome,
        outcome_detail = excluded.outcome_detail, state = excluded.state, current_flow_id = excluded.current_flow_id,
        current_flow_version = excluded.current_flow_version, seq = excluded.seq,
        updated_at = excluded.updated_at, ended_at = excluded.ended_at`);
    // While a call goes on only these change; an UPDATE that names status would rewrite the row's
    // idx_calls_status entry too (one more page per event in the commit).
    this.advanceCall = this.db.prepare(`UPDATE calls SET state = ?, current_flow_id = ?, current_flow_version = ?, seq = ?, updated_at = ? WHERE id = ?`);
    this.commitBatch = this.db.transaction((batch: PendingAppend[], heads: Map<string, string>) => {
      for (const { event, call } of batch) {
        const prevHash = this.headOf(event.callId, heads);
        const hash = hashEvent(prevHash, event);
        this.writeCall(event, call);
        this.insertEvent!.run(
          event.callId,
          event.seq,
          event.type,
          JSON.stringify(event.payload),
          event.agentId,
          event.flowId,
          event.flowVersion,
          event.stateBefore,
          event.flowIdAfter,
          event.flowVersionAfter,
          event.stateAfter,
          event.at,
          prevHash,
          hash,
        );
        heads.set(event.callId, hash);
      }
    });
  }

  /** The call's summary row: inserted with its first event, updated in full when it ends, and only what moves in between. */
  private writeCall(event: LoggedEvent, call: CallRecord): void {
    if (event.seq > 1 && call.status === 'active') {
      // The foreign key of call_events refuses the event should the row be missing.
      this.advanceCall!.run(call.state, call.currentFlowId, call.currentFlowVersion, call.seq, call.updatedAt, call.id);
      return;
    }
    this.upsertCall!.run(
      call.id,
      call.flowId,
      call.flowVersion,
      call.agentId,
      call.callerNumber,
      call.status,
      call.outcome,
      call.outcomeDetail ? JSON.stringify(call.outcomeDetail) : null,
      call.state,
      call.currentFlowId,
      call.currentFlowVersion,
      call.seq,
      call.startedAt,
      call.updatedAt,
      call.endedAt,
    );
  }
}
