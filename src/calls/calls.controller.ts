import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { CallWithEvents, ReplayVerdict } from '../../protocol/calls';
import type { AuthedRequest } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { CallRecords } from './call-records.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such call') });

@Controller('api/calls')
export class CallsController {
  constructor(private readonly records: CallRecords) {}

  @Get(':id')
  get(@Param('id', uuid) id: string, @Req() request: AuthedRequest): Promise<CallWithEvents> {
    return this.records.read(request.user, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  replay(@Param('id', uuid) id: string, @Req() request: AuthedRequest): Promise<ReplayVerdict> {
    return this.records.replay(request.user, id);
  }
}
