import { Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import type { FlowVersions, VersionDetail, VersionSummary } from '../../protocol/authoring';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { FlowDefinition } from '../flows/flow-definition';
import { type CompiledFlow, hashDefinition } from '../flows/flow-loader';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { FlowPublicationEntity } from '../flows/flow-publication.entity';
import { FlowVersionEntity, type VersionStatus } from '../flows/flow-version.entity';
import { flowOfferProblems } from '../flows/offer-targets';
import { loadDefinition, loadStoredVersion, quoteProblems, versionDoesNotLoad } from '../flows/stored-version';
import { type Finding, checkDraft } from './checks/publish-checks';
import { loadPolicies, type PolicySet } from './checks/policies';
import { FlowAudit, type AuditAction } from './flow-audit.service';
import { flowTitle, parseStored } from './stored-definition';
import { VersionLoads } from './version-loads';

export type { VersionDetail, VersionSummary };

/**
 * Supervisors change flows without code: every change is a new version that moves
 * draft → submitted → approved → published (→ retired). Checks run before submission; a second
 * supervisor approves (maker–checker); publishing or republishing an earlier version (rollback)
 * changes only what new calls get. Every act is audited in the same transaction.
 */
@Injectable()
export class FlowAuthoring {
  readonly policies: PolicySet;
  private readonly loads: VersionLoads;

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: FlowCatalog,
    private readonly audit: FlowAudit,
    config: AppConfig,
  ) {
    this.policies = loadPolicies(path.resolve(config.POLICIES_FILE));
    this.loads = new VersionLoads(catalog.registry);
  }

  async flows(): Promise<FlowVersions[]> {
    const rows = await this.versions().find({ order: { flowId: 'ASC', version: 'ASC' } });
    const published = await this.publishedVersions();
    const byFlow = new Map<string, FlowVersionEntity[]>();
    for (const r of rows) byFlow.set(r.flowId, [...(byFlow.get(r.flowId) ?? []), r]);
    return [...byFlow].map(([id, versions]) => {
      const { title, kind } = flowTitle(id, this.catalog.titleOf(id), versions);
      return {
        id,
        title,
        kind,
        inForce: this.catalog.publishedVersion(id),
        versions: versions.map((v) => this.summary(v, published)),
      };
    });
  }

  async version(flowId: string, version: number): Promise<VersionDetail> {
    const row = await this.require(this.dataSource.manager, flowId, version);
    const definition = parseStored(row.definition);
    const summary = this.summary(row, await this.publishedVersions(flowId));
    return { ...summary, definition, findings: this.check(definition), loadProblems: quoteProblems(this.loads.problems(row) ?? []) };
  }

  /**
   * A version compiled, for what needs a machine (diff, paths, dry run, publish); one whose definition
   * does not load is refused with 422 VERSION_DOES_NOT_LOAD and its loader problems.
   */
  async loaded(flowId: string, version: number, m: EntityManager = this.dataSource.manager): Promise<CompiledFlow> {
    return compiledOrRefused(await this.require(m, flowId, version), this.catalog);
  }

  /**
   * A version's stored definition text, uncompiled: what the paths cache is keyed on, and what the
   * paths worker compiles (answering VERSION_DOES_NOT_LOAD) — nothing compiled on the main thread.
   */
  async stored(flowId: string, version: number): Promise<{ text: string }> {
    const row = await this.require(this.dataSource.manager, flowId, version);
    return { text: row.definition };
  }

  /** Everything that stops a version from being submitted: loader checks, reachability, compliance policies. */
  check(definition: unknown): Finding[] {
    const findings = [...checkDraft(definition, this.catalog.registry, this.policies), ...this.offerFindings(definition)];
    if (findings.some((f) => f.check === 'loader')) return findings;
    // The schema and the registry accept it, yet the machine cannot be built: still a loader finding.
    const load = loadDefinition(definition, this.catalog.registry, 'draft');
    return load.ok ? findings : [...load.problems.map((p): Finding => ({ check: 'loader', severity: 'error', path: p.path, message: p.message })), ...findings];
  }

  /** The version's own offers that open no business in force (checked again at publish: what is in force may have changed). */
  private offerFindings(definition: unknown): Finding[] {
    return flowOfferProblems(definition, this.catalog.isBusiness).map((p): Finding => ({
      check: 'loader',
      severity: 'error',
      path: p.path,
      message: p.message,
    }));
  }

  /** A new draft: a copy of `basedOn` (default: the version in force), or a given definition (a new flow). */
  async createDraft(user: AuthUser, flowId: string, from: { basedOn?: number; definition?: unknown }): Promise<VersionDetail> {
    const version = await this.dataSource.transaction(async (m) => {
      const latest = await this.versions(m).findOne({ where: { flowId }, order: { version: 'DESC' } });
      const basedOn = from.basedOn ?? (from.definition ? null : (this.catalog.publishedVersion(flowId) ?? latest?.version ?? null));
      let definition: unknown = from.definition;
      if (definition === undefined) {
        if (basedOn === null) throw new AppError('NOT_FOUND', `No flow '${flowId}' to base a draft on; give a definition`);
        definition = parseStored((await this.require(m, flowId, basedOn)).definition);
        if (!definition) throw versionDoesNotLoad(flowId, basedOn, [{ path: '$', message: 'the stored definition is not a JSON object' }]);
      }
      const next = (latest?.version ?? 0) + 1;
      const stamped = stamp(definition, flowId, next);
      const now = new Date().toISOString();
      await this.versions(m).insert({
        flowId,
        version: next,
        hash: hashDefinition(stamped as FlowDefinition),
        definition: JSON.stringify(stamped),
        source: `authored by ${user.username}`,
        createdAt: now,
        updatedAt: now,
        status: 'draft',
        createdBy: user.username,
        basedOn,
      });
      await this.record(m, user, 'create', flowId, next, { basedOn });
      return next;
    });
    return this.version(flowId, version);
  }

  /** Replaces a draft's definition. Saved even when checks fail (the editor shows them); submit refuses until they pass. */
  async editDraft(user: AuthUser, flowId: string, version: number, definition: unknown): Promise<VersionDetail> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, flowId, version, ['draft']);
      const stamped = stamp(definition, flowId, version);
      const changed = JSON.stringify(stamped) !== row.definition;
      await this.versions(m).update(
        { flowId, version },
        { definition: JSON.stringify(stamped), hash: hashDefinition(stamped as FlowDefinition), updatedAt: new Date().toISOString() },
      );
      if (changed) await this.record(m, user, 'edit', flowId, version, {});
    });
    return this.version(flowId, version);
  }

  async submit(user: AuthUser, flowId: string, version: number): Promise<VersionDetail> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, flowId, version, ['draft']);
      const findings = this.check(parseStored(row.definition));
      if (findings.length)
        throw new AppError('CHECKS_FAILED', `${flowId} version ${version} fails ${findings.length} check(s); fix them before submitting`, findings);
      await this.move(m, user, row, 'submitted', 'submit', {});
    });
    return this.version(flowId, version);
  }

  /** Maker–checker: nobody who created or edited the version may approve it. */
  async approve(user: AuthUser, flowId: string, version: number, comment?: string): Promise<VersionDetail> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, flowId, version, ['submitted']);
      const authors = await this.audit.authorsOf(m, flowId, version);
      if (authors.includes(user.username) || row.createdBy === user.username) {
        throw new AppError('FORBIDDEN', `${user.username} wrote ${flowId} version ${version} and cannot approve it; another supervisor must`);
      }
      await this.move(m, user, row, 'approved', 'approve', comment ? { comment } : {});
    });
    return this.version(flowId, version);
  }

  async reject(user: AuthUser, flowId: string, version: number, comment: string): Promise<VersionDetail> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, flowId, version, ['submitted', 'approved']);
      await this.move(m, user, row, 'draft', 'reject', { comment });
    });
    return this.version(flowId, version);
  }

  /**
   * Puts an approved version in force (publish), or a retired one that was in force before
   * (rollback). Calls in progress keep the version they started on; the one it replaces retires.
   */
  async publish(user: AuthUser, flowId: string, version: number): Promise<VersionDetail> {
    const at = new Date().toISOString();
    const compiled = await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, flowId, version, ['approved', 'retired']);
      const publications = m.getRepository(FlowPublicationEntity);
      const wasPublished = await publications.existsBy({ flowId, version });
      if (row.status === 'retired' && !wasPublished)
        throw new AppError('INVALID_STATE', `${flowId} version ${version} was never published; only an approved version can be`);
      const current = this.catalog.publishedVersion(flowId);
      if (current === version) throw new AppError('INVALID_STATE', `${flowId} version ${version} is already in force`);
      const flow = compiledOrRefused(row, this.catalog);
      const offers = this.offerFindings(flow.definition);
      if (offers.length)
        throw new AppError('CHECKS_FAILED', `${flowId} version ${version} has offers that open no business; fix them before publishing`, offers);
      const action = row.status === 'retired' ? 'rollback' : 'publish';
      if (current !== null) await this.versions(m).update({ flowId, version: current }, { status: 'retired', updatedAt: at });
      await this.versions(m).update({ flowId, version }, { status: 'published', updatedAt: at });
      await publications.insert({ flowId, version, publishedAt: at, publishedBy: user.username, action });
      await this.record(m, user, action, flowId, version, { replaced: current });
      return flow;
    });
    // Only after the commit: new calls get it.
    this.catalog.published(compiled, at);
    return this.version(flowId, version);
  }

  /** Withdraws a version that is not in force (an abandoned draft, or an approved one not wanted). */
  async retire(user: AuthUser, flowId: string, version: number): Promise<VersionDetail> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, flowId, version, ['draft', 'submitted', 'approved']);
      await this.move(m, user, row, 'retired', 'retire', {});
    });
    return this.version(flowId, version);
  }

  private async move(m: EntityManager, user: AuthUser, row: FlowVersionEntity, status: VersionStatus, action: AuditAction, detail: Record<string, unknown>) {
    await this.versions(m).update({ flowId: row.flowId, version: row.version }, { status, updatedAt: new Date().toISOString() });
    await this.record(m, user, action, row.flowId, row.version, { from: row.status, to: status, ...detail });
  }

  private record(m: EntityManager, user: AuthUser, action: AuditAction, flowId: string, version: number, detail: Record<string, unknown>) {
    return this.audit.record(m, { flowId, version, action, actor: user.username, at: new Date().toISOString(), detail });
  }

  private versions(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(FlowVersionEntity);
  }

  private async require(m: EntityManager, flowId: string, version: number): Promise<FlowVersionEntity> {
    const row = await this.versions(m).findOneBy({ flowId, version });
    if (!row) throw new AppError('NOT_FOUND', `No flow '${flowId}' version ${version}`);
    return row;
  }

  private async requireStatus(m: EntityManager, flowId: string, version: number, allowed: VersionStatus[]): Promise<FlowVersionEntity> {
    const row = await this.require(m, flowId, version);
    if (!allowed.includes(row.status)) {
      throw new AppError('INVALID_STATE', `${flowId} version ${version} is ${row.status}; this needs it to be ${allowed.join(' or ')}`, {
        status: row.status,
      });
    }
    return row;
  }

  /** `flowId@version` of every version that was ever in force. */
  private async publishedVersions(flowId?: string): Promise<Set<string>> {
    const rows = await this.dataSource.getRepository(FlowPublicationEntity).find({ where: flowId ? { flowId } : {}, select: { flowId: true, version: true } });
    return new Set(rows.map((r) => `${r.flowId}@${r.version}`));
  }

  private summary(row: FlowVersionEntity, published: Set<string>): VersionSummary {
    const everPublished = published.has(`${row.flowId}@${row.version}`);
    const problems = this.loads.problems(row);
    // Health lists the stored versions that do not load: keep it current with what was just found.
    const { flowId, version, status } = row;
    this.catalog.recordLoadState(problems ? { flowId, version, status, everPublished, problems } : { flowId, version, loads: true });
    return {
      flowId: row.flowId,
      version: row.version,
      status: row.status,
      inForce: this.catalog.publishedVersion(row.flowId) === row.version,
      everPublished,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      basedOn: row.basedOn,
      source: row.source,
      loads: problems === null,
    };
  }
}

/** The version's machine, or 422 VERSION_DOES_NOT_LOAD with why it does not load. */
function compiledOrRefused(row: FlowVersionEntity, catalog: FlowCatalog): CompiledFlow {
  const load = loadStoredVersion(row, catalog.registry);
  if (!load.ok) throw versionDoesNotLoad(row.flowId, row.version, load.problems);
  return load.flow;
}

/** The server owns a version's identity: the draft's id and version are set, whatever the editor sent. */
function stamp(definition: unknown, flowId: string, version: number): unknown {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new AppError('VALIDATION_FAILED', 'A flow definition is a JSON object', [{ field: 'definition', problems: ['must be an object'] }]);
  }
  return { ...(definition as Record<string, unknown>), id: flowId, version };
}
