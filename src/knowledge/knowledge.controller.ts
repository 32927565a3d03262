import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Article, ArticleAuditEntry, SearchAccuracy, SearchReply } from '../../protocol/knowledge';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { ApiErrors } from '../common/api-schemas/errors';
import { ArticleAuditEntrySchema, ArticleSchema, SearchAccuracySchema, SearchPickReplySchema, SearchReplySchema } from '../common/api-schemas/knowledge';
import { VersionParam } from '../common/api-schemas/params';
import {
  ApproveArticleDto,
  ArticleAuditQueryDto,
  ArticleDto,
  RejectArticleDto,
  SearchPickDto,
  SearchQueryDto,
  StepArticlesQueryDto,
} from './dto/knowledge.dto';
import { KnowledgeSearch } from './knowledge-search.service';
import { KnowledgeArticles } from './knowledge.service';

const ARTICLE_ID = /^[a-z0-9][a-z0-9-]*$/;
const articleIdOf = (id: string) => {
  if (!ARTICLE_ID.test(id) || id.length > 64)
    throw new AppError('VALIDATION_FAILED', 'Invalid article id', [{ field: 'articleId', problems: ['lower-case letters, digits and dashes'] }]);
  return id;
};
const int = (field: string) =>
  new ParseIntPipe({ exceptionFactory: () => new AppError('VALIDATION_FAILED', `Invalid ${field}`, [{ field, problems: ['must be an integer'] }]) });
const ArticleIdParam = () => ApiParam({ name: 'articleId', schema: { type: 'string', pattern: ARTICLE_ID.source, maxLength: 64 } });

/** Knowledge articles (supervisors write, another approves; QA reads) and the agent screen's search. */
@ApiTags('knowledge')
@ApiErrors('VALIDATION_FAILED')
@Controller('api/knowledge')
@Roles('supervisor')
export class KnowledgeController {
  constructor(
    private readonly articles: KnowledgeArticles,
    private readonly searches: KnowledgeSearch,
  ) {}

  @Get('articles')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'Every article version with its state' })
  @ApiOkResponse({ type: ArticleSchema, isArray: true })
  list(): Promise<Article[]> {
    return this.articles.list();
  }

  @Post('articles')
  @ApiOperation({ summary: 'A new article: version 1, a draft (the body is sanitized)' })
  @ApiCreatedResponse({ type: ArticleSchema })
  create(@Body() body: ArticleDto, @Req() req: AuthedRequest): Promise<Article> {
    return this.articles.draft(req.user, body);
  }

  @Get('articles/:articleId/versions/:version')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'One article version' })
  @ArticleIdParam()
  @VersionParam()
  @ApiOkResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND')
  get(@Param('articleId') articleId: string, @Param('version', int('version')) v: number): Promise<Article> {
    return this.articles.get(articleIdOf(articleId), v);
  }

  @Post('articles/:articleId/versions')
  @ApiOperation({ summary: "The article's next version, a draft" })
  @ArticleIdParam()
  @ApiCreatedResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND')
  newVersion(@Param('articleId') articleId: string, @Body() body: ArticleDto, @Req() req: AuthedRequest): Promise<Article> {
    return this.articles.draft(req.user, body, articleIdOf(articleId));
  }

  @Put('articles/:articleId/versions/:version')
  @ApiOperation({ summary: 'Replace a draft' })
  @ArticleIdParam()
  @VersionParam()
  @ApiOkResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE')
  edit(
    @Param('articleId') articleId: string,
    @Param('version', int('version')) v: number,
    @Body() body: ArticleDto,
    @Req() req: AuthedRequest,
  ): Promise<Article> {
    return this.articles.edit(req.user, articleIdOf(articleId), v, body);
  }

  @Post('articles/:articleId/versions/:version/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for approval' })
  @ArticleIdParam()
  @VersionParam()
  @ApiOkResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE')
  submit(@Param('articleId') articleId: string, @Param('version', int('version')) v: number, @Req() req: AuthedRequest): Promise<Article> {
    return this.articles.submit(req.user, articleIdOf(articleId), v);
  }

  @Post('articles/:articleId/versions/:version/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a submitted version (not by its author): it is published and searchable' })
  @ArticleIdParam()
  @VersionParam()
  @ApiOkResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN')
  approve(
    @Param('articleId') articleId: string,
    @Param('version', int('version')) v: number,
    @Body() body: ApproveArticleDto,
    @Req() req: AuthedRequest,
  ): Promise<Article> {
    return this.articles.approve(req.user, articleIdOf(articleId), v, body.comment);
  }

  @Post('articles/:articleId/versions/:version/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a submitted version back to draft, saying why' })
  @ArticleIdParam()
  @VersionParam()
  @ApiOkResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE')
  reject(
    @Param('articleId') articleId: string,
    @Param('version', int('version')) v: number,
    @Body() body: RejectArticleDto,
    @Req() req: AuthedRequest,
  ): Promise<Article> {
    return this.articles.reject(req.user, articleIdOf(articleId), v, body.comment);
  }

  @Get('audit')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'The article audit trail' })
  @ApiOkResponse({ type: ArticleAuditEntrySchema, isArray: true })
  audit(@Query() query: ArticleAuditQueryDto): Promise<ArticleAuditEntry[]> {
    return this.articles.audit(query.articleId);
  }

  @Get('step-articles')
  @Roles('agent', 'supervisor', 'qa')
  @ApiOperation({ summary: "The articles shown beside a step's script: published, valid now, for the region (or all regions)" })
  @ApiOkResponse({ type: ArticleSchema, isArray: true })
  forStep(@Query() query: StepArticlesQueryDto): Promise<Article[]> {
    return this.articles.forStep({ flowId: query.flowId, stepId: query.stepId }, query.region ?? null);
  }

  @Get('published/:articleId')
  @Roles('agent', 'supervisor', 'qa')
  @ApiOperation({ summary: 'The published version of an article (what a search hit opens)' })
  @ArticleIdParam()
  @ApiOkResponse({ type: ArticleSchema })
  @ApiErrors('NOT_FOUND')
  published(@Param('articleId') articleId: string): Promise<Article> {
    return this.articles.published(articleIdOf(articleId));
  }

  @Get('search')
  @Roles('agent', 'supervisor', 'qa')
  @ApiOperation({ summary: 'One search over articles, businesses and scenarios (typo- and word-order tolerant); logged' })
  @ApiOkResponse({ type: SearchReplySchema })
  search(@Query() query: SearchQueryDto, @Req() req: AuthedRequest): Promise<SearchReply> {
    return this.searches.search(req.user, query.q, query.callId ?? null);
  }

  @Post('searches/:searchId/pick')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'qa')
  @ApiOperation({ summary: 'Log the hit picked after a search (for search accuracy)' })
  @ApiParam({ name: 'searchId', schema: { type: 'integer' } })
  @ApiOkResponse({ type: SearchPickReplySchema })
  @ApiErrors('NOT_FOUND')
  pick(@Param('searchId', int('searchId')) searchId: number, @Body() body: SearchPickDto, @Req() req: AuthedRequest): Promise<{ rank: number | null }> {
    return this.searches.pick(req.user, searchId, body.kind, body.id);
  }

  @Get('search-accuracy')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'Searches, picks, and the share of picks within the top 3 hits' })
  @ApiOkResponse({ type: SearchAccuracySchema })
  accuracy(): Promise<SearchAccuracy> {
    return this.searches.accuracy();
  }
}
