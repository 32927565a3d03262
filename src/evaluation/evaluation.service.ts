import { Inject, Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import type { EvaluationModel, EvaluationScores, GroupScores, OtherNeed, Quadrant, QuadrantData, QuadrantPoint } from '../../protocol/evaluation';
import type { AuthUser } from '../auth/auth-user';
import { sqlPort } from '../common/sql-port';
import { readerSqlPort } from '../common/sqlite-reader';
import { AppConfig } from '../config/app-config';
import { MetricsService, type MetricsFilter, type MetricsQuery } from '../metrics';
import type { ScoresQuery } from './dto/evaluation-query.dto';
import { loadEvaluationModel } from './evaluation-model';
import { EvaluationQueries, type Grouping, TOTAL } from './evaluation-queries';
import type { GroupFigures } from './formulas';
import { SATISFACTION_FIGURES, type SatisfactionFigures } from './satisfaction-source';
import { scoreGroup } from './scoring';

const NO_TEAM = 'no-team';
const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** The evaluation model in force (loaded at boot: an invalid file stops the server) and its scores over the metrics. */
@Injectable()
export class EvaluationService {
  readonly model: EvaluationModel;
  readonly hash: string;
  private q?: EvaluationQueries;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    @Inject(SATISFACTION_FIGURES) private readonly satisfaction: SatisfactionFigures,
    config: AppConfig,
  ) {
    ({ model: this.model, hash: this.hash } = loadEvaluationModel(path.resolve(config.EVALUATION_MODEL_FILE)));
  }

  /** On SQLite on the read thread, like the metrics' rollup queries. */
  private get queries(): EvaluationQueries {
    return (this.q ??= new EvaluationQueries(readerSqlPort(this.dataSource), this.satisfaction));
  }

  private async figures(q: MetricsQuery, user: AuthUser | undefined, by: Grouping): Promise<{ f: MetricsFilter; figures: Map<string, GroupFigures> }> {
    const f = await this.metrics.filter(q, user);
    const teams = by === 'team' ? await this.teams() : new Map<string, string>();
    return { f, figures: await this.queries.figures(f, by, this.metrics.fcrDays(q), (agentId) => teams.get(agentId) ?? NO_TEAM) };
  }

  async scores(q: ScoresQuery, user?: AuthUser): Promise<EvaluationScores> {
    const total = (await this.figures(q, user, 'total')).figures.get(TOTAL) ?? {};
    const { figures } = await this.figures(q, user, q.by);
    const teamNames = q.by === 'team' ? await this.teamNames() : null;
    const group = (key: string, g: GroupFigures): GroupScores => ({
      key,
      ...(teamNames && key !== TOTAL ? { name: teamNames.get(key) ?? null } : {}),
      calls: g.flows?.calls ?? 0,
      ...scoreGroup(this.model, g),
    });
    return {
      modelVersion: this.model.version,
      by: q.by,
      total: group(TOTAL, total),
      groups: [...figures.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => group(key, g)),
    };
  }

  /**
   * Importance × satisfaction per business (docs/EVALUATION.md §4): importance = the stage's weight ×
   * the business's share of the stage's segments; satisfaction = the model's satisfaction indicator
   * when any business has replies, else its fallback dimension's score.
   */
  async quadrant(q: MetricsQuery, user?: AuthUser): Promise<QuadrantData> {
    const { figures } = await this.figures(q, user, 'business');
    const { satisfactionIndicator, fallbackDimension, satisfactionSplit } = this.model.quadrant;
    const scored = new Map([...figures.entries()].map(([flowId, g]) => [flowId, { g, s: scoreGroup(this.model, g) }]));
    const bySatisfaction = [...scored.values()].some(({ s }) => s.indicators.find((x) => x.id === satisfactionIndicator)?.status === 'ok');
    const satisfactionOf = (flowId: string): number | null => {
      const s = scored.get(flowId)?.s;
      if (!s) return null;
      return bySatisfaction
        ? (s.indicators.find((x) => x.id === satisfactionIndicator)?.value ?? null)
        : (s.dimensions.find((d) => d.id === fallbackDimension)?.score ?? null);
    };
    const segmentsOf = (flowId: string) => scored.get(flowId)?.g.flows?.segments ?? 0;
    const points: Omit<QuadrantPoint, 'quadrant'>[] = [];
    const stages = this.model.stages.map((st) => {
      const flows = st.flows.filter((id) => segmentsOf(id) > 0);
      const calls = flows.reduce((t, id) => t + segmentsOf(id), 0);
      for (const flowId of flows)
        points.push({
          flowId,
          stage: st.id,
          calls: segmentsOf(flowId),
          importance: round((st.weight * segmentsOf(flowId)) / calls, 4),
          satisfaction: satisfactionOf(flowId),
        });
      const rated = flows.filter((id) => satisfactionOf(id) !== null);
      const n = rated.reduce((t, id) => t + segmentsOf(id), 0);
      return {
        id: st.id,
        weight: st.weight,
        calls,
        satisfaction: n > 0 ? round(rated.reduce((t, id) => t + satisfactionOf(id)! * segmentsOf(id), 0) / n, 1) : null,
      };
    });
    const importanceSplit = points.length ? round(points.reduce((t, p) => t + p.importance, 0) / points.length, 4) : 0;
    const quadrantOf = (p: Omit<QuadrantPoint, 'quadrant'>): Quadrant | null => {
      if (p.satisfaction === null) return null;
      const important = p.importance >= importanceSplit;
      const satisfied = p.satisfaction >= satisfactionSplit;
      return important ? (satisfied ? 'keep-up' : 'fix-first') : satisfied ? 'surplus' : 'watch';
    };
    return {
      satisfactionSource: bySatisfaction ? 'satisfaction' : 'perception',
      importanceSplit,
      satisfactionSplit,
      stages,
      points: points.map((p) => ({ ...p, quadrant: quadrantOf(p) })),
    };
  }

  /** The "other" needs at ask-need with the words the agent typed, newest first (at most `limit`). */
  async otherNeeds(q: MetricsQuery, user: AuthUser | undefined, limit: number): Promise<OtherNeed[]> {
    return this.queries.otherNeeds(await this.metrics.filter(q, user), limit);
  }

  private async teamNames(): Promise<Map<string, string>> {
    const rows = await sqlPort(this.dataSource).all<{ id: string; name: string }>('SELECT id, name FROM teams');
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Agent → team (users.team_id, the agent's team now); agents without a team are "no-team". */
  private async teams(): Promise<Map<string, string>> {
    const rows = await sqlPort(this.dataSource).all<{ id: string; team: string | null }>(`SELECT id, team_id AS team FROM users WHERE role = 'agent'`);
    return new Map(rows.map((r) => [r.id, r.team ?? NO_TEAM]));
  }
}
