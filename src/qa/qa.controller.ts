import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Put, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CallPage, FoundCall, Scorecard, ScorecardForm, ScorecardRevision } from '../../protocol/qa';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { CallRecords } from '../calls';
import { AppError } from '../common/app-error';
import { maskMsisdn } from '../common/mask';
import { CallQa } from './call-qa.service';
import { callsToCsv, CallSearchService } from './call-search.service';
import { CallSearchQuery, LocaleQuery, ReviseScorecardDto, ScorecardDto } from './dto/qa.dto';
import { QaReplays } from './qa-replays.service';
import { Scorecards } from './scorecards.service';
import { UuidParam } from '../common/api-schemas/params';
import { CallPageSchema, QaReplaySchema, ScorecardFormSchema, ScorecardRevisionSchema, ScorecardSchema } from '../common/api-schemas/qa';
import { ApiErrors } from '../common/api-schemas/errors';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'Not found') });

/** QA: finding calls, replaying them step by step with their checks, and scorecards. */
@ApiTags('qa')
@Controller('api/qa')
@Roles('qa', 'supervisor')
export class QaController {
  constructor(
    private readonly records: CallRecords,
    private readonly qa: CallQa,
    private readonly search: CallSearchService,
    private readonly scorecards: Scorecards,
    private readonly replays: QaReplays,
  ) {}

  @Get('calls')
  @ApiOperation({
    summary:
      'Find calls by agent, business, version, outcome, dates, number, failed check, duration; paginated; JSON or CSV. Counted and paged up to the first 10,000 matches (totalCapped)',
  })
  @ApiOkResponse({ type: CallPageSchema })
  async find(@Query() q: CallSearchQuery, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CallPage | string> {
    const result = await this.search.search({ ...q, page: q.page ?? 1, pageSize: q.pageSize ?? 50 });
    // Caller numbers in full only where the role needs them: a supervisor on screen. An export
    // leaves the system (masked for everyone); QA reviews handling, not subscribers (masked; a
    // search by the full number still finds the calls).
    const masked = (calls: FoundCall[]) => calls.map((c) => ({ ...c, callerNumber: maskMsisdn(c.callerNumber) }));
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="calls-page-${result.page}.csv"`);
      res.setHeader('x-total-count', String(result.total));
      return callsToCsv(masked(result.calls));
    }
    return req.user.role === 'supervisor' ? result : { ...result, calls: masked(result.calls) };
  }

  @Get('calls/:id/replay')
  @Roles('qa', 'supervisor', 'agent')
  @ApiOperation({
    summary: "The call step by step as the agent saw it (exact flow version and variant, logged replies), its checks and the log's integrity",
  })
  @UuidParam('Call id')
  @ApiOkResponse({ type: QaReplaySchema })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND', 'FLOW_UNAVAILABLE', 'CALL_ERASED')
  async replay(
    @Param('id', uuid) id: string,
    @Query() q: LocaleQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    // A QaReplay, serialized, encoded and tagged once for an ended call (src/qa/qa-replays.service.ts);
    // its bytes are sent as they are (a Buffer returned plainly would be serialized as JSON again).
    const { body, etag } = await this.replays.json(req.user, id, q.locale ?? 'zh-CN');
    res.setHeader('ETag', etag);
    return new StreamableFile(body, { type: 'application/json; charset=utf-8', length: body.length });
  }

  @Get('scorecard-form')
  @Roles('qa', 'supervisor', 'agent')
  @ApiOperation({ summary: 'The QA form: criteria, weights, which are scored by automatic checks' })
  @ApiOkResponse({ type: ScorecardFormSchema })
  form(): ScorecardForm {
    return this.scorecards.form;
  }

  @Post('calls/:id/scorecards')
  @ApiOperation({ summary: 'Fill a scorecard for an ended call' })
  @UuidParam('Call id')
  @ApiCreatedResponse({ type: ScorecardSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE', 'CALL_ERASED')
  create(@Param('id', uuid) id: string, @Body() body: ScorecardDto, @Req() req: AuthedRequest): Promise<Scorecard> {
    return this.scorecards.create(req.user, id, body.marks, body.comment);
  }

  @Get('calls/:id/scorecards')
  @Roles('qa', 'supervisor', 'agent')
  @ApiOperation({ summary: 'The scorecards of a call (an agent: of their own calls)' })
  @UuidParam('Call id')
  @ApiOkResponse({ type: ScorecardSchema, isArray: true })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND')
  forCall(@Param('id', uuid) id: string, @Req() req: AuthedRequest): Promise<Scorecard[]> {
    return this.scorecards.forCall(req.user, id);
  }

  @Put('scorecards/:id')
  @ApiOperation({ summary: 'Revise a scorecard (a new revision; the earlier ones are kept)' })
  @UuidParam('Scorecard id')
  @ApiOkResponse({ type: ScorecardSchema })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND', 'STALE_SEQ', 'INVALID_STATE', 'CALL_ERASED')
  revise(@Param('id', uuid) id: string, @Body() body: ReviseScorecardDto, @Req() req: AuthedRequest): Promise<Scorecard> {
    return this.scorecards.revise(req.user, id, body.revision, body.marks, body.comment);
  }

  @Get('scorecards/:id/revisions')
  @Roles('qa', 'supervisor', 'agent')
  @ApiOperation({ summary: 'Every saved revision of a scorecard: who, when, what' })
  @UuidParam('Scorecard id')
  @ApiOkResponse({ type: ScorecardRevisionSchema, isArray: true })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND')
  revisions(@Param('id', uuid) id: string, @Req() req: AuthedRequest): Promise<ScorecardRevision[]> {
    return this.scorecards.revisions(req.user, id);
  }

  @Get('my-scorecards')
  @Roles('agent', 'supervisor', 'qa')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "The scorecards of the signed-in agent's own calls, the newest 500" })
  @ApiOkResponse({ type: ScorecardSchema, isArray: true })
  mine(@Req() req: AuthedRequest): Promise<Scorecard[]> {
    return this.scorecards.mine(req.user);
  }
}
