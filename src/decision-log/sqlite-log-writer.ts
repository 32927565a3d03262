import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { CallRecord, LoggedEvent } from './decision-log';
import { INSERT_OUTBOX } from './call-outbox';
import { GENESIS, hashSealed } from './hash-chain';
import { keyFromText, keyToText, newCallKey, sealPayload } from './payload-cipher';

/**
 * One append as the writer takes it: plain data, so that it can cross to a worker thread. The call's
 * summary rides along only where the writer writes it (summaryRowWritten): every other event of a call
 * leaves the row alone, and cloning ~15 fields it would not read per event was half of each row the
 * main thread posts to the writer thread.
 */
export interface LogRow {
  event: LoggedEvent;
  /** The call's summary, with its first event and with any event that leaves it no longer active; else absent (the call goes on). */
  call?: CallRecord;
  /** With a call's last event: its end-of-call outbox row (the trace, JSON), in the same transaction. */
  outbox?: string;
}

/** How one append of a batch went: committed, or refused with the driver's error code (e.g. SQLITE_FULL). */
export type RowResult = { ok: true } | { ok: false; code?: string; message: string };

/**
 * SQLite result codes (extended codes start with these) that say the storage refuses writes —
 * disk full, read-only file or file system, I/O error, file gone — rather than that one row is bad.
 */
export const STORAGE_FAILURE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB|NOMEM|BUSY|LOCKED|PROTOCOL)/;

/**
 * Writes batches of appends to the log's tables on one SQLite connection, one transaction (one
 * fsync) per batch, linking each event to its call's previous one (prevHash, hash). Knows no Nest
 * and no thread: the decision log runs it on a worker thread with its own connection (the commit
 * and its fsync off the main thread), or in-process where no built worker exists (unit tests).
 *
 * The last hash of every active call is kept (read from the table on a miss, e.g. after a restart)
 * and advanced only once the commit holding the event succeeded. Should one batch hold two events
 * of a call, they are linked in order.
 */
export class SqliteLogWriter {
  private readonly insertEvent: Statement;
  private readonly upsertCall: Statement;
  private readonly lastHashOf: Statement;
  private readonly insertOutbox: Statement;
  private readonly keyOfCall: Statement;
  private readonly insertKey: Statement;
  private readonly commitBatch: Transaction<(batch: LogRow[], heads: Map<string, string>, keys: Map<string, Buffer>) => void>;
  /** The hash of the last committed event of each active call. */
  private readonly heads = new Map<string, string>();
  /** The payload key of each active call (payload-cipher.ts): read once, never per event. */
  private readonly keys = new Map<string, Buffer>();
  batchesCommitted = 0;

