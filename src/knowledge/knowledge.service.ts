import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Article, ArticleAuditEntry, ArticleRequest, ArticleStatus, StepLink } from '../../protocol/knowledge';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { KnowledgeArticleEntity, KnowledgeAuditEntity } from './knowledge.entities';
import { plainText, sanitizeBody } from './sanitize';
import { replaceDocs, type SearchDoc } from './search-docs';

type Action = ArticleAuditEntry['action'];

/**
 * Knowledge articles, versioned like flows: a supervisor drafts (a new article or a new version of
 * one), submits, and another supervisor approves — approval publishes it (the version before retires)
 * and puts it in the search index. Every act is audited in the same transaction.
 */
@Injectable()
export class KnowledgeArticles {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<Article[]> {
    const rows = await this.dataSource.getRepository(KnowledgeArticleEntity).find({ order: { articleId: 'ASC', version: 'ASC' } });
    return rows.map(toArticle);
  }

  async get(articleId: string, version: number): Promise<Article> {
    return toArticle(await this.require(this.dataSource.manager, articleId, version));
  }

  /** The version in force, for agents opening a search hit. */
  async published(articleId: string): Promise<Article> {
    const row = await this.dataSource.getRepository(KnowledgeArticleEntity).findOne({ where: { articleId, status: 'published' } });
    if (!row) throw new AppError('NOT_FOUND', `No published article '${articleId}'`);
    return toArticle(row);
  }

  /** A new article (version 1) or, given `articleId`, its next version; either starts as a draft. */
  async draft(user: AuthUser, request: ArticleRequest, articleId?: string): Promise<Article> {
    const saved = await this.dataSource.transaction(async (m) => {
      const id = articleId ?? `kb-${randomBytes(5).toString('hex')}`;
      const latest = await m.getRepository(KnowledgeArticleEntity).findOne({ where: { articleId: id }, order: { version: 'DESC' } });
      if (articleId && !latest) throw new AppError('NOT_FOUND', `No article '${articleId}'`);
      const version = (latest?.version ?? 0) + 1;
      await m.getRepository(KnowledgeArticleEntity).insert({
        ...columns(request),
        articleId: id,
        version,
        status: 'draft',
        createdBy: user.username,
        createdAt: new Date().toISOString(),
        approvedBy: null,
      });
      await this.record(m, user, 'create', id, version, {});
      return { id, version };
    });
    return this.get(saved.id, saved.version);
  }

  async edit(user: AuthUser, articleId: string, version: number, request: ArticleRequest): Promise<Article> {
    await this.dataSource.transaction(async (m) => {
      await this.requireStatus(m, articleId, version, ['draft']);
      await m.getRepository(KnowledgeArticleEntity).update({ articleId, version }, columns(request));
      await this.record(m, user, 'edit', articleId, version, {});
    });
    return this.get(articleId, version);
  }

  async submit(user: AuthUser, articleId: string, version: number): Promise<Article> {
    return this.move(user, articleId, version, ['draft'], 'submitted', 'submit', {});
  }

  async reject(user: AuthUser, articleId: string, version: number, comment: string): Promise<Article> {
    return this.move(user, articleId, version, ['submitted'], 'draft', 'reject', { comment });
  }

