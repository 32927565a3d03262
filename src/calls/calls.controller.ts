import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { CallWithEvents, ReplayVerdict } from '../../protocol/calls';
import type { AuthedRequest } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { CallRecords } from './call-records.service';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallWithEventsSchema, ReplayVerdictSchema } from '../common/api-schemas/calls';
import { UuidParam } from '../common/api-schemas/params';
import { ApiErrors } from '../common/api-schemas/errors';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such call') });

@ApiTags('calls')
@Controller('api/calls')
export class CallsController {
  constructor(private readonly records: CallRecords) {}

  @Get(':id')
  @ApiOperation({ summary: "A call's summary row and every logged event (an agent: their own calls)" })
  @UuidParam('Call id')
  @ApiOkResponse({ type: CallWithEventsSchema })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND', 'CALL_ERASED')
  get(@Param('id', uuid) id: string, @Req() request: AuthedRequest): Promise<CallWithEvents> {
    return this.records.read(request.user, id);
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'The call folded again through its own flow versions and compared with the log, and its hash chain checked' })
  @UuidParam('Call id')
  @ApiOkResponse({ type: ReplayVerdictSchema })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND', 'FLOW_UNAVAILABLE', 'CALL_ERASED')
  @HttpCode(200)
  replay(@Param('id', uuid) id: string, @Req() request: AuthedRequest): Promise<ReplayVerdict> {
    return this.records.replay(request.user, id);
  }
}
