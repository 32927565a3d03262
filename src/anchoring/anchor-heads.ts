import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SqlPort } from '../common/sql-port';
import type { AnchoredHead } from './anchor-record';

/** Event ids grouped per statement on SQLite's read thread (its own connection: nothing waits on it but the checkpoint). */
const SQLITE_SPAN = 100_000;
/** Events read per statement elsewhere: the main thread yields between chunks, so a large backlog never holds it for long. */
const CHUNK = 2_000;
/** Each call's last event in an id span: the bare columns of a MAX() query come from the row with the maximum (SQLite). */
const SQLITE_HEADS_SQL = 'SELECT call_id AS "callId", MAX(seq) AS seq, hash FROM call_events WHERE id > ? AND id <= ? GROUP BY call_id';
const CHUNK_SQL = `SELECT id, call_id AS "callId", seq, hash FROM call_events WHERE id > ? AND id <= ? ORDER BY id LIMIT ${CHUNK}`;

type HeadRow = { callId: string; seq: number | string; hash: string };

function keepLast(heads: Map<string, AnchoredHead>, rows: readonly HeadRow[]): void {
  for (const r of rows) {
    const had = heads.get(r.callId);
    if (!had || Number(r.seq) > had[1]) heads.set(r.callId, [r.callId, Number(r.seq), r.hash]);
  }
}

/**
 * The heads of the calls with events in (from, upTo]: each call's last event there. On SQLite the
 * store picks them, span by span, on `reads` (the long reads' thread: the main thread only merges a
 * row per call, ~1 % of the rows); on PostgreSQL the events are read in chunks (its reads already
 * leave the event loop). `bench/anchor-checkpoint.mjs` measures both ways.
 */
export async function headsSince(sql: SqlPort, reads: SqlPort, from: number, upTo: number, span = SQLITE_SPAN): Promise<Map<string, AnchoredHead>> {
  const heads = new Map<string, AnchoredHead>();
  if (sql.dialect === 'sqlite') {
    for (let start = from; start < upTo; start += span) keepLast(heads, await reads.all<HeadRow>(SQLITE_HEADS_SQL, [start, Math.min(start + span, upTo)]));
    return heads;
  }
  for (let start = from; start < upTo;) {
    const rows = await sql.all<HeadRow & { id: number | string }>(CHUNK_SQL, [start, upTo]);
    if (!rows.length) break;
    keepLast(heads, rows);
    start = Number(rows[rows.length - 1].id);
    await nextTurn();
  }
  return heads;
}
