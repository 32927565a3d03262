import { sqlAll, sqlGet, sqlRun, type SqlScript } from '../common/sql-port';
import type { SqlDialect } from '../common/sql-dialect';
import { type CallFacts, segmentVisits } from './call-facts';
import { monthOf } from './rollup-schema';

/**
 * Satisfaction rollups (docs/SATISFACTION.md §3): the survey replies summed where they meet their
 * call's facts, so the satisfaction report reads a few rows per month instead of every rated call.
 *
 * A reply is added exactly once, by whichever of two transactions comes second: the reply's own
 * (src/satisfaction, when the call's facts are already written) or the facts' (the end-of-call
 * worker's, for the replies already stored). On SQLite both take the file's write lock; on
 * PostgreSQL both take the call's advisory lock (`lockRatedCalls`) before they look for the other
 * side, so the second always sees what the first committed.
 *
 * Per reply, one row per kind:
 *  - `call`: the call once (flow '*'): total, per channel, per agent;
 *  - `business`: each business of the call once (version 0, path ''): per business, and the call
 *    once under a business filter;
 *  - `version`: each (business, version) once;
 *  - `path`: each (business, step path) once (version 0): the steps of the segment in visit order.
 * Each at four grains: per day and per month (`day` holds `YYYY-MM`), with the agent rolled away
 * ('*') or kept. Ratings are kept as counts per rating 1–5, so what "satisfied" means stays the
 * satisfaction module's.
 */
export const SATISFACTION_ROLLUP_TABLE = 'metric_rollup_satisfaction';
export const SATISFACTION_KINDS = ['call', 'business', 'version', 'path'] as const;
export type SatisfactionKind = (typeof SATISFACTION_KINDS)[number];
/** The grains, as the metrics rollups name them: `day`/`month` without the agent, `agent`/`agent-month` with it. */
export const SATISFACTION_GRAINS = [
  ['day', false, false],
  ['month', true, false],
  ['agent', false, true],
  ['agent-month', true, true],
] as const;
export const RATING_COLUMNS = ['rating_1', 'rating_2', 'rating_3', 'rating_4', 'rating_5'] as const;
const KEY = ['grain', 'day', 'kind', 'flow_id', 'flow_version', 'path', 'agent_id', 'channel'] as const;

/** What a reply is summed under: its call's day and agent, and each business segment of the call with its step path. */
export interface RatedCall {
  day: string;
  agentId: string;
  businesses: { flowId: string; flowVersion: number; path: string }[];
}

export interface Rating {
  channel: string;
  /** 1–5. */
  rating: number;
}

export function satisfactionRollupDdl(pg: boolean): string[] {
  const t = SATISFACTION_ROLLUP_TABLE;
  const cols = [
    ...KEY.map((c) => `"${c}" ${c === 'flow_version' ? 'integer' : 'text'} NOT NULL`),
    ...RATING_COLUMNS.map((c) => `"${c}" integer NOT NULL DEFAULT 0`),
  ];
  return [
    `CREATE TABLE "${t}" (${cols.join(', ')}, PRIMARY KEY (${KEY.map((c) => `"${c}"`).join(', ')}))${pg ? '' : ' WITHOUT ROWID'}`,
    `CREATE INDEX "idx_${t}_agent" ON "${t}" ("grain", "agent_id", "day")`,
  ];
}

/**
 * The rollups of the replies already stored, in SQL (the migration that made the table, and the 1M
 * bench): the rows the reply's and the facts' transactions would have added, one statement per kind
 * and grain. Grouped by position: PostgreSQL refuses a constant ('*') in GROUP BY.
 */
