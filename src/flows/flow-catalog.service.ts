import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, MoreThan } from 'typeorm';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { FlowDefinition, LocalizedText } from './flow-definition';
import { type CompiledFlow, FlowLoadError, loadFlowDirectory } from './flow-loader';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowPublicationEntity } from './flow-publication.entity';
import { flowForRegion } from './regional-variant';
import type { MarketingMatrix } from './marketing-matrix';
import { MatrixHistory } from './matrix-history';
import { flowOfferProblems } from './offer-targets';
import type { FlowResolver } from './flow-resolver';
import { createRegistry, type FlowRegistry } from './registry/registry';
import { delayImplementations } from './registry/delays';
import { flowUnavailable, loadStoredVersion, type StoredLoad, storedSource, type VersionNotLoading } from './stored-version';

/**
 * The flows a call can run on. Files in FLOWS_DIR are loaded and checked at boot (a bad file stops
 * the server) and seed the versions: a file version not seen before is frozen in `flow_versions`
 * and published. From then on supervisors author new versions (src/authoring); which version new
 * calls get is the history of publications, so a call, its recovery and its replay always resolve
 * the exact version (and regional variant) it started on.
 */
@Injectable()
export class FlowCatalog implements OnModuleInit, FlowResolver {
  private readonly logger = new Logger(FlowCatalog.name);
  private readonly compiled = new Map<string, CompiledFlow>();
  /**
   * Versions calls may need (ever published) that loaded at boot but are not in force: their stored
   * definition, compiled on first use and kept from then on. A hotline's history holds thousands of
   * versions (~56 KB of heap each compiled); a day's calls run on a few of them.
   */
  private readonly uncompiled = new Map<string, StoredDefinition>();
  /** Stored versions that do not load, by `flowId@version`. */
  private readonly notLoading = new Map<string, VersionNotLoading>();
  private readonly matrices: MatrixHistory;
  /** Publications by flow id, oldest first: from `at` on, new calls run on `version`. */
  private readonly publications = new Map<string, { at: string; version: number }[]>();
  /** The newest `flow_publications` row this node has applied (catchUp reads only newer ones). */
  private lastPublicationId = 0;
  /** What is in force now, worked out once per change (every view names the businesses and titles). */
  private inForceNow?: InForce;
  readonly registry: FlowRegistry;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.registry = createRegistry(delayImplementations(config));
    this.matrices = new MatrixHistory(config, dataSource);
  }

  async onModuleInit(): Promise<void> {
    const dir = path.resolve(this.config.FLOWS_DIR);
    const flows = loadFlowDirectory(dir, this.registry);
    await this.dataSource.transaction(async (manager) => {
      const versions = manager.getRepository(FlowVersionEntity);
      const publications = manager.getRepository(FlowPublicationEntity);
      for (const flow of flows) {
        const { id, version } = flow.definition;
        const frozen = await versions.findOneBy({ flowId: id, version });
        if (frozen && frozen.hash !== flow.hash) {
          throw new FlowLoadError(flow.source, [
            { path: '$.version', message: `${id} version ${version} was already used with different content; give the changed flow a new version` },
          ]);
        }
        if (frozen) continue;
        const now = new Date().toISOString();
        await versions.insert({
          flowId: id, version, hash: flow.hash, definition: JSON.stringify(flow.definition), source: path.relative(process.cwd(), flow.source),
          createdAt: now, updatedAt: now, status: 'published', createdBy: 'system:files', basedOn: null,
        });
        // A newer file version seeds a publication; an older one (supervisors published past it) is only kept.
        const newest = await versions.createQueryBuilder('v').where('v.flowId = :id AND v.status IN (:...s)', { id, s: ['published', 'retired'] }).orderBy('v.version', 'DESC').getOne();
        if (newest!.version === version) await publications.insert({ flowId: id, version, publishedAt: now, publishedBy: 'system:files', action: 'seed' });
      }
    });
    await this.loadStoredVersions(flows);
    for (const p of await this.dataSource.getRepository(FlowPublicationEntity).find({ order: { publishedAt: 'ASC', id: 'ASC' } })) {
      this.addPublication(p.flowId, p.version, p.publishedAt);
      this.lastPublicationId = Math.max(this.lastPublicationId, p.id);
    }
    // Every offer must open a business that exists (the files: a bad one stops the boot like any file fault).
    for (const flow of flows) {
      const problems = flowOfferProblems(flow.definition, this.isBusiness);
      if (problems.length) throw new FlowLoadError(flow.source, problems);
    }
    await this.matrices.load({
      flow: (id, at) => this.inForce(id, at),
      version: (id, at) => this.inForceVersion(id, at),
      isBusiness: this.isBusiness,
      versions: (id) => this.allVersions(id),
    });
    this.logger.log(`in force: ${this.list().map((f) => `${f.id}@${f.version}`).join(', ')}`);
    for (const id of this.publications.keys()) {
      const version = this.publishedVersion(id);
      if (version !== null && !this.inForce(id, new Date().toISOString())) this.logger.error(`${id} version ${version} is in force but does not load: new calls on ${id} are refused (FLOW_UNAVAILABLE)`);
    }
  }

  /**
   * Keeps the versions calls may need — the ones ever in force (live and recoverable calls ran on
   * them, replay reads them) — and checks every other stored version too. A stored version that does
   * not load (a draft saved half-done, one written by an older release) is reported and skipped:
   * data saved through the product never stops the boot. Only the files in FLOWS_DIR do.
   */
  private async loadStoredVersions(files: CompiledFlow[]): Promise<void> {
    const rows = await this.dataSource.getRepository(FlowVersionEntity).find({ order: { flowId: 'ASC', version: 'ASC' } });
    const publications = await this.dataSource.getRepository(FlowPublicationEntity).find({ select: { flowId: true, version: true } });
    const everPublished = new Set(publications.map((p) => key(p.flowId, p.version)));
    const fromFiles = new Map(files.map((f) => [key(f.definition.id, f.definition.version), f]));
    for (const row of rows) {
      const k = key(row.flowId, row.version);
      const needed = everPublished.has(k) || row.status === 'published';
      const loaded: StoredLoad = fromFiles.has(k) ? { ok: true, flow: fromFiles.get(k)! } : loadStoredVersion(row, this.registry);
      if (loaded.ok) {
        // In force (or the files' own): kept compiled; once in force: compiled again when a call needs it.
        if (needed && (row.status === 'published' || fromFiles.has(k))) this.compiled.set(k, loaded.flow);
        else if (needed) this.uncompiled.set(k, { flowId: row.flowId, version: row.version, definition: row.definition, status: row.status });
        continue;
      }
      this.notLoading.set(k, { flowId: row.flowId, version: row.version, status: row.status, everPublished: needed, problems: loaded.problems });
      const why = loaded.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join(' / ');
      const more = loaded.problems.length > 3 ? ` / ${loaded.problems.length - 3} more` : '';
      const line = `${storedSource(row.flowId, row.version)} (${row.status}) does not load and is skipped: ${why}${more}`;
      if (needed) this.logger.error(`${line}; calls on it are refused until it is fixed`);
      else this.logger.warn(line);
    }
  }

  /** A version calls may need, compiled now if it has not been since boot. */
  private compiledVersion(k: string): CompiledFlow | undefined {
    const ready = this.compiled.get(k);
    if (ready) return ready;
    const stored = this.uncompiled.get(k);
    if (!stored) return undefined;
    this.uncompiled.delete(k);
    // It loaded at boot, on this code and registry; should it not now, it is reported like any version that does not load.
    const loaded = loadStoredVersion(stored, this.registry);
    if (!loaded.ok) {
      this.notLoading.set(k, { flowId: stored.flowId, version: stored.version, status: stored.status, everPublished: true, problems: loaded.problems });
      return undefined;
    }
    this.compiled.set(k, loaded.flow);
    return loaded.flow;
  }

  /** Every version of a flow calls may need, oldest first (compiling those not compiled yet: the matrix's boot check only). */
  private allVersions(flowId: string): CompiledFlow[] {
    for (const [k, stored] of [...this.uncompiled]) if (stored.flowId === flowId) this.compiledVersion(k);
    return [...this.compiled.values()].filter((f) => f.definition.id === flowId).sort((a, b) => a.definition.version - b.definition.version);
  }

  /** Stored versions that do not load (found at boot, kept current by the authoring service). */
  versionsNotLoading(): VersionNotLoading[] {
    return [...this.notLoading.values()];
  }

  /** Why a version does not load, if it does not. */
  notLoadingVersion(flowId: string, version: number): VersionNotLoading | undefined {
    return this.notLoading.get(key(flowId, version));
  }

  /** What the authoring service found when it last loaded a stored version (every save and state change). */
  recordLoadState(state: VersionNotLoading | { flowId: string; version: number; loads: true }): void {
    const k = key(state.flowId, state.version);
    if ('loads' in state) this.notLoading.delete(k);
    else this.notLoading.set(k, state);
  }

  /** A version the authoring service has just published (or republished): from `at` on, new calls get it. */
  published(flow: CompiledFlow, at: string): void {
    const { id, version } = flow.definition;
    this.compiled.set(key(id, version), flow);
    this.uncompiled.delete(key(id, version));
    this.notLoading.delete(key(id, version));
    this.addPublication(id, version, at);
  }

  /**
   * Publications (and matrix versions) made by another node on the same database since the last
   * look (FlowSync calls this when PostgreSQL notifies one, and every few seconds): they come into
   * force here too. Returns how many were new to this node.
   */
  async catchUp(): Promise<number> {
    let added = await this.matrices.catchUp();
    const rows = await this.dataSource
      .getRepository(FlowPublicationEntity)
      .find({ where: { id: MoreThan(this.lastPublicationId) }, order: { id: 'ASC' } });
    for (const p of rows) {
      this.lastPublicationId = Math.max(this.lastPublicationId, p.id);
      const k = key(p.flowId, p.version);
      if (!this.compiled.has(k) && !this.uncompiled.has(k)) {
        const row = await this.dataSource.getRepository(FlowVersionEntity).findOneBy({ flowId: p.flowId, version: p.version });
        const loaded = row ? loadStoredVersion(row, this.registry) : null;
        if (loaded?.ok) this.compiled.set(k, loaded.flow);
        else if (row && loaded && !loaded.ok) this.notLoading.set(k, { flowId: row.flowId, version: row.version, status: row.status, everPublished: true, problems: loaded.problems });
      }
      if (this.addPublication(p.flowId, p.version, p.publishedAt)) added++;
    }
    return added;
  }

  /** Adds a publication unless it is known (this node's own, seen again through catchUp); kept in time order. */
  private addPublication(flowId: string, version: number, at: string): boolean {
    const list = this.publications.get(flowId) ?? [];
    if (list.some((p) => p.at === at && p.version === version)) return false;
    list.push({ at, version });
    list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    this.publications.set(flowId, list);
    this.inForceNow = undefined;
    return true;
  }

  /** The definitions in force now: kept until a publication is added or the next one already made takes effect. */
  private now(): InForce {
    const nowMs = Date.now();
    if (this.inForceNow && nowMs < this.inForceNow.untilMs) return this.inForceNow;
    const now = new Date(nowMs).toISOString();
    const list = [...this.publications.keys()].sort().flatMap((id) => this.inForce(id, now)?.definition ?? []);
    let until = Infinity;
    for (const history of this.publications.values()) for (const p of history) if (p.at > now) until = Math.min(until, Date.parse(p.at));
    this.inForceNow = {
      untilMs: until,
      list,
      businesses: list.filter((f) => (f.kind ?? 'business') === 'business'),
      titles: new Map(list.map((f) => [f.id, f.title])),
    };
    return this.inForceNow;
  }

  /** The matrix in force at `at` (FlowResolver). */
  matrix(at: string): MarketingMatrix | null {
    return this.matrices.at(at);
  }

  /** The definitions in force now (the published version of every flow). */
  list(): FlowDefinition[] {
    return [...this.now().list];
  }

  /** The version new calls start on now (base definition). */
  current(flowId: string): CompiledFlow {
    const now = new Date().toISOString();
    const version = this.inForceVersion(flowId, now);
    if (version === null) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    const flow = this.inForce(flowId, now);
    if (!flow) throw flowUnavailable(flowId, version);
    return flow;
  }

  /** A specific published (or once published) version, in the customer's regional variant (FlowResolver). */
  exact(flowId: string, version: number, region?: string | null): CompiledFlow {
    const flow = this.compiledVersion(key(flowId, version));
    if (!flow && this.notLoading.has(key(flowId, version))) throw flowUnavailable(flowId, version);
    if (!flow) throw new AppError('NOT_FOUND', `No flow '${flowId}' version ${version}`);
    return flowForRegion(flow, region, this.registry);
  }

  /** The version a call started at `at` runs on: the one published then (FlowResolver). */
  at(flowId: string, at: string, region?: string | null): CompiledFlow | null {
    const flow = this.inForce(flowId, at);
    return flow ? flowForRegion(flow, region, this.registry) : null;
  }

  /** The version published at `at` (whether it loads or not). */
  private inForceVersion(flowId: string, at: string): number | null {
    let version: number | null = null;
    for (const p of this.publications.get(flowId) ?? []) if (p.at <= at) version = p.version;
    return version;
  }

  /** The compiled version published at `at`; null when none is, or when it does not load (never an older one instead). */
  private inForce(flowId: string, at: string): CompiledFlow | null {
    const version = this.inForceVersion(flowId, at);
    return version === null ? null : (this.compiledVersion(key(flowId, version)) ?? null);
  }

  /** The version in force now (even one that does not load: it is still the one new calls would get), or null. */
  publishedVersion(flowId: string): number | null {
    return this.inForceVersion(flowId, new Date().toISOString());
  }

  hangUp(at: string, region?: string | null): CompiledFlow | null {
    for (const id of [...this.publications.keys()].sort()) {
      const flow = this.at(id, at, region);
      if (flow?.definition.kind === 'hang-up') return flow;
    }
    return null;
  }

  /**
   * Whether an accepted offer can open `flowId` now: a business flow is in force (one in force that
   * does not load counts — it is reported on its own, and new calls on it are refused until fixed).
   */
  readonly isBusiness = (flowId: string): boolean => {
    const now = new Date().toISOString();
    if (this.inForceVersion(flowId, now) === null) return false;
    const flow = this.inForce(flowId, now);
    return !flow || (flow.definition.kind ?? 'business') === 'business';
  };

  titleOf(flowId: string): LocalizedText | null {
    return this.now().titles.get(flowId) ?? null;
  }

  /** The businesses an agent can move a call to (for the "another business" choice); shared, read only. */
  businesses(): readonly FlowDefinition[] {
    return this.now().businesses;
  }
}

const key = (id: string, version: number) => `${id}@${version}`;

type StoredDefinition = Pick<FlowVersionEntity, 'flowId' | 'version' | 'definition' | 'status'>;

interface InForce {
  /** When the next publication already made takes effect (epoch ms): what is in force changes by itself then. */
  untilMs: number;
  list: FlowDefinition[];
  businesses: readonly FlowDefinition[];
  titles: Map<string, LocalizedText>;
}

