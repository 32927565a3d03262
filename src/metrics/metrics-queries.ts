import type { SqlPort } from '../common/sql-port';
import type { CheckMetrics, Comparison, CompareSide, MetricsSummary, OfferMetrics, StepMetrics } from '../../protocol/metrics';
import { percentile } from './histogram';
import { AGENT_STEP_TARGET } from './metrics-writer';
import { avg, factWhere, type MetricsFilter, rate, rollupWhere } from './metrics-filter';
import { CALL_HIST, MAX_FCR_DAYS, REPEAT_COLUMNS, VISIT_HIST } from './rollup-schema';

const sums = (cols: string[]) => cols.map((c) => `SUM("${c}") AS "${c}"`).join(', ');
const hist = (row: Record<string, number>, cols: string[]) => cols.map((c) => Number(row[c] ?? 0));
const LANES = ['customer', 'frontstage', 'backstage', 'support'] as const;
/**
 * GROUP BY columns as expressions (`+col`): otherwise SQLite walks the (grain, flow_id, …) index
 * to skip the sort, paying a primary-key lookup per row of these WITHOUT ROWID tables — 3–4× slower
 * than the primary-key range when the filter names no flow. A flow or agent filter still uses its index.
 */
const NO_INDEX_ORDER = (...cols: string[]) => cols.map((c) => `+${c}`).join(', ');
/** PostgreSQL plans the grouping itself (and has no unary plus on text). */
const PLAIN_ORDER = (...cols: string[]) => cols.join(', ');

/** Dashboard queries: read the rollups (never the facts) — month rows for whole months, day rows for the edges — except compliance which joins the stored check results. */
export class MetricsQueries {
  constructor(
    private readonly sql: SqlPort,
    /** Step order of a flow (its definition), for the step table; unknown steps go last. */
    private readonly stepOrder: (flowId: string) => string[] = () => [],
    /** Read whole months from the month rollups (false: day rows only, the reference the month rows must equal). */
    private readonly months = true,
  ) {}

  private groupBy(...cols: string[]): string {
    return (this.sql.dialect === 'postgres' ? PLAIN_ORDER : NO_INDEX_ORDER)(...cols);
  }

  async summary(f: MetricsFilter, fcrDays: number): Promise<MetricsSummary> {
    const w = rollupWhere(f, this.months);
    const t = (await this.sql.get(
      `SELECT ${sums(['calls', 'call_ms', 'call_wait_ms', 'call_agent_ms', ...LANES.map((l) => `lane_${l}_ms`), ...CALL_HIST])} FROM metric_rollup_flows WHERE ${w.sql}`,
      w.params,
    )) as Record<string, number>;
    const calls = Number(t.calls ?? 0);
    const repeats = REPEAT_COLUMNS.slice(0, Math.min(fcrDays, MAX_FCR_DAYS));
    const rows = (await this.sql.all(
      `SELECT flow_id AS "flowId", flow_version AS "version", ${sums(['segments', 'successes', 'abandoned', 'agent_steps', 'over_target', 'eligible', 'presented', 'accepted'])},
        MIN(agent_steps_min) AS "minSteps", ${repeats.length ? repeats.map((c) => `SUM("${c}")`).join(' + ') : '0'} AS "repeats"
      FROM metric_rollup_flows WHERE ${w.sql} GROUP BY ${this.groupBy('flow_id', 'flow_version')} HAVING SUM(segments) > 0 ORDER BY flow_id, flow_version`,
      w.params,
    )) as Record<string, number | string>[];
    return {
      calls,
      handleTime: {
        avgMs: avg(Number(t.call_ms ?? 0), calls),
        p90Ms: percentile(hist(t, CALL_HIST), 0.9),
        agentMs: avg(Number(t.call_agent_ms ?? 0), calls),
        waitMs: avg(Number(t.call_wait_ms ?? 0), calls),
        byLane: Object.fromEntries(LANES.map((l) => [l, avg(Number(t[`lane_${l}_ms`] ?? 0), calls)])),
      },
      businesses: rows.map((r) => {
        const n = Number(r.segments);
        const ended = n - Number(r.abandoned);
        return {
          flowId: String(r.flowId),
          version: Number(r.version),
          calls: n,
          successRate: rate(Number(r.successes), n),
          fcrRate: rate(Number(r.successes) - Number(r.repeats), n),
          agentSteps: {
            avg: ended > 0 ? Math.round((Number(r.agent_steps) / ended) * 100) / 100 : null,
            min: r.minSteps === null ? null : Number(r.minSteps),
            target: AGENT_STEP_TARGET,
            overTarget: Number(r.over_target),
          },
          marketing: {
            eligible: Number(r.eligible),
            presented: Number(r.presented),
            rate: rate(Number(r.presented), Number(r.eligible)),
            accepted: Number(r.accepted),
            conversion: rate(Number(r.accepted), Number(r.presented)),
          },
        };
      }),
    };
  }

