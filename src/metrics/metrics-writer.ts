import { sqlGet, type SqlPort, sqlRun, type SqlScript } from '../common/sql-port';
import type { CallFacts } from './call-facts';
import { NEED_STEP } from './call-facts';
import { INSERT_CALL, INSERT_OFFER, INSERT_OTHER_NEED, INSERT_SEGMENT, INSERT_VISIT, NEXT, PREVIOUS, SET_GAP } from './fact-statements';
import { bucketOf } from './histogram';
import { lockRatedCalls, sumStoredReplies } from './satisfaction-rollups';
import { DIMENSIONS, GRAINS, type Grain, KEPT, MAX_FCR_DAYS, MONTHLY, monthOf, ROLLUP_TABLES, type RollupTable } from './rollup-schema';

export const AGENT_STEP_TARGET = 3;
const DAY_MS = 86_400_000;

type Dims = Record<(typeof DIMENSIONS)[number], string | number>;
interface RollupRow {
  table: RollupTable;
  grain: string;
  dims: Dims;
  keys: string[];
  extra: Record<string, string | number>;
  sums: Record<string, number>;
}

/** Whole days from a segment to the next call about the same business (1 = within 24 h). */
export const gapDays = (gapMs: number) => Math.max(1, Math.ceil(gapMs / DAY_MS));

/**
 * Writes one ended call's facts and adds them to the rollups, in one transaction: a SqlScript,
 * driven synchronously by better-sqlite3 on SQLite (nothing interleaves) and statement by statement
 * inside BEGIN … COMMIT on PostgreSQL. Upserts touch only non-zero columns; statement texts are
 * built once per column set.
 */
export class MetricsWriter {
  private readonly upserts = new Map<string, string>();

  constructor(private readonly sql: SqlPort) {}

  async has(callId: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS one FROM metric_calls WHERE call_id = ?', [callId])) !== undefined;
  }

  /** Returns false (and writes nothing) when the call's facts are already stored. */
  async write(facts: CallFacts): Promise<boolean> {
    return (await this.writeMany([facts])) === 1;
  }

  /**
   * Calls in one transaction; calls already stored are skipped. The rollup rows of the whole batch
   * are merged first (same key → sums added), so a batch costs one upsert per distinct rollup key.
   */
  writeMany(all: CallFacts[]): Promise<number> {
    return this.sql.transaction(() => this.writeScript(all));
  }

  /** The same, as a script to run inside a caller's transaction (the end-of-call worker's). */
  *writeScript(all: CallFacts[]): SqlScript<number> {
    const rows = new Map<string, RollupRow>();
    const written: CallFacts[] = [];
    yield* lockRatedCalls(
      this.sql.dialect,
      all.map((f) => f.call.callId),
    );
    for (const f of all) {
      if ((yield* sqlGet('SELECT 1 AS one FROM metric_calls WHERE call_id = ?', [f.call.callId])) !== undefined) continue;
      yield* this.writeFacts(f, rows);
      written.push(f);
    }
    // In key order: two transactions adding to the same rollup rows (workers of several nodes on
    // PostgreSQL) lock them in the same order, so they queue instead of deadlocking.
    for (const key of [...rows.keys()].sort()) yield* this.upsert(rows.get(key)!);
    // Replies that came before their call's facts are summed now (satisfaction-rollups.ts).
    yield* sumStoredReplies(this.sql.dialect, written);
    return written.length;
  }

