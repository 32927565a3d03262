import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { CallPage, CallSearchParams, FoundCall } from '../../protocol/qa';
import { dialectOf, type SqlDialect } from '../common/sql-dialect';
import type { SqlPort } from '../common/sql-port';
import { readerSqlPort } from '../common/sqlite-reader';
import { CallEntity } from '../decision-log/call.entity';

/** The search's filters (`GET /api/qa/calls`), paging defaulted. */
export type CallSearch = Omit<CallSearchParams, 'format'> & Required<Pick<CallSearchParams, 'page' | 'pageSize'>>;

/**
 * How many matches a search counts and pages through. A count over a year of a hotline's calls (tens
 * of millions) took seconds, and any deeper page's OFFSET as long; past this the reply says only
 * "more" (`totalCapped`), and the pages beyond are empty: the search must be narrowed to reach them.
 */
export const SEARCH_MATCH_LIMIT = 10_000;
/** Nothing provides it in the app (SEARCH_MATCH_LIMIT holds); a spec passes a smaller limit by hand. */
const SEARCH_MATCH_LIMIT_TOKEN = 'SEARCH_MATCH_LIMIT';

/** A call's duration in ms from its ISO timestamps, in each store's date arithmetic. */
const DURATION: Record<SqlDialect, string> = {
  sqlite: `CAST(ROUND((julianday(c.ended_at) - julianday(c.started_at)) * 86400000) AS INTEGER)`,
  postgres: `CAST(ROUND(EXTRACT(EPOCH FROM (CAST(c.ended_at AS timestamptz) - CAST(c.started_at AS timestamptz))) * 1000) AS bigint)`,
};

/**
 * Finding calls for QA: every filter is a SQL predicate, so paging and counts are exact. The reads
 * go to the long-reads port (on SQLite its own thread: a count over a year of calls must not hold the
 * agents' event loop).
 */
@Injectable()
export class CallSearchService {
  constructor(
    private readonly dataSource: DataSource,
    /** SEARCH_MATCH_LIMIT; smaller in specs. */
    @Optional() @Inject(SEARCH_MATCH_LIMIT_TOKEN) private readonly limit: number = SEARCH_MATCH_LIMIT,
  ) {}

  async search(q: CallSearch): Promise<CallPage> {
    const duration = DURATION[dialectOf(this.dataSource)];
    const qb = this.dataSource.getRepository(CallEntity).createQueryBuilder('c').leftJoin('users', 'u', 'u.id = c.agent_id');
    // Training calls (src/training) are never among the QA samples.
    qb.andWhere('NOT EXISTS (SELECT 1 FROM training_calls t WHERE t.call_id = c.id)');
    if (q.agent) qb.andWhere('u.username = :agent', { agent: q.agent });
    if (q.flowId) {
      // A business anywhere in the call, not only the one it started with (hotline calls start in enter-service).
      qb.andWhere(
        `EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.id AND e.flow_id_after = :flowId${q.version ? ' AND e.flow_version_after = :version' : ''})`,
        { flowId: q.flowId, version: q.version },
      );
    } else if (q.version) qb.andWhere('c.flow_version = :version', { version: q.version });
    if (q.outcome) qb.andWhere('c.outcome = :outcome', { outcome: q.outcome });
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.from) qb.andWhere('c.started_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('c.started_at < :to', { to: q.to });
    if (q.msisdn) qb.andWhere('c.caller_number = :msisdn', { msisdn: q.msisdn });
    if (q.failedCheck) {
      qb.andWhere('EXISTS (SELECT 1 FROM call_check_results r WHERE r.call_id = c.id AND r.check_id = :check AND r.applicable = TRUE AND r.passed = FALSE)', {
        check: q.failedCheck,
      });
    }
    if (q.minDurationMs !== undefined) qb.andWhere(`c.ended_at IS NOT NULL AND ${duration} >= :minD`, { minD: q.minDurationMs });
    if (q.maxDurationMs !== undefined) qb.andWhere(`c.ended_at IS NOT NULL AND ${duration} <= :maxD`, { maxD: q.maxDurationMs });
    const matches = await this.countUpTo(qb, this.limit + 1);
    const offset = (q.page - 1) * q.pageSize;
    const rows =
      offset >= this.limit
        ? []
        : await this.raw<Record<string, unknown>>(
            qb
              .select([
                'c.id AS id',
                'u.username AS agent',
                'c.agent_id AS "agentId"',
                'c.caller_number AS "callerNumber"',
                'c.flow_id AS "flowId"',
                'c.flow_version AS "flowVersion"',
                'c.status AS status',
                'c.outcome AS outcome',
                'c.started_at AS "startedAt"',
                'c.ended_at AS "endedAt"',
                `${duration} AS "durationMs"`,
              ])
              .orderBy('c.started_at', 'DESC')
              .addOrderBy('c.id', 'ASC')
              .offset(offset)
              .limit(Math.min(q.pageSize, this.limit - offset)),
          );
    const ids = rows.map((r) => String(r.id));
    const [businesses, failed] = await Promise.all([this.businessesOf(ids), this.failedChecksOf(ids)]);
    const calls = rows.map((r) => ({
      id: String(r.id),
      agent: String(r.agent ?? r.agentId),
      callerNumber: String(r.callerNumber),
      flowId: String(r.flowId),
      flowVersion: Number(r.flowVersion),
      businesses: businesses.get(String(r.id)) ?? [],
      status: String(r.status),
      outcome: (r.outcome as string | null) ?? null,
      startedAt: String(r.startedAt),
      endedAt: (r.endedAt as string | null) ?? null,
      durationMs: r.durationMs === null ? null : Number(r.durationMs),
      failedChecks: failed.get(String(r.id)) ?? [],
    }));
    return { total: Math.min(matches, this.limit), totalCapped: matches > this.limit, page: q.page, pageSize: q.pageSize, calls };
  }