  async steps(f: MetricsFilter & { flowId: string }): Promise<StepMetrics[]> {
    const w = rollupWhere(f, this.months);
    const rows = (await this.sql.all(
      `SELECT step_id AS "stepId", MAX(lane) AS lane, MAX(marks) AS marks, ${sums(['visits', 'ms', 'waits', 'failures', 'drop_offs', ...VISIT_HIST])}
      FROM metric_rollup_steps WHERE ${w.sql} GROUP BY step_id`,
      w.params,
    )) as Record<string, number>[];
    const causes = (await this.sql.all(
      `SELECT step_id AS "stepId", cause, SUM(count) AS n FROM metric_rollup_causes WHERE ${w.sql} GROUP BY step_id, cause ORDER BY n DESC, cause`,
      w.params,
    )) as { stepId: string; cause: string; n: number }[];
    const order = this.stepOrder(f.flowId);
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
    return rows
      .sort((a, b) => rank(String(a.stepId)) - rank(String(b.stepId)) || String(a.stepId).localeCompare(String(b.stepId)))
      .map((r) => {
        const stepId = String(r.stepId);
        const visits = Number(r.visits);
        // A step's visits are all waits (it invokes the back end) or none: its wait percentiles are its visit percentiles.
        const waits = Number(r.waits) > 0 ? hist(r, VISIT_HIST) : [];
        const failures = Number(r.failures);
        return {
          stepId,
          lane: String(r.lane),
          marks: String(r.marks).split('').filter(Boolean),
          visits,
          avgMs: avg(Number(r.ms), visits),
          p90Ms: percentile(hist(r, VISIT_HIST), 0.9),
          waits: { count: Number(r.waits), p50Ms: percentile(waits, 0.5), p90Ms: percentile(waits, 0.9) },
          failures: {
            count: failures,
            rate: r.marks && String(r.marks).includes('F') ? rate(failures, visits) : null,
            topCauses: causes
              .filter((c) => c.stepId === stepId)
              .slice(0, 5)
              .map((c) => ({ cause: c.cause, count: Number(c.n) })),
          },
          dropOffs: Number(r.drop_offs),
        };
      });
  }

  async offers(f: MetricsFilter): Promise<OfferMetrics[]> {
    const w = rollupWhere(f, this.months);
    const rows = (await this.sql.all(
      `SELECT flow_id AS "flowId", step_id AS "stepId", offer_id AS "offerId", ${sums(['eligible', 'presented', 'accepted'])}
      FROM metric_rollup_offers WHERE ${w.sql} GROUP BY ${this.groupBy('flow_id', 'step_id', 'offer_id')} ORDER BY flow_id, step_id, offer_id`,
      w.params,
    )) as Record<string, string | number>[];
    return rows.map((r) => ({
      flowId: String(r.flowId),
      stepId: String(r.stepId),
      offerId: r.offerId === '' ? null : String(r.offerId),
      eligible: Number(r.eligible),
      presented: Number(r.presented),
      accepted: Number(r.accepted),
      conversion: rate(Number(r.accepted), Number(r.presented)),
    }));
  }

  /** Per automatic check, over the calls matching the filter (flow = the call's first business). */
  async compliance(f: MetricsFilter): Promise<CheckMetrics[]> {
    const w = factWhere(f, 'm');
    const rows = (await this.sql.all(
      `SELECT r.check_id AS "checkId", SUM(CASE WHEN r.applicable = TRUE THEN 1 ELSE 0 END) AS applicable, SUM(CASE WHEN r.applicable = TRUE AND r.passed = TRUE THEN 1 ELSE 0 END) AS passed
      FROM call_check_results r JOIN metric_calls m ON m.call_id = r.call_id WHERE ${w.sql} GROUP BY r.check_id ORDER BY r.check_id`,
      w.params,
    )) as Record<string, string | number>[];
    return rows.map((r) => ({
      checkId: String(r.checkId),
      applicable: Number(r.applicable),
      passed: Number(r.passed),
      rate: rate(Number(r.passed), Number(r.applicable)),
    }));
  }

  /** Two versions of one flow side by side, each with its sample sizes, and the business metrics' differences (b − a). */
  async compare(f: MetricsFilter, flowId: string, a: number, b: number, fcrDays: number): Promise<Comparison> {
    const side = async (version: number): Promise<CompareSide> => {
      const scoped = { ...f, flowId, version };
      const summary = await this.summary(scoped, fcrDays);
      const business = summary.businesses.find((x) => x.flowId === flowId && x.version === version) ?? null;
      return {
        version,
        sampleSize: { calls: summary.calls, segments: business?.calls ?? 0 },
        summary,
        business,
        steps: await this.steps(scoped),
      };
    };
    const [left, right] = [await side(a), await side(b)];
    const pick: [string, (s: CompareSide) => number | null][] = [
      ['sampleSize.calls', (s) => s.sampleSize.calls],
      ['sampleSize.segments', (s) => s.sampleSize.segments],
      ['handleTime.avgMs', (s) => s.summary.handleTime.avgMs],
      ['handleTime.p90Ms', (s) => s.summary.handleTime.p90Ms],
      ['successRate', (s) => s.business?.successRate ?? null],
      ['fcrRate', (s) => s.business?.fcrRate ?? null],
      ['agentSteps.avg', (s) => s.business?.agentSteps.avg ?? null],
      ['agentSteps.overTarget', (s) => s.business?.agentSteps.overTarget ?? null],
      ['marketing.eligible', (s) => s.business?.marketing.eligible ?? null],
      ['marketing.rate', (s) => s.business?.marketing.rate ?? null],
      ['marketing.conversion', (s) => s.business?.marketing.conversion ?? null],
    ];
    const differences = pick.map(([metric, get]) => {
      const [x, y] = [get(left), get(right)];
      return { metric, a: x, b: y, delta: x === null || y === null ? null : Math.round((y - x) * 10_000) / 10_000 };
    });
    return { flowId, a: left, b: right, differences };
  }
}