  private *writeFacts({ call, segments, steps, offers }: CallFacts, merged: Map<string, RollupRow>): SqlScript<void> {
    const rows = { push: (row: RollupRow) => merge(merged, row) };
    const dimsOf = (flowId: string, flowVersion: number): Dims => ({
      day: call.day,
      flow_id: flowId,
      flow_version: flowVersion,
      region: call.region,
      agent_id: call.agentId,
      brand: call.brand,
      tier: call.tier,
    });
    const add = (table: RollupTable, dims: Dims, keys: string[], sums: Record<string, number>, extra: Record<string, string | number> = {}) => {
      for (const [grain, at] of rollups(dims)) rows.push({ table, grain, dims: at, keys, extra, sums });
    };

    yield* sqlRun(INSERT_CALL, [
      call.callId,
      call.day,
      call.startedAt,
      call.callerNumber,
      call.agentId,
      call.region,
      call.brand,
      call.tier,
      call.flowId,
      call.flowVersion,
      call.status,
      call.outcome,
      call.durationMs,
      call.waitMs,
      call.agentMs,
      JSON.stringify(call.laneMs),
    ]);
    add('metric_rollup_flows', dimsOf(call.flowId, call.flowVersion), [], {
      calls: 1,
      call_ms: call.durationMs,
      call_wait_ms: call.waitMs,
      call_agent_ms: call.agentMs,
      lane_customer_ms: call.laneMs.customer,
      lane_frontstage_ms: call.laneMs.frontstage,
      lane_backstage_ms: call.laneMs.backstage,
      lane_support_ms: call.laneMs.support,
      [`h${bucketOf(call.durationMs)}`]: 1,
      // Need coverage (docs/EVALUATION.md): calls whose need was asked, and those where it matched a business.
      needs_asked: call.need ? 1 : 0,
      needs_matched: call.need && call.need !== NEED_STEP.other ? 1 : 0,
    });
    if (call.need === NEED_STEP.other) yield* sqlRun(INSERT_OTHER_NEED, [call.callId, call.day, call.region, call.agentId, call.needNote ?? null]);

    for (const s of segments) {
      const gap = yield* this.repeatLinks(merged, call.callId, call.callerNumber, s.flowId, s.startedAt);
      const m = { ...call, ...s };
      yield* sqlRun(INSERT_SEGMENT, [
        m.callId,
        m.segment,
        m.day,
        m.startedAt,
        m.callerNumber,
        m.agentId,
        m.region,
        m.brand,
        m.tier,
        m.flowId,
        m.flowVersion,
        m.kind,
        m.outcome,
        s.success ? 1 : 0,
        m.durationMs,
        m.waitMs,
        m.agentMs,
        m.agentSteps,
        m.eligible,
        m.presented,
        m.accepted,
        gap,
      ]);
      const ended = s.outcome !== 'abandoned';
      add(
        'metric_rollup_flows',
        dimsOf(s.flowId, s.flowVersion),
        [],
        {
          segments: 1,
          successes: s.success ? 1 : 0,
          abandoned: ended ? 0 : 1,
          agent_steps: ended ? s.agentSteps : 0,
          over_target: ended && s.agentSteps > AGENT_STEP_TARGET ? 1 : 0,
          eligible: s.eligible,
          presented: s.presented,
          accepted: s.accepted,
          ...(s.success && gap !== null && gapDays(gap) <= MAX_FCR_DAYS ? { [`repeat_d${gapDays(gap)}`]: 1 } : {}),
        },
        ended ? { agent_steps_min: s.agentSteps } : {},
      );
    }

    for (const [i, v] of steps.entries()) {
      yield* sqlRun(INSERT_VISIT, [
        call.callId,
        i,
        v.segment,
        v.flowId,
        v.flowVersion,
        v.stepId,
        v.lane,
        v.marks.join(''),
        v.durationMs,
        v.wait ? 1 : 0,
        v.failureCause,
        v.dropOff ? 1 : 0,
      ]);
      const dims = dimsOf(v.flowId, v.flowVersion);
      add(
        'metric_rollup_steps',
        dims,
        [v.stepId],
        {
          visits: 1,
          ms: v.durationMs,
          failures: v.failureCause ? 1 : 0,
          drop_offs: v.dropOff ? 1 : 0,
          [`v${bucketOf(v.durationMs)}`]: 1,
          ...(v.wait ? { waits: 1, wait_ms: v.durationMs } : {}),
        },
        { lane: v.lane, marks: v.marks.join('') },
      );
      if (v.failureCause) add('metric_rollup_causes', dims, [v.stepId, v.failureCause], { count: 1 });
    }

    const points = new Map<number, (typeof offers)[number]>();
    for (const [n, o] of offers.entries()) {
      yield* sqlRun(INSERT_OFFER, [call.callId, n, o.segment, o.flowId, o.flowVersion, o.stepId, o.offerId, o.presented ? 1 : 0, o.accepted ? 1 : 0]);
      add('metric_rollup_offers', dimsOf(o.flowId, o.flowVersion), [o.stepId, o.offerId], {
        eligible: 1,
        presented: o.presented ? 1 : 0,
        accepted: o.accepted ? 1 : 0,
      });
      const point = points.get(o.visit);
      points.set(o.visit, point ? { ...point, accepted: point.accepted || o.accepted } : o);
    }
    for (const p of points.values()) {
      add('metric_rollup_offers', dimsOf(p.flowId, p.flowVersion), [p.stepId, ''], {
        eligible: 1,
        presented: p.presented ? 1 : 0,
        accepted: p.accepted ? 1 : 0,
      });
    }
  }

