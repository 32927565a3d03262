import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OnTimeReport, WorkItemDetail, WorkItemList } from '../../protocol/work-items';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { ApiErrors } from '../common/api-schemas/errors';
import { OnTimeReportSchema, WorkItemDetailSchema, WorkItemListSchema } from '../common/api-schemas/work-items';
import { OnTimeQueryDto, WorkItemCallbackDto, WorkItemQueryDto, WorkItemStatusDto } from './dto/work-items.dto';
import { WorkItemCallbacks } from './work-item-callbacks.service';
import { WorkItems } from './work-items.service';

const itemId = new ParseIntPipe({
  exceptionFactory: () => new AppError('VALIDATION_FAILED', 'Invalid work item id', [{ field: 'id', problems: ['must be an integer'] }]),
});
const IdParam = () => ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 } });

/** The worklists (docs/FOLLOW-UP.md): agents work their desk's items, supervisors the desks they supervise. */
@ApiTags('work-items')
@ApiErrors('VALIDATION_FAILED')
@Controller('api/work-items')
@Roles('agent', 'supervisor')
export class WorkItemsController {
  constructor(
    private readonly items: WorkItems,
    private readonly callbacks: WorkItemCallbacks,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Work items still to do (or all with done=true), overdue first' })
  @ApiOkResponse({ type: WorkItemListSchema })
  @ApiErrors('VALIDATION_FAILED', 'FORBIDDEN')
  async list(@Query() query: WorkItemQueryDto, @Req() req: AuthedRequest): Promise<WorkItemList> {
    return { items: await this.items.list(req.user, query) };
  }

  @Get('on-time')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'The on-time rate of the items due in the days given, by business, desk and customer tier' })
  @ApiOkResponse({ type: OnTimeReportSchema })
  onTime(@Query() query: OnTimeQueryDto): Promise<OnTimeReport> {
    const day = 86_400_000;
    const from = query.from ?? new Date(Date.now() - 30 * day).toISOString().slice(0, 10);
    const to = query.to ?? new Date(Date.now() + 30 * day).toISOString().slice(0, 10);
    if (from > to) throw new AppError('VALIDATION_FAILED', 'from is after to', [{ field: 'from', problems: ['must not be after to'] }]);
    // `to` is a day included: the range ends at the start of the next day.
    return this.items.onTime(from, new Date(Date.parse(to) + day).toISOString().slice(0, 10));
  }

  @Get(':id')
  @IdParam()
  @ApiOperation({ summary: 'One work item with its history' })
  @ApiOkResponse({ type: WorkItemDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  get(@Param('id', itemId) id: number, @Req() req: AuthedRequest): Promise<WorkItemDetail> {
    return this.items.get(req.user, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @IdParam()
  @ApiOperation({ summary: 'Claim an item (an open one is then in progress)' })
  @ApiOkResponse({ type: WorkItemDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE')
  claim(@Param('id', itemId) id: number, @Req() req: AuthedRequest): Promise<WorkItemDetail> {
    return this.items.claim(req.user, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @IdParam()
  @ApiOperation({ summary: 'Move an item on: in-progress, resolved or closed (with a note), or open again (reopen)' })
  @ApiOkResponse({ type: WorkItemDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE')
  setStatus(@Param('id', itemId) id: number, @Body() body: WorkItemStatusDto, @Req() req: AuthedRequest): Promise<WorkItemDetail> {
    return this.items.setStatus(req.user, id, body.status, body.note ?? null);
  }

  @Post(':id/callback')
  @HttpCode(200)
  @IdParam()
  @ApiOperation({ summary: "Schedule a call back to the item's caller: a callback item on the same desk, yours, due then, made as an outbound call" })
  @ApiOkResponse({ type: WorkItemDetailSchema, description: 'The callback item' })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE')
  callback(@Param('id', itemId) id: number, @Body() body: WorkItemCallbackDto, @Req() req: AuthedRequest): Promise<WorkItemDetail> {
    return this.callbacks.schedule(req.user, id, body.at, body.flowId, body.note ?? null);
  }
}