  /** Maker–checker: nobody who wrote this version may approve it. Approval publishes and indexes it. */
  async approve(user: AuthUser, articleId: string, version: number, comment?: string): Promise<Article> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.requireStatus(m, articleId, version, ['submitted']);
      const authors = await m.getRepository(KnowledgeAuditEntity).find({
        where: [
          { articleId, version, action: 'create' },
          { articleId, version, action: 'edit' },
        ],
      });
      if (authors.some((a) => a.actor === user.username))
        throw new AppError('FORBIDDEN', 'An article version must be approved by another supervisor than its author');
      const repo = m.getRepository(KnowledgeArticleEntity);
      const before = await repo.find({ where: { articleId, status: 'published' } });
      for (const old of before) {
        await repo.update({ id: old.id }, { status: 'retired' });
        await this.record(m, user, 'retire', articleId, old.version, { by: version });
      }
      await repo.update({ id: row.id }, { status: 'published', approvedBy: user.username });
      await this.record(m, user, 'approve', articleId, version, comment ? { comment } : {});
      await replaceDocs(m, 'article', [articleId], docsOf(toArticle(row)));
    });
    return this.get(articleId, version);
  }

  async audit(articleId?: string): Promise<ArticleAuditEntry[]> {
    const rows = await this.dataSource.getRepository(KnowledgeAuditEntity).find({ where: articleId ? { articleId } : {}, order: { id: 'ASC' } });
    return rows.map((r) => ({ ...r, action: r.action as Action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  /** What the agent sees beside a step's script: published, valid at `at`, for the customer's region (or every region). */
  async forStep(link: StepLink, region: string | null, at = new Date().toISOString()): Promise<Article[]> {
    const rows = await this.dataSource.getRepository(KnowledgeArticleEntity).find({ where: { status: 'published' }, order: { articleId: 'ASC' } });
    return rows
      .map(toArticle)
      .filter((a) => a.steps.some((s) => s.flowId === link.flowId && s.stepId === link.stepId))
      .filter((a) => (!a.validFrom || a.validFrom <= at) && (!a.validTo || at < a.validTo))
      .filter((a) => a.regions.length === 0 || (region !== null && a.regions.includes(region)));
  }

  private async move(
    user: AuthUser,
    articleId: string,
    version: number,
    from: ArticleStatus[],
    to: ArticleStatus,
    action: Action,
    detail: Record<string, unknown>,
  ) {
    await this.dataSource.transaction(async (m) => {
      await this.requireStatus(m, articleId, version, from);
      await m.getRepository(KnowledgeArticleEntity).update({ articleId, version }, { status: to });
      await this.record(m, user, action, articleId, version, detail);
    });
    return this.get(articleId, version);
  }

  private async require(m: EntityManager, articleId: string, version: number): Promise<KnowledgeArticleEntity> {
    const row = await m.getRepository(KnowledgeArticleEntity).findOne({ where: { articleId, version } });
    if (!row) throw new AppError('NOT_FOUND', `No version ${version} of article '${articleId}'`);
    return row;
  }

  private async requireStatus(m: EntityManager, articleId: string, version: number, allowed: ArticleStatus[]) {
    const row = await this.require(m, articleId, version);
    if (!allowed.includes(row.status as ArticleStatus))
      throw new AppError('INVALID_STATE', `Article '${articleId}' v${version} is ${row.status}, not ${allowed.join(' or ')}`);
    return row;
  }

  private async record(m: EntityManager, user: AuthUser, action: Action, articleId: string, version: number, detail: Record<string, unknown>) {
    await m
      .getRepository(KnowledgeAuditEntity)
      .insert({ articleId, version, action, actor: user.username, at: new Date().toISOString(), detail: JSON.stringify(detail) });
  }
}

function columns(r: ArticleRequest) {
  if (r.validFrom && r.validTo && r.validTo <= r.validFrom)
    throw new AppError('VALIDATION_FAILED', 'validTo must be after validFrom', [{ field: 'validTo', problems: ['must be after validFrom'] }]);
  const body = Object.fromEntries(Object.entries(r.body).map(([locale, html]) => [locale, sanitizeBody(html)]));
  return {
    title: JSON.stringify(r.title),
    body: JSON.stringify(body),
    tags: JSON.stringify(r.tags),
    steps: JSON.stringify(r.steps),
    regions: JSON.stringify(r.regions),
    validFrom: r.validFrom ?? null,
    validTo: r.validTo ?? null,
  };
}

function toArticle(r: KnowledgeArticleEntity): Article {
  return {
    articleId: r.articleId,
    version: r.version,
    status: r.status as ArticleStatus,
    title: JSON.parse(r.title),
    body: JSON.parse(r.body),
    tags: JSON.parse(r.tags),
    steps: JSON.parse(r.steps),
    regions: JSON.parse(r.regions),
    validFrom: r.validFrom,
    validTo: r.validTo,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    approvedBy: r.approvedBy,
  };
}

/** An article's search docs: one per locale, its title and its body as plain text with its tags. */
export function docsOf(a: Article): SearchDoc[] {
  return Object.entries(a.title).map(([locale, title]) => ({
    kind: 'article' as const,
    ref: a.articleId,
    locale,
    title: String(title),
    body: `${plainText(String((a.body as Record<string, string>)[locale] ?? ''))} ${a.tags.join(' ')}`.trim(),
  }));
}