export function satisfactionBackfill(pg: boolean): string[] {
  const rated = `call_id IN (SELECT call_id FROM satisfaction_replies)`;
  const pathOf = pg ? `string_agg(step_id, '>' ORDER BY visit)` : `group_concat(step_id, '>' ORDER BY visit)`;
  const groups: Record<SatisfactionKind, string> = {
    call: `SELECT call_id, '*' AS flow_id, 0 AS flow_version, '' AS path FROM metric_calls WHERE ${rated}`,
    business: `SELECT DISTINCT call_id, flow_id, 0 AS flow_version, '' AS path FROM metric_segments WHERE kind = 'business' AND ${rated}`,
    version: `SELECT DISTINCT call_id, flow_id, flow_version, '' AS path FROM metric_segments WHERE kind = 'business' AND ${rated}`,
    path: `SELECT DISTINCT s.call_id AS call_id, s.flow_id AS flow_id, 0 AS flow_version, COALESCE(p.path, '') AS path
      FROM metric_segments s LEFT JOIN (SELECT call_id, segment, ${pathOf} AS path FROM metric_step_visits WHERE ${rated} GROUP BY call_id, segment) p
        ON p.call_id = s.call_id AND p.segment = s.segment
      WHERE s.kind = 'business' AND s.${rated}`,
  };
  const counts = RATING_COLUMNS.map((_, i) => `SUM(CASE WHEN r.rating = ${i + 1} THEN 1 ELSE 0 END)`).join(', ');
  return SATISFACTION_KINDS.flatMap((kind) =>
    SATISFACTION_GRAINS.map(([grain, monthly, withAgent]) => {
      const day = monthly ? 'substr(m.day, 1, 7)' : 'm.day';
      const agent = withAgent ? 'm.agent_id' : `'*'`;
      return `INSERT INTO "${SATISFACTION_ROLLUP_TABLE}" (${[...KEY, ...RATING_COLUMNS].join(', ')})
        SELECT '${grain}', ${day}, '${kind}', g.flow_id, g.flow_version, g.path, ${agent}, r.channel, ${counts}
        FROM satisfaction_replies r JOIN metric_calls m ON m.call_id = r.call_id JOIN (${groups[kind]}) g ON g.call_id = r.call_id
        GROUP BY 2, 4, 5, 6, 7, 8`;
    }),
  );
}

/**
 * In the transaction that writes these calls' facts (after lockRatedCalls): the replies already
 * stored for them — they came before their call's facts — are summed into the rollups now.
 */
export function* sumStoredReplies(dialect: SqlDialect, written: readonly CallFacts[]): SqlScript<void> {
  const ratings = yield* storedRatings(
    dialect,
    written.map((f) => f.call.callId),
  );
  if (!ratings.size) return;
  yield* addSatisfaction(
    dialect,
    written.filter((f) => ratings.has(f.call.callId)).map((f) => ({ call: ratedCallOf(f), ratings: ratings.get(f.call.callId)! })),
  );
}

/** The rated view of a call from its facts as the end-of-call worker has them. */
export function ratedCallOf({ call, segments, steps }: CallFacts): RatedCall {
  return {
    day: call.day,
    agentId: call.agentId,
    businesses: segments
      .filter((s) => s.kind === 'business')
      .map((s) => ({
        flowId: s.flowId,
        flowVersion: s.flowVersion,
        path: segmentVisits(steps, s.segment)
          .map((v) => v.stepId)
          .join('>'),
      })),
  };
}

/** The same, read back from the stored facts (the reply's transaction); undefined while the call's facts are not written. */
export function* storedRatedCall(callId: string): SqlScript<RatedCall | undefined> {
  const call = yield* sqlGet<{ day: string; agentId: string }>(`SELECT day, agent_id AS "agentId" FROM metric_calls WHERE call_id = ?`, [callId]);
  if (!call) return undefined;
  const segments = yield* sqlAll<{ segment: number; flowId: string; flowVersion: number }>(
    `SELECT segment, flow_id AS "flowId", flow_version AS "flowVersion" FROM metric_segments WHERE call_id = ? AND kind = 'business' ORDER BY segment`,
    [callId],
  );
  const visits = yield* sqlAll<{ segment: number; stepId: string }>(
    `SELECT segment, step_id AS "stepId" FROM metric_step_visits WHERE call_id = ? ORDER BY visit`,
    [callId],
  );
  return {
    day: call.day,
    agentId: call.agentId,
    businesses: segments.map((s) => ({
      flowId: s.flowId,
      flowVersion: Number(s.flowVersion),
      path: visits
        .filter((v) => Number(v.segment) === Number(s.segment))
        .map((v) => v.stepId)
        .join('>'),
    })),
  };
}

