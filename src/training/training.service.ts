import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, IsNull } from 'typeorm';
import type { Certification, TrainingCallStarted, TrainingResult, TrainingRules } from '../../protocol/training';
import type { AuthUser } from '../auth/auth-user';
import { UserEntity } from '../auth/user.entity';
import { BackendPort } from '../backend/backend.port';
import type { CustomerProfile } from '../backend/customer';
import { type CustomerFixture, loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { CallEngine, callTrace } from '../calls';
import { runCallChecks } from '../qa/qa-checks';
import type { RunResult } from '../simulation/run-path';
import { AppError } from '../common/app-error';
import { sqlPort } from '../common/sql-port';
import { AppConfig } from '../config/app-config';
import { DecisionLog } from '../decision-log/decision-log';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { CallQa } from '../qa/call-qa.service';
import { loadScorecardForm, type ScorecardForm } from '../qa/scorecard-form';
import { scenariosOf, type TrainingScenario } from './scenarios';
import { scoreTraining, trainingForm } from './training-score';
import { TrainingCallEntity } from './training.entities';

/** The most training calls a standing lists, newest first (the certifications count them all). */
export const LISTED_RESULTS = 500;

/**
 * Training mode: a trainee takes simulated calls on the published businesses. A scenario (a
 * simulator customer and a path the coverage enumeration finds) is drawn, the call runs on the real
 * engine marked as training (kept out of operations metrics, the floor and QA samples), and once it
 * ends it is scored by the QA checks and the scenario's path. Certification per business: enough
 * passed scenarios. Scenarios come from the simulator's customers (CUSTOMERS_FILE).
 */
@Injectable()
export class Training implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Training.name);
  private readonly fixtures: CustomerFixture[];
  private readonly form: ScorecardForm;
  /** Scenarios per published version (`flow@version`), worked out once. */
  private readonly drawn = new Map<string, Promise<TrainingScenario[]>>();
  private stopListening?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: CallEngine,
    private readonly catalog: FlowCatalog,
    private readonly backend: BackendPort,
    private readonly qa: CallQa,
    private readonly log: DecisionLog,
    private readonly config: AppConfig,
  ) {
    this.fixtures = loadCustomerFixtures(path.resolve(config.CUSTOMERS_FILE));
    this.form = trainingForm(loadScorecardForm(path.resolve(config.SCORECARD_FILE)));
  }

  private get rows() {
    return this.dataSource.getRepository(TrainingCallEntity);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Only training calls are scored: every other call ending (hundreds a second on a busy floor) once
    // cost a read of training_calls on the main thread.
    this.stopListening = this.engine.onEnded(({ callId, training }) => void (training && this.scoreLogged(callId)));
    // Calls that ended while no node listened (a crash between the last event and the score).
    for (const row of await this.rows.find({ where: { endedAt: IsNull() } })) await this.scoreLogged(row.callId);
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  rules(): TrainingRules {
    return { passScore: this.config.TRAINING_PASS_SCORE, required: this.config.TRAINING_CERTIFY_AFTER, certifiedOnly: this.config.TRAINING_CERTIFIED_ONLY };
  }

  /** The scenarios of a published business (its version in force now). */
  scenarios(flowId: string): Promise<TrainingScenario[]> {
    const flow = this.catalog.current(flowId);
    if ((flow.definition.kind ?? 'business') !== 'business') throw new AppError('NOT_FOUND', `'${flowId}' is not a business`);
    const key = `${flowId}@${flow.definition.version}`;
    let drawn = this.drawn.get(key);
    if (!drawn) {
      drawn = this.draw(flowId);
      this.drawn.set(key, drawn);
      drawn.catch(() => this.drawn.delete(key));
    }
    return drawn;
  }

  private async draw(flowId: string): Promise<TrainingScenario[]> {
    const at = new Date().toISOString();
    const profiles = (await Promise.all(this.fixtures.map((f) => this.backend.lookupCustomer(f.msisdn)))).filter((p): p is CustomerProfile => !!p);
    const flow = this.catalog.at(flowId, at)!;
    const compliant = (run: RunResult) => !!run.progress && runCallChecks(callTrace(run.progress), this.qa.checks).every((c) => !c.applicable || c.passed);
    const drawn = await scenariosOf(flow, this.catalog, this.fixtures, profiles, (p) => this.catalog.at(flowId, at, p.region)!, compliant, new Date(at));
    return drawn.map((s) => s.scenario);
  }

  /** Starts a training call on a scenario of the business (the one named, else one drawn at random). */
  async start(user: AuthUser, flowId: string, scenarioId?: string): Promise<TrainingCallStarted> {
    // A training call runs real operations on its customer: only ever against the simulator.
    if (this.config.BACKEND !== 'simulator') throw new AppError('FORBIDDEN', 'Training calls need the simulator back end (BACKEND=simulator)');
    const scenarios = await this.scenarios(flowId);
    const scenario = scenarioId ? scenarios.find((s) => s.id === scenarioId) : scenarios[Math.floor(Math.random() * scenarios.length)];
    if (!scenario) throw new AppError('NOT_FOUND', scenarioId ? `No training scenario '${scenarioId}'` : `No training scenario for '${flowId}'`);
    const call = await this.engine.start(user, scenario.callerNumber, flowId, { training: scenario.id });
    await this.rows.save({
      callId: call.id,
      traineeId: user.sub,
      flowId,
      scenarioId: scenario.id,
      startedAt: call.progress.record.startedAt,
      endedAt: null,
      score: null,
      passed: null,
      detail: { scenario },
    });
    if (!call.active) await this.scoreLogged(call.id);
    return { callId: call.id, scenario };
  }

  /** Scores a training call that has ended (nothing for other calls or one already scored). */
  private async scoreLogged(callId: string): Promise<void> {
    try {
      const row = await this.rows.findOne({ where: { callId } });
      if (!row || row.endedAt || !row.detail) return;
      const call = await this.log.findCall(callId);
      if (!call || call.status === 'active') return;
      const { timeline, checks } = await this.qa.evaluate(call);
      const s = scoreTraining(row.detail.scenario, timeline.entries, call.status === 'completed', checks, this.form, this.config.TRAINING_PASS_SCORE);
      const detail = { ...row.detail, followed: s.followed, expected: s.expected, reachedEnd: s.reachedEnd, failedChecks: s.failedChecks };
      await this.rows.save({ ...row, endedAt: call.endedAt ?? new Date().toISOString(), score: s.score, passed: s.passed, detail });
    } catch (e) {
      this.logger.error(`training call ${callId} not scored: ${(e as Error).message}`);
    }
  }

  async result(user: AuthUser, callId: string): Promise<TrainingResult> {
    const row = await this.rows.findOne({ where: { callId } });
    if (!row) throw new AppError('NOT_FOUND', `No training call ${callId}`);
    if (row.traineeId !== user.sub && user.role !== 'supervisor') throw new AppError('FORBIDDEN', 'This training call is another trainee’s');
    return (await this.resultsOf([row]))[0];
  }

  /**
   * Calls and certifications: one trainee's, or everyone's (null). The calls are the newest
   * LISTED_RESULTS (from idx_training_calls_started); the certifications count every call ever, in
   * one aggregate — never every training call read and sent (6 MB, 242 ms of the main thread at 20,000).
   */
  async standing(traineeId: string | null): Promise<{ results: TrainingResult[]; certifications: Certification[] }> {
    const rows = await this.rows.find({ where: traineeId ? { traineeId } : {}, order: { startedAt: 'DESC' }, take: LISTED_RESULTS });
    const [results, certifications] = await Promise.all([this.resultsOf(rows), this.certificationsOf(traineeId)]);
    return { results, certifications };
  }

  /** Per trainee and business: the passed calls, certified from TRAINING_CERTIFY_AFTER on; by trainee's name, then business. */
  private async certificationsOf(traineeId: string | null): Promise<Certification[]> {
    const counts = await sqlPort(this.dataSource).all<{ traineeId: string; flowId: string; passed: number | string }>(
      `SELECT trainee_id AS "traineeId", flow_id AS "flowId", SUM(CASE WHEN passed THEN 1 ELSE 0 END) AS passed FROM training_calls
       ${traineeId ? 'WHERE trainee_id = ?' : ''} GROUP BY trainee_id, flow_id`,
      traineeId ? [traineeId] : [],
    );
    const names = await this.namesOf(counts.map((c) => c.traineeId));
    const required = this.config.TRAINING_CERTIFY_AFTER;
    return counts
      .map((c): Certification => {
        const passed = Number(c.passed);
        return { traineeId: c.traineeId, trainee: names.get(c.traineeId) ?? c.traineeId, flowId: c.flowId, passed, required, certified: passed >= required };
      })
      .sort((a, b) => a.trainee.localeCompare(b.trainee) || a.flowId.localeCompare(b.flowId));
  }

  private async namesOf(userIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    const users = ids.length
      ? await this.dataSource.getRepository(UserEntity).find({ where: ids.map((id) => ({ id })), select: { id: true, username: true } })
      : [];
    return new Map(users.map((u) => [u.id, u.username]));
  }

  /** The businesses the agent may be offered: null when all (the option is off, or not an agent). */
  async offered(user: AuthUser): Promise<Set<string> | null> {
    if (!this.config.TRAINING_CERTIFIED_ONLY || user.role !== 'agent') return null;
    const certifications = await this.certificationsOf(user.sub);
    return new Set(certifications.filter((c) => c.certified).map((c) => c.flowId));
  }

  /** Refuses a real call on a business the agent is not certified for (when the option is on). */
  async requireCertified(user: AuthUser, flowId: string): Promise<void> {
    const offered = await this.offered(user);
    if (!offered || offered.has(flowId)) return;
    const kind = this.catalog.list().find((f) => f.id === flowId)?.kind ?? 'business';
    if (kind !== 'business') return; // the hotline's entry and hang-up are not businesses one is certified for
    throw new AppError('FORBIDDEN', `You are not certified for '${flowId}' yet: pass its training scenarios first`);
  }

  private async resultsOf(rows: TrainingCallEntity[]): Promise<TrainingResult[]> {
    const names = await this.namesOf(rows.map((r) => r.traineeId));
    return rows.map((r) => ({
      callId: r.callId,
      traineeId: r.traineeId,
      trainee: names.get(r.traineeId) ?? r.traineeId,
      flowId: r.flowId,
      scenarioId: r.scenarioId,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      score: r.score,
      passed: r.passed === null ? null : !!r.passed,
      followed: r.detail?.followed ?? null,
      expected: r.detail?.expected ?? null,
      reachedEnd: r.detail?.reachedEnd ?? null,
      failedChecks: r.detail?.failedChecks ?? [],
    }));
  }
}
