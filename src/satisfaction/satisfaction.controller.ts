import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { SatisfactionReport, SurveyReplyAck } from '../../protocol/satisfaction';
import { type AuthedRequest, Public, Roles } from '../auth/jwt-auth.guard';
import { MetricsService } from '../metrics';
import { ApiErrors } from '../common/api-schemas/errors';
import { SURVEY_SIGNATURE } from '../common/api-schemas/security';
import { SatisfactionQuery, SatisfactionReportSchema, SurveyReplyAckSchema, SurveyReplyDto } from './dto/survey-reply.dto';
import { SatisfactionReads } from './satisfaction-reads.service';
import { SurveyReplies } from './survey-replies.store';
import { SURVEY_SIGNATURE_HEADER, SURVEY_TIMESTAMP_HEADER, SurveySignatureGuard } from './survey-signature.guard';

/** Survey answers in (signed, docs/SATISFACTION.md) and satisfaction out (the metrics). */
@ApiTags('satisfaction')
@Controller('api')
export class SatisfactionController {
  constructor(
    private readonly replies: SurveyReplies,
    private readonly reads: SatisfactionReads,
    private readonly metrics: MetricsService,
  ) {}

  @Post('satisfaction/replies')
  @Public()
  @UseGuards(SurveySignatureGuard)
  @ApiSecurity(SURVEY_SIGNATURE)
  @ApiOperation({
    summary: "A reply to the hang-up's satisfaction SMS (SMS gateway) or a post-call survey answer (IVR), signed; matched to its call and counted once",
  })
  @ApiHeader({ name: SURVEY_TIMESTAMP_HEADER, required: true, description: 'Unix seconds when the answer was sent (within CTI_WINDOW_SECONDS)' })
  @ApiHeader({ name: SURVEY_SIGNATURE_HEADER, required: true, description: '`sha256=` + hex HMAC-SHA-256 of `<timestamp>.<raw body>` with SURVEY_SECRET' })
  @ApiOkResponse({ type: SurveyReplyAckSchema })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'EVENT_REPLAYED')
  @HttpCode(200)
  reply(@Body() body: SurveyReplyDto): Promise<SurveyReplyAck> {
    return this.replies.record(body, new Date().toISOString());
  }

  @Get('metrics/satisfaction')
  @Roles('supervisor', 'qa')
  @ApiOperation({
    summary:
      "Survey replies and ratings: in all, per channel, business, flow version, agent and step path (the rated calls of the days); a supervisor of some teams reads their agents' calls only, as in the other metrics",
  })
  @ApiOkResponse({ type: SatisfactionReportSchema })
  async report(@Query() q: SatisfactionQuery, @Req() req: AuthedRequest): Promise<SatisfactionReport> {
    return this.reads.queries.report({ from: q.from, to: q.to, flowId: q.flowId, agentIds: await this.metrics.agentsInScope(req.user) });
  }
}
