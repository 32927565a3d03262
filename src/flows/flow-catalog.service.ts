import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { FlowDefinition, LocalizedText } from './flow-definition';
import { type CompiledFlow, compileFlow, FlowLoadError, loadFlowDirectory } from './flow-loader';
import { FlowVersionEntity } from './flow-version.entity';
import { loadMatrixFile, type MarketingMatrix, parseMatrix } from './marketing-matrix';
import { MatrixVersionEntity } from './matrix-version.entity';
import type { FlowResolver } from './flow-resolver';
import { createRegistry, type FlowRegistry } from './registry/registry';
import { delayImplementations } from './registry/delays';

/**
 * The flows a call can run on. Files in FLOWS_DIR are loaded and checked at boot (a bad file stops
 * the server); each version is frozen in `flow_versions` the first time it is seen, so a call, its
 * recovery and its replay always use the exact definition it started on.
 */
@Injectable()
export class FlowCatalog implements OnModuleInit, FlowResolver {
  private readonly logger = new Logger(FlowCatalog.name);
  private readonly compiled = new Map<string, CompiledFlow>();
  private readonly latest = new Map<string, CompiledFlow>();
  private readonly matrices: { createdAt: string; matrix: MarketingMatrix }[] = [];
  /** Every frozen version by flow id, oldest first, with when it was frozen. */
  private readonly history = new Map<string, { createdAt: string; flow: CompiledFlow }[]>();
  readonly registry: FlowRegistry;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.registry = createRegistry(delayImplementations(config));
  }

  async onModuleInit(): Promise<void> {
    const dir = path.resolve(this.config.FLOWS_DIR);
    const flows = loadFlowDirectory(dir, this.registry);
    const repo = this.dataSource.getRepository(FlowVersionEntity);
    for (const flow of flows) {
      const { id, version } = flow.definition;
      const frozen = await repo.findOneBy({ flowId: id, version });
      if (frozen && frozen.hash !== flow.hash) {
        throw new FlowLoadError(flow.source, [
          { path: '$.version', message: `${id} version ${version} was already used with different content; give the changed flow a new version` },
        ]);
      }
      if (!frozen) {
        await repo.insert({ flowId: id, version, hash: flow.hash, definition: JSON.stringify(flow.definition), source: path.relative(process.cwd(), flow.source), createdAt: new Date().toISOString() });
      }
      this.compiled.set(key(id, version), flow);
      const current = this.latest.get(id);
      if (!current || current.definition.version < version) this.latest.set(id, flow);
    }
    for (const row of await repo.find({ order: { flowId: 'ASC', version: 'ASC' } })) {
      const flow = this.compiled.get(key(row.flowId, row.version)) ?? compileFlow(JSON.parse(row.definition), this.registry, `flow_versions(${row.flowId}@${row.version})`);
      this.compiled.set(key(row.flowId, row.version), flow);
      const versions = this.history.get(row.flowId) ?? [];
      versions.push({ createdAt: row.createdAt, flow });
      this.history.set(row.flowId, versions);
    }
    await this.loadMatrix();
    this.logger.log(`loaded ${flows.length} flow(s): ${flows.map((f) => `${f.definition.id}@${f.definition.version}`).join(', ')}`);
  }

  private async loadMatrix(): Promise<void> {
    const file = path.resolve(this.config.MATRIX_FILE);
    const repo = this.dataSource.getRepository(MatrixVersionEntity);
    const { matrix, hash } = loadMatrixFile(file);
    const problems = matrix.points.flatMap((point, i) => {
      const state = this.latest.get(point.flowId)?.definition.machine.states[point.stepId];
      if (!state) return [{ path: `$.points[${i}]`, message: `no step ${point.flowId}/${point.stepId}` }];
      if (state.meta?.offersFrom !== 'matrix') return [{ path: `$.points[${i}]`, message: `step ${point.flowId}/${point.stepId} does not take its offers from the matrix (meta.offersFrom)` }];
      return [];
    });
    if (problems.length) throw new FlowLoadError(file, problems);
    const frozen = await repo.findOneBy({ version: matrix.version });
    if (frozen && frozen.hash !== hash) {
      throw new FlowLoadError(file, [{ path: '$.version', message: `matrix version ${matrix.version} was already used with different content; give it a new version` }]);
    }
    if (!frozen) await repo.insert({ version: matrix.version, hash, definition: JSON.stringify(matrix), createdAt: new Date().toISOString() });
    for (const row of await repo.find({ order: { version: 'ASC' } })) {
      this.matrices.push({ createdAt: row.createdAt, matrix: parseMatrix(JSON.parse(row.definition), `matrix_versions(${row.version})`).matrix });
    }
  }

  /** The matrix in force at `at` (FlowResolver). */
  matrix(at: string): MarketingMatrix | null {
    const inForce = this.matrices.filter((m) => m.createdAt <= at);
    return inForce.length ? inForce.reduce((a, b) => (b.matrix.version > a.matrix.version ? b : a)).matrix : null;
  }

  list(): FlowDefinition[] {
    return [...this.latest.values()].map((f) => f.definition);
  }

  /** The version new calls start on. */
  current(flowId: string): CompiledFlow {
    const flow = this.latest.get(flowId);
    if (!flow) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    return flow;
  }

  /** A specific version, from the frozen copy if its file is gone. */
  exact(flowId: string, version: number): CompiledFlow {
    const flow = this.compiled.get(key(flowId, version));
    if (!flow) throw new AppError('NOT_FOUND', `No flow '${flowId}' version ${version}`);
    return flow;
  }

  async version(flowId: string, version: number): Promise<CompiledFlow> {
    return this.exact(flowId, version);
  }

  /** The version a business started at `at` runs on: the newest frozen by then (FlowResolver). */
  at(flowId: string, at: string): CompiledFlow | null {
    const versions = (this.history.get(flowId) ?? []).filter((v) => v.createdAt <= at);
    return versions.length ? versions.reduce((a, b) => (b.flow.definition.version > a.flow.definition.version ? b : a)).flow : null;
  }

  hangUp(at: string): CompiledFlow | null {
    const ids = [...this.history.keys()].sort();
    for (const id of ids) {
      const flow = this.at(id, at);
      if (flow?.definition.kind === 'hang-up') return flow;
    }
    return null;
  }

  titleOf(flowId: string): LocalizedText | null {
    return this.latest.get(flowId)?.definition.title ?? null;
  }

  /** The businesses an agent can move a call to (for the "another business" choice). */
  businesses(): FlowDefinition[] {
    return this.list().filter((f) => (f.kind ?? 'business') === 'business');
  }
}

const key = (id: string, version: number) => `${id}@${version}`;
