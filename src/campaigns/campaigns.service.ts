import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Campaign, CampaignBrand, CampaignRequest, CampaignResult } from '../../protocol/campaigns';
import type { AuthUser } from '../auth/auth-user';
import { FlowAuthoring } from '../authoring/flow-authoring.service';
import { AppError } from '../common/app-error';
import { sqlGet, sqlPort } from '../common/sql-port';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { delayImplementations } from '../flows/registry/delays';
import { versionDoesNotLoad } from '../flows/stored-version';
import { DEFAULT_QUOTA } from './campaign-sample';
import { CampaignThread } from './campaign-thread';

/** Campaigns listed per version, newest first. */
const LISTED = 20;

interface CampaignRow {
  id: number | string;
  flow_id: string;
  flow_version: number | string;
  calls: number | string;
  quota: string;
  seed: number | string;
  requested_by: string;
  started_at: string;
  finished_at: string;
  result: string;
}

/**
 * Test dialling campaigns (issue 21 item 5, docs/CAMPAIGNS.md). A supervisor runs one against any
 * stored version of a business — a draft before it is submitted, the version in force — and the
 * result is kept with the version. The calls run on the campaign worker thread (CampaignThread), one
 * campaign at a time per node: a second while one runs is refused (RATE_LIMITED), not queued.
 */
@Injectable()
export class Campaigns implements OnModuleDestroy {
  private readonly thread: CampaignThread;
  private running = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly authoring: FlowAuthoring,
    private readonly catalog: FlowCatalog,
    private readonly config: AppConfig,
  ) {
    this.thread = new CampaignThread(config.CUSTOMERS_FILE);
  }

  onModuleDestroy(): Promise<void> {
    return this.thread.close();
  }

  private get sql() {
    return sqlPort(this.dataSource);
  }

  async start(user: AuthUser, request: CampaignRequest): Promise<Campaign> {
    const quota = request.quota ?? DEFAULT_QUOTA;
    if (quota.gotone + quota.easyown + quota.mzone <= 0) {
      throw new AppError('VALIDATION_FAILED', 'The quota names no brand', [{ field: 'quota', problems: ['at least one share above 0'] }]);
    }
    const stored = await this.authoring.stored(request.flowId, request.version);
    if (this.running) throw new AppError('RATE_LIMITED', 'A campaign is running on this node; try again when it ends');
    this.running = true;
    try {
      const startedAt = new Date().toISOString();
      const seed = request.seed ?? 1;
      const outcome = await this.thread.run({
        flowId: request.flowId,
        version: request.version,
        definition: stored.text,
        inForce: this.catalog.list().map((d) => JSON.stringify(d)),
        matrix: this.catalog.matrix(startedAt),
        delays: delayImplementations(this.config),
        calls: request.calls,
        quota,
        seed,
      });
      if (!outcome.ok) throw versionDoesNotLoad(request.flowId, request.version, outcome.problems);
      const row = { flowId: request.flowId, version: request.version, calls: request.calls, quota, seed, requestedBy: user.username, startedAt };
      const finishedAt = new Date().toISOString();
      const { result } = outcome;
      const inserted = await this.sql.transaction(function* () {
        return (yield* sqlGet<{ id: number | string }>(
          `INSERT INTO campaigns (flow_id, flow_version, calls, quota, seed, requested_by, started_at, finished_at, runs, successes, result)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          [
            row.flowId,
            row.version,
            row.calls,
            JSON.stringify(quota),
            seed,
            row.requestedBy,
            startedAt,
            finishedAt,
            result.runs,
            result.successes,
            JSON.stringify(result),
          ],
        ))!;
      });
      return { id: Number(inserted.id), ...row, finishedAt, result };
    } finally {
      this.running = false;
    }
  }

  async list(flowId: string, version?: number): Promise<Campaign[]> {
    const rows = await this.sql.all<CampaignRow>(
      `SELECT * FROM campaigns WHERE flow_id = ?${version === undefined ? '' : ' AND flow_version = ?'} ORDER BY id DESC LIMIT ${LISTED}`,
      version === undefined ? [flowId] : [flowId, version],
    );
    return rows.map(campaignOf);
  }

  async get(id: number): Promise<Campaign> {
    const row = await this.sql.get<CampaignRow>(`SELECT * FROM campaigns WHERE id = ?`, [id]);
    if (!row) throw new AppError('NOT_FOUND', `No campaign ${id}`);
    return campaignOf(row);
  }
}

function campaignOf(r: CampaignRow): Campaign {
  return {
    id: Number(r.id),
    flowId: r.flow_id,
    version: Number(r.flow_version),
    calls: Number(r.calls),
    quota: JSON.parse(r.quota) as Record<CampaignBrand, number>,
    seed: Number(r.seed),
    requestedBy: r.requested_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: JSON.parse(r.result) as CampaignResult,
  };
}
