import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sqlPort } from '../common/sql-port';
import { FlowCatalog } from '../flows/flow-catalog.service';
import type { MetricsQuery } from './dto/metrics-query.dto';
import type { MetricsFilter } from './metrics-filter';
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

  get queries(): MetricsQueries {
    return (this.q ??= new MetricsQueries(sqlPort(this.dataSource), (flowId) => {
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

  /** An unknown agent username matches no rows (not an error: a filter that finds nothing). */
  async filter(q: MetricsQuery): Promise<MetricsFilter> {
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
      brand: q.brand,
      tier: q.tier,
    };
    return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as MetricsFilter;
  }
}