  /**
   * FCR bookkeeping: this segment is the next call about the business for the caller's latest earlier
   * segment (fix that one's gap and its rollups' repeat-day column), and its own gap is to the next
   * later segment already stored (calls end out of order).
   */
  private *repeatLinks(rows: Map<string, RollupRow>, callId: string, number: string, flowId: string, startedAt: string): SqlScript<number | null> {
    const prev = yield* sqlGet<Record<string, string | number | boolean | null>>(PREVIOUS, [number, flowId, startedAt, callId]);
    if (prev) {
      const gap = Date.parse(startedAt) - Date.parse(String(prev.startedAt));
      const old = prev.gap === null ? null : Number(prev.gap);
      if (old === null || gap < old) {
        yield* sqlRun(SET_GAP, [gap, prev.callId, prev.segment]);
        if (prev.success) {
          const dims = Object.fromEntries(DIMENSIONS.map((d) => [d, prev[d]])) as Dims;
          const sums: Record<string, number> = {};
          if (old !== null && gapDays(old) <= MAX_FCR_DAYS) sums[`repeat_d${gapDays(old)}`] = -1;
          if (gapDays(gap) <= MAX_FCR_DAYS) sums[`repeat_d${gapDays(gap)}`] = (sums[`repeat_d${gapDays(gap)}`] ?? 0) + 1;
          for (const [grain, at] of rollups(dims)) merge(rows, { table: 'metric_rollup_flows', grain, dims: at, keys: [], extra: {}, sums });
        }
      }
    }
    const next = (yield* sqlGet<{ at: string | null }>(NEXT, [number, flowId, startedAt, callId]))!;
    return next.at === null ? null : Date.parse(next.at) - Date.parse(startedAt);
  }

  /** One statement per table (and set of non-summed columns): every summed column is bound, zeros included, so batches never prepare anew. */
  private *upsert(row: RollupRow): SqlScript<void> {
    const { keys: keyNames, sums: sumNames } = ROLLUP_TABLES[row.table];
    const extra = Object.entries(row.extra);
    const signature = `${row.table}|${extra.map(([k]) => k).join(',')}`;
    let text = this.upserts.get(signature);
    if (text === undefined) {
      // PostgreSQL: a column of the existing row is named with its table (a bare name is ambiguous with excluded's), and LEAST is the two-value minimum.
      const pg = this.sql.dialect === 'postgres';
      const old = (k: string) => (pg ? `"${row.table}"."${k}"` : `"${k}"`);
      const least = pg ? 'LEAST' : 'MIN';
      const pk = ['grain', ...DIMENSIONS, ...keyNames];
      const cols = [...pk, ...extra.map(([k]) => k), ...sumNames];
      const updates = [
        ...extra.map(([k]) =>
          k === 'agent_steps_min' ? `"${k}" = ${least}(COALESCE(${old(k)}, excluded."${k}"), excluded."${k}")` : `"${k}" = excluded."${k}"`,
        ),
        ...sumNames.map((k) => `"${k}" = ${old(k)} + excluded."${k}"`),
      ];
      text = `INSERT INTO "${row.table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
        ON CONFLICT (${pk.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
      this.upserts.set(signature, text);
    }
    yield* sqlRun(text, [row.grain, ...DIMENSIONS.map((d) => row.dims[d]), ...row.keys, ...extra.map(([, v]) => v), ...sumNames.map((k) => row.sums[k] ?? 0)]);
  }
}

function merge(rows: Map<string, RollupRow>, row: RollupRow): void {
  const key = `${row.table}|${row.grain}|${DIMENSIONS.map((d) => row.dims[d]).join('|')}|${row.keys.join('|')}`;
  const had = rows.get(key);
  if (!had) {
    rows.set(key, { ...row, sums: { ...row.sums }, extra: { ...row.extra } });
    return;
  }
  for (const [k, v] of Object.entries(row.sums)) had.sums[k] = (had.sums[k] ?? 0) + v;
  for (const [k, v] of Object.entries(row.extra)) {
    had.extra[k] = k === 'agent_steps_min' && had.extra[k] !== undefined ? Math.min(Number(had.extra[k]), Number(v)) : v;
  }
}

function rolled(grain: Grain, dims: Dims): Dims {
  const kept = KEPT[grain];
  return Object.fromEntries(DIMENSIONS.map((d) => [d, kept.includes(d) ? dims[d] : '*'])) as Dims;
}

/** Every rollup row a fact adds to: each grain per day and per month. */
function rollups(dims: Dims): [string, Dims][] {
  return GRAINS.flatMap((grain): [string, Dims][] => {
    const daily = rolled(grain, dims);
    return [
      [grain, daily],
      [MONTHLY[grain], { ...daily, day: monthOf(String(daily.day)) }],
    ];
  });
}