  constructor(db: Database) {
    this.insertEvent = db.prepare(`INSERT INTO call_events
      (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at, prev_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.lastHashOf = db.prepare(`SELECT hash FROM call_events WHERE call_id = ? ORDER BY seq DESC LIMIT 1`);
    this.upsertCall = db.prepare(`INSERT INTO calls
      (id, flow_id, flow_version, agent_id, caller_number, status, outcome, outcome_detail, state, current_flow_id, current_flow_version, seq, started_at, updated_at, ended_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome,
        outcome_detail = excluded.outcome_detail, state = excluded.state, current_flow_id = excluded.current_flow_id,
        current_flow_version = excluded.current_flow_version, seq = excluded.seq,
        updated_at = excluded.updated_at, ended_at = excluded.ended_at`);
    this.insertOutbox = db.prepare(INSERT_OUTBOX);
    this.keyOfCall = db.prepare(`SELECT key FROM call_keys WHERE call_id = ?`);
    this.insertKey = db.prepare(`INSERT INTO call_keys (call_id, key, created_at) VALUES (?, ?, ?)`);
    this.commitBatch = db.transaction((batch: LogRow[], heads: Map<string, string>, keys: Map<string, Buffer>) => {
      for (const { event, call, outbox } of batch) {
        const key = this.keyOf(event, keys);
        heads.set(event.callId, this.writeRow(event, call, this.headOf(event.callId, heads), key));
        if (outbox !== undefined) this.insertOutbox.run(event.callId, outbox, event.at);
      }
    });
  }

  /**
   * Commits the batch in one transaction. Should the storage refuse it (disk full, read-only), every
   * row is refused with that code and nothing of it exists; should one row be bad, the others are
   * committed one by one so that it fails alone.
   */
  write(batch: LogRow[]): RowResult[] {
    try {
      this.commit(batch);
      return batch.map(() => ({ ok: true }));
    } catch (batchError) {
      const refused = failure(batchError);
      if (refused.code && STORAGE_FAILURE.test(refused.code)) return batch.map(() => refused);
      return batch.map((row) => {
        try {
          this.commit([row]);
          return { ok: true };
        } catch (e) {
          return failure(e);
        }
      });
    }
  }

  private commit(batch: LogRow[]): void {
    const heads = new Map<string, string>();
    const keys = new Map<string, Buffer>();
    // IMMEDIATE: the batch may read a chain head before it writes, and other connections (the main
    // thread's, the end-of-call work's) commit meanwhile — a deferred reader could not then write.
    this.commitBatch.immediate(batch, heads, keys);
    // Committed: only now do the calls' chains move on (an ended call's head is dropped; a miss reads the table).
    for (const { event, call } of batch) {
      if (!call || call.status === 'active') {
        this.heads.set(event.callId, heads.get(event.callId)!);
        this.keys.set(event.callId, keys.get(event.callId)!);
      } else {
        this.heads.delete(event.callId);
        this.keys.delete(event.callId);
      }
    }
    this.batchesCommitted++;
  }

  /** The hash the next event of the call links to: this batch's last, else the committed head. */
  private headOf(callId: string, heads: Map<string, string>): string {
    const head = heads.get(callId) ?? this.heads.get(callId);
    if (head !== undefined) return head;
    const row = this.lastHashOf.get(callId) as { hash: string } | undefined;
    return row?.hash ?? GENESIS;
  }

  /**
   * The call's payload key: this batch's, the cached one, else read from `call_keys`; a call's first
   * event (or the first since an upgrade, for a call begun in clear) creates it in this transaction.
   */
  private keyOf(event: LoggedEvent, keys: Map<string, Buffer>): Buffer {
    let key = keys.get(event.callId) ?? this.keys.get(event.callId);
    if (key === undefined) {
      const row = event.seq === 1 ? undefined : (this.keyOfCall.get(event.callId) as { key: string | null } | undefined);
      if (row && row.key === null) throw new Error(`call ${event.callId}: its key was destroyed (erased); nothing more can be logged for it`);
      if (row) key = keyFromText(row.key!);
      else {
        key = newCallKey();
        this.insertKey.run(event.callId, keyToText(key), event.at);
      }
    }
    keys.set(event.callId, key);
    return key;
  }

  /** Writes the call's summary and the event (its payload sealed) linked to `prevHash`; returns the event's hash. */
  private writeRow(event: LoggedEvent, call: CallRecord | undefined, prevHash: string, key: Buffer): string {
    const sealed = sealPayload(key, event.callId, event.seq, event.payload);
    const hash = hashSealed(prevHash, event, sealed);
    this.writeCall(event, call);
    this.insertEvent.run(
      event.callId,
      event.seq,
      event.type,
      JSON.stringify(sealed),
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
    return hash;
  }

  /**
   * The call's summary row: inserted with its first event and written in full when it ends. In
   * between it is left alone — where the call stands is its last event (log-rows.ts reads it so),
   * and rewriting the row would add a page of the calls table to every commit for each event.
   */
  private writeCall(event: LoggedEvent, call: CallRecord | undefined): void {
    if (!call || !summaryRowWritten(event, call)) return;
    this.upsertCall.run(
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

/**
 * Whether an append writes the call's summary row: with its first event (the foreign key of
 * call_events refuses an event whose call row is missing) and once it is no longer active.
 */
export function summaryRowWritten(event: LoggedEvent, call: CallRecord): boolean {
  return event.seq === 1 || call.status !== 'active';
}

/** The row the writer takes for an append: the summary only where it is written. */
export function logRow(event: LoggedEvent, call: CallRecord, outbox: string | undefined): LogRow {
  const row: LogRow = { event };
  if (summaryRowWritten(event, call)) row.call = call;
  if (outbox !== undefined) row.outbox = outbox;
  return row;
}

function failure(error: unknown): { ok: false; code?: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return { ok: false, code: typeof code === 'string' ? code : undefined, message: (error as Error)?.message ?? String(error) };
}
