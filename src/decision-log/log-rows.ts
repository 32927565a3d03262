import type { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import type { SqlPort } from '../common/sql-port';
import type { CallLog, CallRecord, StoredEvent } from './decision-log';
import { isSealed, keyFromText, openPayload, SEALED } from './payload-cipher';

/**
 * Plain SQL over the log's two tables (the same on SQLite and PostgreSQL), read without entity
 * hydration: recovery reads every active call's whole log at boot, and TypeORM's `find` per call
 * cost more than rebuilding the call (bench/lib/recovery-phase.mjs).
 */
const CALL_COLUMNS = `c.id AS "id", c.flow_id AS "flowId", c.flow_version AS "flowVersion", c.agent_id AS "agentId",
  c.caller_number AS "callerNumber", c.status AS "status", c.outcome AS "outcome", c.outcome_detail AS "outcomeDetail", c.state AS "state",
  c.current_flow_id AS "currentFlowId", c.current_flow_version AS "currentFlowVersion", c.seq AS "seq", c.started_at AS "startedAt",
  c.updated_at AS "updatedAt", c.ended_at AS "endedAt"`;
const EVENT_COLUMNS = `e.call_id AS "callId", e.seq AS "seq", e.type AS "type", e.payload AS "payload", e.agent_id AS "agentId",
  e.flow_id AS "flowId", e.flow_version AS "flowVersion", e.state_before AS "stateBefore", e.flow_id_after AS "flowIdAfter",
  e.flow_version_after AS "flowVersionAfter", e.state_after AS "stateAfter", e.at AS "at", e.prev_hash AS "prevHash", e.hash AS "hash"`;
/** Events to be read in clear: with their call's payload key, or the mark that it was destroyed. */
const OPENED_COLUMNS = `${EVENT_COLUMNS}, k.key AS "payloadKey", k.erased_at AS "erasedAt"`;
const WITH_KEYS = `LEFT JOIN call_keys k ON k.call_id = e.call_id`;

/** simple-json columns come back as text (SQLite, PostgreSQL text) or already parsed (a json column). */
const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

function toCall(row: Record<string, unknown>): CallRecord {
  return { ...(row as unknown as CallRecord), outcomeDetail: row.outcomeDetail === null ? null : json(row.outcomeDetail) };
}

/** What of a call moves with each event, as its last event has it. */
type LastEvent = Pick<StoredEvent, 'seq' | 'stateAfter' | 'flowIdAfter' | 'flowVersionAfter' | 'at'>;

/**
 * The call's summary as of its last event. The row holds the call as it started and, once it ended,
 * as it ended; while it goes on, SQLite's writer leaves it alone (one page less to write per event),
 * so where it stands — state, current flow, seq, last change — is read from the log. The same on
 * PostgreSQL, whose writer still rewrites the row in its one upsert per batch: the values agree.
 * An event from before `flow_id_after` was logged keeps the row's flow.
 */
function asOfLastEvent(call: CallRecord, last: LastEvent | undefined): CallRecord {
  if (!last || last.seq <= call.seq) return call;
  return {
    ...call,
    seq: last.seq,
    state: last.stateAfter,
    currentFlowId: last.flowIdAfter ?? call.currentFlowId,
    currentFlowVersion: last.flowVersionAfter ?? call.currentFlowVersion,
    updatedAt: last.at,
  };
}

/** One call's summary (asOfLastEvent), or null. */
export async function readCall(dataSource: DataSource, callId: string): Promise<CallRecord | null> {
  const param = dataSource.options.type === 'postgres' ? '$1' : '?';
  const [row]: Record<string, unknown>[] = await dataSource.query(`SELECT ${CALL_COLUMNS} FROM calls c WHERE c.id = ${param}`, [callId]);
  if (!row) return null;
  const [last]: LastEvent[] = await dataSource.query(
    `SELECT e.seq AS "seq", e.state_after AS "stateAfter", e.flow_id_after AS "flowIdAfter", e.flow_version_after AS "flowVersionAfter", e.at AS "at"
     FROM call_events e WHERE e.call_id = ${param} ORDER BY e.seq DESC LIMIT 1`,
    [callId],
  );
  return asOfLastEvent(toCall(row), last);
}

/** Several calls' summaries (readCall's), in two statements per 500 calls: the calls of one turn's attaches (PgDecisionLog.findCall). */
export async function readCalls(dataSource: DataSource, callIds: readonly string[]): Promise<Map<string, CallRecord>> {
  const found = new Map<string, CallRecord>();
  const pg = dataSource.options.type === 'postgres';
  for (let i = 0; i < callIds.length; i += 500) {
    const ids = callIds.slice(i, i + 500);
    const list = ids.map((_, n) => (pg ? `$${n + 1}` : '?')).join(', ');
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT ${CALL_COLUMNS} FROM calls c WHERE c.id IN (${list})`, ids);
    if (!rows.length) continue;
    const lasts: (LastEvent & { callId: string })[] = await dataSource.query(
      `SELECT e.call_id AS "callId", e.seq AS "seq", e.state_after AS "stateAfter", e.flow_id_after AS "flowIdAfter", e.flow_version_after AS "flowVersionAfter", e.at AS "at"
       FROM call_events e JOIN (SELECT call_id, MAX(seq) AS seq FROM call_events WHERE call_id IN (${list}) GROUP BY call_id) m
         ON m.call_id = e.call_id AND m.seq = e.seq`,
      ids,
    );
    const lastOf = new Map(lasts.map((last) => [last.callId, last]));
    for (const row of rows) found.set(row.id as string, asOfLastEvent(toCall(row), lastOf.get(row.id as string)));
  }
  return found;
}

/** Each log's call summary as of its last event (asOfLastEvent), once its events are read. */
function summarised(logs: Iterable<CallLog>): CallLog[] {
  return [...logs].map(({ call, events }) => ({ call: asOfLastEvent(call, events[events.length - 1]), events }));
}

/** An event as stored: a sealed payload stays the ciphertext string (what the chain is computed over). */
function toEvent(row: Record<string, unknown>): StoredEvent {
  return { ...(row as unknown as StoredEvent), payload: json(row.payload) };
}

/** The typed answer for a call whose payload key retention or an erasure destroyed. */
export function callErased(callId: string, erasedAt: string): AppError<'CALL_ERASED'> {
  return new AppError('CALL_ERASED', `Call ${callId} was erased (${erasedAt}): its steps can no longer be read; its log still verifies`, {
    callId,
    erasedAt,
  });
}

/**
 * Rows (with OPENED_COLUMNS) to events in clear: a sealed payload is decrypted with its call's key
 * (each key decoded once per read), and keeps its stored form under SEALED so the chain is checked
 * over what is stored. A payload written before encryption (an object) reads as it is. An erased
 * call answers CALL_ERASED; a ciphertext that does not open (altered) throws.
 */
function eventOpener(): (row: Record<string, unknown>) => StoredEvent {
  const keys = new Map<string, Buffer>();
  return (row) => {
    const { payloadKey, erasedAt, ...columns } = row as { payloadKey: string | null; erasedAt: string | null } & Record<string, unknown>;
    const event = toEvent(columns);
    if (erasedAt) throw callErased(event.callId, erasedAt);
    const stored: unknown = event.payload;
    if (!isSealed(stored)) return event;
    if (!payloadKey) throw new Error(`call ${event.callId} seq ${event.seq}: the payload is sealed and the call has no key`);
    let key = keys.get(event.callId);
    if (!key) keys.set(event.callId, (key = keyFromText(payloadKey)));
    event.payload = openPayload(key, event.callId, event.seq, stored);
    (event as StoredEvent & { [SEALED]?: string })[SEALED] = stored;
    return event;
  };
}

/** When the call's payload key was destroyed (retention or erasure), or null. */
export async function erasedAt(dataSource: DataSource, callId: string): Promise<string | null> {
  const param = dataSource.options.type === 'postgres' ? '$1' : '?';
  const rows: { erasedAt: string | null }[] = await dataSource.query(`SELECT erased_at AS "erasedAt" FROM call_keys WHERE call_id = ${param}`, [callId]);
  return rows[0]?.erasedAt ?? null;
}

/** One call's events, in order. */
export async function readEvents(dataSource: DataSource, callId: string): Promise<StoredEvent[]> {
  const param = dataSource.options.type === 'postgres' ? '$1' : '?';
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT ${OPENED_COLUMNS} FROM call_events e ${WITH_KEYS} WHERE e.call_id = ${param} ORDER BY e.seq`,
    [callId],
  );
  return rows.map(eventOpener());
}

/** Every active call with its events: two statements whatever the number of calls, oldest call first. */
export async function readActiveCallLogs(dataSource: DataSource): Promise<CallLog[]> {
  const calls: Record<string, unknown>[] = await dataSource.query(`SELECT ${CALL_COLUMNS} FROM calls c WHERE c.status = 'active' ORDER BY c.started_at, c.id`);
  const logs = new Map<string, CallLog>(calls.map((row) => [row.id as string, { call: toCall(row), events: [] }]));
  const events: Record<string, unknown>[] = await dataSource.query(
    `SELECT ${OPENED_COLUMNS} FROM calls c JOIN call_events e ON e.call_id = c.id ${WITH_KEYS} WHERE c.status = 'active' ORDER BY e.call_id, e.seq`,
  );
  const open = eventOpener();
  for (const row of events) logs.get(row.callId as string)?.events.push(open(row));
  return summarised(logs.values());
}

/** What readCallLogs needs of a connection: a TypeORM DataSource, or a plain SQLite handle on another thread. */
export interface LogRowsSource {
  options: { type: string };
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** The given calls with their events (calls taken over from another node), in chunks of a bounded number of parameters. */
export async function readCallLogs(dataSource: LogRowsSource, callIds: readonly string[]): Promise<CallLog[]> {
  const logs: CallLog[] = [];
  const pg = dataSource.options.type === 'postgres';
  for (let i = 0; i < callIds.length; i += 500) {
    const ids = callIds.slice(i, i + 500);
    const list = ids.map((_, n) => (pg ? `$${n + 1}` : '?')).join(', ');
    const calls: Record<string, unknown>[] = await dataSource.query(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.id IN (${list}) ORDER BY c.started_at, c.id`,
      ids,
    );
    const byId = new Map<string, CallLog>(calls.map((row) => [row.id as string, { call: toCall(row), events: [] }]));
    const events: Record<string, unknown>[] = await dataSource.query(
      `SELECT ${OPENED_COLUMNS} FROM call_events e ${WITH_KEYS} WHERE e.call_id IN (${list}) ORDER BY e.call_id, e.seq`,
      ids,
    );
    const open = eventOpener();
    for (const row of events) byId.get(row.callId as string)?.events.push(open(row));
    logs.push(...summarised(byId.values()));
  }
  return logs;
}

/**
 * The events of a page of calls AS STORED (sealed payloads stay ciphertext: no key is needed, and
 * erased calls verify like any other), by call id then seq: the calls after `afterCallId` (id order), at most
 * `calls` of them, whole. An offline walk of the entire log (the verifier) reads it page by page.
 */
export async function readEventsPage(sql: SqlPort, afterCallId: string, calls: number): Promise<StoredEvent[]> {
  const ids = await sql.all<{ id: string }>(`SELECT DISTINCT call_id AS id FROM call_events WHERE call_id > ? ORDER BY call_id LIMIT ${Math.floor(calls)}`, [
    afterCallId,
  ]);
  if (!ids.length) return [];
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT ${EVENT_COLUMNS} FROM call_events e WHERE e.call_id >= ? AND e.call_id <= ? ORDER BY e.call_id, e.seq`,
    [ids[0].id, ids[ids.length - 1].id],
  );
  return rows.map(toEvent);
}