/**
 * PostgreSQL: the calls' satisfaction locks (transaction-scoped, one statement, a fixed order). Taken
 * by the reply's transaction before it stores the reply and by the facts' before they read the
 * replies; nothing else is locked between, so the two queue instead of deadlocking.
 */
export function* lockRatedCalls(dialect: SqlDialect, callIds: string[]): SqlScript<void> {
  if (dialect !== 'postgres' || !callIds.length) return;
  yield* sqlRun(`SELECT pg_advisory_xact_lock(1819, h) FROM (SELECT DISTINCT hashtext(c) AS h FROM unnest(?::text[]) AS c ORDER BY h) AS calls`, [callIds]);
}

/** The replies already stored for these calls (the facts' transaction, after `lockRatedCalls`). */
export function* storedRatings(dialect: SqlDialect, callIds: string[]): SqlScript<Map<string, Rating[]>> {
  const byCall = new Map<string, Rating[]>();
  if (!callIds.length) return byCall;
  const among = dialect === 'postgres' ? 'call_id = ANY(?::text[])' : 'call_id IN (SELECT value FROM json_each(?))';
  const rows = yield* sqlAll<{ callId: string; channel: string; rating: number }>(
    `SELECT call_id AS "callId", channel, rating FROM satisfaction_replies WHERE ${among}`,
    [dialect === 'postgres' ? callIds : JSON.stringify(callIds)],
  );
  for (const r of rows) {
    const list = byCall.get(r.callId) ?? [];
    list.push({ channel: r.channel, rating: Number(r.rating) });
    byCall.set(r.callId, list);
  }
  return byCall;
}

/** Adds the replies of rated calls to the rollups: the rows are merged first and upserted in key order (transactions on several nodes lock them alike). */
export function* addSatisfaction(dialect: SqlDialect, rated: { call: RatedCall; ratings: Rating[] }[]): SqlScript<void> {
  const rows = new Map<string, { key: (string | number)[]; counts: number[] }>();
  for (const { call, ratings } of rated) {
    for (const { channel, rating } of ratings) {
      for (const [kind, flowId, flowVersion, path] of groupsOf(call)) {
        for (const [grain, monthly, withAgent] of SATISFACTION_GRAINS) {
          const key = [grain, monthly ? monthOf(call.day) : call.day, kind, flowId, flowVersion, path, withAgent ? call.agentId : '*', channel];
          const id = JSON.stringify(key);
          const row = rows.get(id) ?? { key, counts: [0, 0, 0, 0, 0] };
          row.counts[rating - 1]++;
          rows.set(id, row);
        }
      }
    }
  }
  const text = upsertText(dialect);
  for (const id of [...rows.keys()].sort()) {
    const { key, counts } = rows.get(id)!;
    yield* sqlRun(text, [...key, ...counts]);
  }
}

/** The (kind, flow, version, path) groups a call's reply counts in, each once. */
function groupsOf(call: RatedCall): [SatisfactionKind, string, number, string][] {
  const groups = new Map<string, [SatisfactionKind, string, number, string]>();
  const add = (g: [SatisfactionKind, string, number, string]) => groups.set(JSON.stringify(g), g);
  add(['call', '*', 0, '']);
  for (const b of call.businesses) {
    add(['business', b.flowId, 0, '']);
    add(['version', b.flowId, b.flowVersion, '']);
    add(['path', b.flowId, 0, b.path]);
  }
  return [...groups.values()];
}

const texts = new Map<SqlDialect, string>();
function upsertText(dialect: SqlDialect): string {
  let text = texts.get(dialect);
  if (text === undefined) {
    const t = SATISFACTION_ROLLUP_TABLE;
    const old = (c: string) => (dialect === 'postgres' ? `"${t}"."${c}"` : `"${c}"`);
    const cols = [...KEY, ...RATING_COLUMNS];
    text = `INSERT INTO "${t}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
      ON CONFLICT (${KEY.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${RATING_COLUMNS.map((c) => `"${c}" = ${old(c)} + excluded."${c}"`).join(', ')}`;
    texts.set(dialect, text);
  }
  return text;
}