  /** The matches, counted no further than `cap`: the count stops there, however many calls match. */
  private async countUpTo(qb: SelectQueryBuilder<CallEntity>, cap: number): Promise<number> {
    const [sql, params] = qb.clone().select('1', 'one').limit(cap).getQueryAndParameters();
    const counted = `SELECT COUNT(*) AS n FROM (${sql}) AS matched`;
    const rows =
      this.reads.dialect === 'postgres' ? await this.dataSource.query<{ n: number }[]>(counted, params) : await this.reads.all<{ n: number }>(counted, params);
    return Number(rows[0]?.n ?? 0);
  }

  private get reads(): SqlPort {
    return readerSqlPort(this.dataSource);
  }

  /** The builder's statement, run on the long-reads port (TypeORM writes `?` placeholders for SQLite, `$n` for PostgreSQL). */
  private async raw<T>(qb: SelectQueryBuilder<CallEntity>): Promise<T[]> {
    if (this.reads.dialect === 'postgres') return qb.getRawMany<T>();
    const [sql, params] = qb.getQueryAndParameters();
    return this.reads.all<T>(sql, params as unknown[]);
  }

  private async businessesOf(ids: string[]): Promise<Map<string, string[]>> {
    if (!ids.length) return new Map();
    const rows = await this.reads.all<{ callId: string; flow: string }>(
      `SELECT call_id AS "callId", flow_id_after || '@' || flow_version_after AS flow, MIN(seq) AS first FROM call_events
       WHERE call_id IN (${ids.map(() => '?').join(',')}) AND flow_id_after IS NOT NULL GROUP BY call_id, flow ORDER BY call_id, first`,
      ids,
    );
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.callId, [...(map.get(r.callId) ?? []), r.flow]);
    return map;
  }

  private async failedChecksOf(ids: string[]): Promise<Map<string, string[]>> {
    if (!ids.length) return new Map();
    const rows = await this.reads.all<{ callId: string; checkId: string }>(
      `SELECT call_id AS "callId", check_id AS "checkId" FROM call_check_results WHERE call_id IN (${ids.map(() => '?').join(',')}) AND applicable = TRUE AND passed = FALSE ORDER BY check_id`,
      ids,
    );
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.callId, [...(map.get(r.callId) ?? []), r.checkId]);
    return map;
  }
}

/** CSV of found calls (RFC 4180 quoting, no formula cells), the columns of FoundCall. */
export function callsToCsv(calls: FoundCall[]): string {
  const columns: (keyof FoundCall)[] = [
    'id',
    'agent',
    'callerNumber',
    'flowId',
    'flowVersion',
    'businesses',
    'status',
    'outcome',
    'startedAt',
    'endedAt',
    'durationMs',
    'failedChecks',
  ];
  const cell = (v: unknown) => {
    const raw = Array.isArray(v) ? v.join(' ') : v === null || v === undefined ? '' : String(v);
    // A spreadsheet must not run a cell as a formula.
    const text = /^[=+\-@]/.test(raw) ? `'${raw}` : raw;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...calls.map((c) => columns.map((k) => cell(c[k])).join(','))].join('\r\n') + '\r\n';
}
