import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Backlog, StepFlag } from '../../protocol/redesign';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { ApiErrors } from '../common/api-schemas/errors';
import { FlowIdParam, UuidParam } from '../common/api-schemas/params';
import { AgentFlagDto, BacklogSchema, QaFlagDto, StepFlagSchema } from './dto/step-flag.dto';
import { Redesign } from './redesign.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such call') });
const FLOW_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** "This step does not fit": flags from the call screen and the replay, and the ranked redesign backlog per business. */
@ApiTags('redesign')
@Controller('api')
export class RedesignController {
  constructor(private readonly redesign: Redesign) {}

  @Post('calls/:id/flags')
  @Roles('agent')
  @ApiOperation({ summary: 'The agent flags the step on screen of their live call: logged as a step.flag call event; the call stays in the step' })
  @UuidParam('Call id')
  @ApiOkResponse({ type: StepFlagSchema })
  @ApiErrors('NOT_FOUND', 'FORBIDDEN', 'OPTION_NOT_AVAILABLE', 'CALL_TOO_LONG', 'CALL_MOVED', 'CALL_ERASED', 'LOG_UNAVAILABLE')
  @HttpCode(200)
  agentFlag(@Param('id', uuid) id: string, @Body() body: AgentFlagDto, @Req() req: AuthedRequest): Promise<StepFlag> {
    return this.redesign.agentFlag(req.user, id, body);
  }

  @Post('qa/calls/:id/flags')
  @Roles('qa')
  @ApiOperation({ summary: "QA flags the step of one view (seq) of a call's replay: an audited row, one per view" })
  @UuidParam('Call id')
  @ApiOkResponse({ type: StepFlagSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE', 'CALL_ERASED')
  @HttpCode(200)
  qaFlag(@Param('id', uuid) id: string, @Body() body: QaFlagDto, @Req() req: AuthedRequest): Promise<StepFlag> {
    return this.redesign.qaFlag(req.user, id, body);
  }

  @Get('redesign/:flowId/backlog')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'The ranked redesign backlog of a business: flags, F failures and waits per step; closed by a newer version that moved the number' })
  @FlowIdParam()
  @ApiOkResponse({ type: BacklogSchema })
  @ApiErrors('NOT_FOUND')
  backlog(@Param('flowId') flowId: string): Promise<Backlog> {
    if (!FLOW_ID.test(flowId)) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    return this.redesign.backlog(flowId);
  }

  @Get('redesign/:flowId/flags')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'The newest 1,000 flags on a business, agents’ and QA’s, oldest first' })
  @FlowIdParam()
  @ApiOkResponse({ type: StepFlagSchema, isArray: true })
  @ApiErrors('NOT_FOUND')
  flags(@Param('flowId') flowId: string): Promise<StepFlag[]> {
    if (!FLOW_ID.test(flowId)) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    return this.redesign.flagsOf(flowId);
  }
}
