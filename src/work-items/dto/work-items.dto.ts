import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { WorkItemCallbackRequest, WorkItemStatus, WorkItemStatusChange } from '../../../protocol/work-items';
import type { WorkItemScope } from '../work-items.service';

const SCOPES: readonly WorkItemScope[] = ['mine', 'team', 'desk', 'caller'];
export const WORK_ITEM_STATUSES: readonly WorkItemStatus[] = ['open', 'in-progress', 'resolved', 'closed'];

export class WorkItemQueryDto {
  @ApiProperty({ enum: SCOPES, description: 'mine: claimed by me; team: my desk (agents) or every desk I supervise; desk: one desk; caller: one caller’s' })
  @IsIn(SCOPES)
  scope: WorkItemScope;

  @ApiPropertyOptional({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/)
  @MaxLength(64)
  desk?: string;

  @ApiPropertyOptional({ pattern: '^1\\d{10}$' })
  @IsOptional()
  @IsString()
  @Matches(/^1\d{10}$/)
  callerNumber?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Resolved and closed items too' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  done?: boolean;
}

export class WorkItemStatusDto implements WorkItemStatusChange {
  @ApiProperty({ enum: WORK_ITEM_STATUSES })
  @IsIn(WORK_ITEM_STATUSES)
  status: WorkItemStatus;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, description: 'Required to resolve or close: what the caller is told' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}

export class WorkItemCallbackDto implements WorkItemCallbackRequest {
  @ApiProperty({ format: 'date-time', description: 'When the caller is promised the call: from now to 30 days ahead' })
  @IsISO8601({ strict: true }, { message: 'at must be an ISO date-time' })
  at: string;

  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'The business flow the call opens on' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'flowId must be a flow id' })
  flowId: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, description: 'What the call is for (shown to the agent who makes it)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Days as the dashboards' filter gives them (UTC, both included); by default the last 30 days and the next 30. */
export class OnTimeQueryDto {
  @ApiPropertyOptional({ description: 'first due day included (UTC, YYYY-MM-DD)', format: 'date', pattern: DAY.source })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'last due day included (UTC, YYYY-MM-DD)', format: 'date', pattern: DAY.source })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day YYYY-MM-DD' })
  to?: string;
}
