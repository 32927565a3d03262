import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { FlowDefinition } from './flow-definition';
import { type CompiledFlow, compileFlow, FlowLoadError, loadFlowDirectory } from './flow-loader';
import { FlowVersionEntity } from './flow-version.entity';
import { createRegistry, type FlowRegistry } from './registry/registry';
import { delayImplementations } from './registry/delays';

/**
 * The flows a call can run on. Files in FLOWS_DIR are loaded and checked at boot (a bad file stops
 * the server); each version is frozen in `flow_versions` the first time it is seen, so a call, its
 * recovery and its replay always use the exact definition it started on.
 */
@Injectable()
export class FlowCatalog implements OnModuleInit {
  private readonly logger = new Logger(FlowCatalog.name);
  private readonly compiled = new Map<string, CompiledFlow>();
  private readonly latest = new Map<string, CompiledFlow>();
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
    this.logger.log(`loaded ${flows.length} flow(s): ${flows.map((f) => `${f.definition.id}@${f.definition.version}`).join(', ')}`);
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
  async version(flowId: string, version: number): Promise<CompiledFlow> {
    const cached = this.compiled.get(key(flowId, version));
    if (cached) return cached;
    const frozen = await this.dataSource.getRepository(FlowVersionEntity).findOneBy({ flowId, version });
    if (!frozen) throw new AppError('NOT_FOUND', `No flow '${flowId}' version ${version}`);
    const flow = compileFlow(JSON.parse(frozen.definition), this.registry, `flow_versions(${flowId}@${version})`);
    this.compiled.set(key(flowId, version), flow);
    return flow;
  }
}

const key = (id: string, version: number) => `${id}@${version}`;
