import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { type CompiledFlow, FlowLoadError } from './flow-loader';
import { loadMatrixFile, type MarketingMatrix, parseMatrix } from './marketing-matrix';
import { MatrixVersionEntity } from './matrix-version.entity';
import { matrixOfferProblems } from './offer-targets';

/** What the catalogue tells the matrix about a flow at a time: its compiled version in force, if any loads. */
export interface FlowsInForce {
  flow(flowId: string, at: string): CompiledFlow | null;
  /** The version in force even when it does not load (reported by the catalogue, not the matrix's fault). */
  version(flowId: string, at: string): number | null;
  isBusiness(flowId: string): boolean;
  /** Every version of the flow calls may run on (ever in force), compiled. */
  versions(flowId: string): CompiledFlow[];
}

/**
 * The marketing matrix's versions, as the flow catalogue keeps them: MATRIX_FILE is checked against the
 * flows in force at boot (a bad file stops the server like a bad flow file) and frozen in
 * `matrix_versions`; a call's offers come from the version in force when it started.
 */
export class MatrixHistory {
  private readonly versions: { createdAt: string; matrix: MarketingMatrix }[] = [];
  private readonly logger = new Logger(MatrixHistory.name);

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async load(flows: FlowsInForce): Promise<void> {
    const file = path.resolve(this.config.MATRIX_FILE);
    const repo = this.dataSource.getRepository(MatrixVersionEntity);
    const { matrix, hash } = loadMatrixFile(file);
    const now = new Date().toISOString();
    const problems = matrix.points.flatMap((point, i) => {
      const flow = flows.flow(point.flowId, now);
      // The flow is in force but its stored version does not load: reported already; the file is not at fault.
      if (!flow && flows.version(point.flowId, now) !== null) return [];
      let state = flow?.definition.machine.states[point.stepId];
      if (!state) {
        // A supervisor published a version without the step: the point stays for the calls on versions that have it (data saved
        // through the product never stops the boot); a step in no version is the file's mistake.
        state = flows
          .versions(point.flowId)
          .map((v) => v.definition.machine.states[point.stepId])
          .findLast((s) => s !== undefined);
        if (!state) return [{ path: `$.points[${i}]`, message: `no step ${point.flowId}/${point.stepId}` }];
        this.logger.warn(`${file}: $.points[${i}]: ${point.flowId}/${point.stepId} is not a step of the version in force; it applies to calls on versions that have it`);
      }
      if (state.meta?.offersFrom !== 'matrix') return [{ path: `$.points[${i}]`, message: `step ${point.flowId}/${point.stepId} does not take its offers from the matrix (meta.offersFrom)` }];
      return [];
    });
    problems.push(...matrixOfferProblems(matrix, (id) => flows.isBusiness(id)));
    if (problems.length) throw new FlowLoadError(file, problems);
    const frozen = await repo.findOneBy({ version: matrix.version });
    if (frozen && frozen.hash !== hash) {
      throw new FlowLoadError(file, [{ path: '$.version', message: `matrix version ${matrix.version} was already used with different content; give it a new version` }]);
    }
    if (!frozen) await repo.insert({ version: matrix.version, hash, definition: JSON.stringify(matrix), createdAt: this.takesEffect(await repo.count()) });
    await this.catchUp();
  }

  /**
   * When a matrix frozen now comes into force. A call's offers come from the matrix in force when it
   * started, so every node must know a version before it applies: on PostgreSQL (several nodes) it
   * takes effect one safety poll (FLOW_SYNC_POLL_MS) and a second after it is frozen, by which time
   * each node has read it even if it missed the notification. SQLite, or the first matrix ever (no
   * call can have used another): at once.
   */
  private takesEffect(versionsBefore: number): string {
    const delayMs = this.config.usesPostgres && versionsBefore > 0 ? this.config.FLOW_SYNC_POLL_MS + 1_000 : 0;
    return new Date(Date.now() + delayMs).toISOString();
  }

  /**
   * Matrix versions frozen since this node last looked — by another node started with a newer
   * MATRIX_FILE (several nodes on PostgreSQL): the matrix in force at a time is the hotline's, so a
   * call that began on that node under the new matrix replays the same here. Returns how many.
   */
  async catchUp(): Promise<number> {
    const known = this.versions.reduce((max, m) => Math.max(max, m.matrix.version), 0);
    const rows = await this.dataSource.getRepository(MatrixVersionEntity).find({ where: { version: MoreThan(known) }, order: { version: 'ASC' } });
    for (const row of rows) {
      this.versions.push({ createdAt: row.createdAt, matrix: parseMatrix(JSON.parse(row.definition), `matrix_versions(${row.version})`).matrix });
    }
    return rows.length;
  }

  /** The matrix in force at `at`. */
  at(at: string): MarketingMatrix | null {
    const inForce = this.versions.filter((m) => m.createdAt <= at);
    return inForce.length ? inForce.reduce((a, b) => (b.matrix.version > a.matrix.version ? b : a)).matrix : null;
  }
}
