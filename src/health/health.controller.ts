import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallLeases } from '../cluster';
import { Public } from '../auth/jwt-auth.guard';
import { CallEngine } from '../calls';
import { freshWithin, type Reading } from '../common/fresh-within';
import { AppConfig } from '../config/app-config';
import { readerSqlPort } from '../common/sqlite-reader';
import { type OutboxBacklog, outboxBacklog } from '../decision-log/call-outbox';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { quoteProblems } from '../flows/stored-version';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthSchema } from '../common/api-schemas/health';

/**
 * Liveness and what the server runs on. `degraded` (still 200: the rest of the hotline works) when
 * something calls need does not load — the version in force of a flow, a version calls ran on — or a
 * call in progress could not be recovered. Stored versions that do not load but no call needs (drafts,
 * withdrawn versions) are listed too, without degrading.
 */
@ApiTags('health')
@Controller('api/health')
export class HealthController {
  /**
   * The end-of-call backlog: a count over every pending outbox row — thousands after a peak, without
   * bound while the disk is full. On the main connection it held the agents' thread 13–14 ms at 17,000
   * rows, and anyone may poll this endpoint: so it is read on the read thread (SQLite; PostgreSQL's
   * queries leave the event loop anyway), one read at a time, the polls arriving meanwhile sharing it.
   * That thread also runs QA's searches and the dashboards: behind a long one, a poll is answered
   * after HEALTH_BACKLOG_WAIT_MS with the last backlog read and its time (`readAt`), never held until it ends.
   */
  private readonly endOfCallBacklog: () => Promise<Reading<OutboxBacklog>>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: CallEngine,
    private readonly catalog: FlowCatalog,
    private readonly leases: CallLeases,
    config: AppConfig,
  ) {
    this.endOfCallBacklog = freshWithin(() => outboxBacklog(readerSqlPort(this.dataSource)), config.HEALTH_BACKLOG_WAIT_MS);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and what the server runs on; `degraded` (still 200) when something calls need does not load' })
  @ApiOkResponse({ type: HealthSchema })
  async health() {
    await this.dataSource.query('SELECT 1');
    const versionsNotLoading = this.catalog.versionsNotLoading().map((v) => ({
      flowId: v.flowId,
      version: v.version,
      status: v.status,
      inForce: this.catalog.publishedVersion(v.flowId) === v.version,
      everPublished: v.everPublished,
      problems: quoteProblems(v.problems),
      problemCount: v.problems.length,
    }));
    const callsNotRecovered = this.engine.callsNotRecovered();
    const degraded = callsNotRecovered.length > 0 || versionsNotLoading.some((v) => v.inForce || v.everPublished);
    return {
      status: degraded ? 'degraded' : 'ok',
      database: 'ok',
      liveCalls: this.engine.liveCount,
      // Several nodes on PostgreSQL: which node answered, and the calls whose lease it holds.
      ...(this.leases.clustered ? { node: { id: this.leases.nodeId, incarnation: this.leases.incarnation, callsHeld: this.leases.heldCount } } : {}),
      flows: this.catalog.list().map((f) => `${f.id}@${f.version}`),
      // The marketing matrix version calls starting now take their offers from.
      matrixVersion: this.catalog.matrix(new Date().toISOString())?.version ?? null,
      versionsNotLoading,
      callsNotRecovered,
      // Ended calls whose QA checks and metrics the end-of-call worker has not written yet.
      endOfCall: await this.endOfCallBacklog().then(({ value, readAt }) => ({ ...value, readAt })),
    };
  }
}
