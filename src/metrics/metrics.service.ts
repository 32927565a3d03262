import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sqlPort } from '../common/sql-port';
import { readerSqlPort } from '../common/sqlite-reader';
import { FlowCatalog } from '../flows/flow-catalog.service';
import type { MetricsQuery } from './dto/metrics-query.dto';
import type { MetricsFilter } from './metrics-filter';
import type { AuthUser } from '../auth/auth-user';
import { parseSupervises } from '../people';
import { MetricsQueries } from './metrics-queries';

/** The HTTP side of the metrics: request filters → rollup queries. */
@Injectable()
export class MetricsService {
  private q?: MetricsQueries;

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: FlowCatalog,
    private readonly config: AppConfig,
  ) {}

  /** On SQLite the rollup queries (up to ~0.1 s over a year of calls) run on the read thread, never on the agents' event loop. */
  get queries(): MetricsQueries {
    return (this.q ??= new MetricsQueries(readerSqlPort(this.dataSource), (flowId) => {
      try {
        return Object.keys(this.catalog.current(flowId).definition.machine.states);
      } catch {
        return [];
      }
    }));
  }

  fcrDays(q: MetricsQuery): number {
    return q.fcrDays ?? this.config.METRICS_FCR_DAYS;
  }

  /**
   * An unknown agent username matches no rows (not an error: a filter that finds nothing). A
   * supervisor who sees some teams only (src/people) reads the calls of those teams' agents.
   */
  async filter(q: MetricsQuery, user?: AuthUser): Promise<MetricsFilter> {
    let agentId: string | undefined;
    if (q.agent !== undefined) {
      const rows = await sqlPort(this.dataSource).all<{ id: string }>('SELECT id FROM users WHERE username = ?', [q.agent]);
      agentId = rows[0]?.id ?? '';
    }
    const f: MetricsFilter = {
      from: q.from,
      to: q.to,
      flowId: q.flowId,
      version: q.version,
      region: q.region,
      agentId,
      agentIds: await this.agentsInScope(user),
      brand: q.brand,
      tier: q.tier,
    };
    return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as MetricsFilter;
  }

  /**
   * Whose calls the user's figures count: a supervisor who sees some teams only (src/people), those
   * teams' agents; anyone else (QA, a supervisor of all teams), everyone — undefined.
   */
  agentsInScope(user?: AuthUser): Promise<string[] | undefined> {
    return user?.role === 'supervisor' ? this.agentsSeenBy(user.sub) : Promise.resolve(undefined);
  }

  /** The agents of the supervisor's teams; undefined when they see all teams. */
  private async agentsSeenBy(supervisorId: string): Promise<string[] | undefined> {
    const sql = sqlPort(this.dataSource);
    const rows = await sql.all<{ supervises: string }>('SELECT supervises FROM users WHERE id = ?', [supervisorId]);
    const teams = parseSupervises(rows[0]?.supervises ?? 'all');
    if (teams === 'all') return undefined;
    if (!teams.length) return [];
    const agents = await sql.all<{ id: string }>(`SELECT id FROM users WHERE role = 'agent' AND team_id IN (${teams.map(() => '?').join(', ')})`, teams);
    return agents.map((a) => a.id).sort();
  }
}
