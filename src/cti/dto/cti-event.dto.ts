import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { CtiEndedBy, CtiEvent, CtiEventAck, CtiEventType } from '../../../protocol/cti';
import { Enum, Str } from '../../common/api-schemas/fields';
import { MAX_IVR_DEPTH, MENU_CODE } from '../ivr-map';

export const CTI_EVENT_TYPES = ['call.offered', 'call.answered', 'call.transferred', 'call.ended'] as const satisfies readonly CtiEventType[];
export const CTI_ENDED_BY = ['caller', 'agent', 'system'] as const satisfies readonly CtiEndedBy[];
const CTI_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CALL_STATUSES = ['active', 'completed', 'abandoned'] as const;

/** Events that name the agent who has the call. */
const WITH_AGENT: readonly CtiEventType[] = ['call.answered', 'call.transferred'];

/** `POST /api/cti/events`: one telephony event (docs/CTI.md §3). */
export class CtiEventDto implements CtiEvent {
  @ApiProperty({ pattern: CTI_ID.source, example: 'evt-20261204-0001' })
  @Matches(CTI_ID, { message: 'eventId must be 1–128 letters, digits or . _ : -' })
  eventId: string;

  @ApiProperty({ enum: CTI_EVENT_TYPES })
  @IsIn(CTI_EVENT_TYPES)
  type: CtiEventType;

  @ApiProperty({ pattern: CTI_ID.source, example: 'pbx-7731' })
  @Matches(CTI_ID, { message: 'ctiCallId must be 1–128 letters, digits or . _ : -' })
  ctiCallId: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, example: 'agent1', description: 'Required for call.answered and call.transferred' })
  @ValidateIf((e: CtiEventDto) => e.agent !== undefined || WITH_AGENT.includes(e.type))
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  agent?: string;

  @ApiProperty({ pattern: '^\\d{5,20}$', example: '13800000001' })
  @Matches(/^\d{5,20}$/, { message: 'callerNumber must be 5–20 digits' })
  callerNumber: string;

  @ApiProperty({ type: [String], maxItems: MAX_IVR_DEPTH, example: ['3', '1'], description: 'Menu codes (digits, * or #, 1–8 each), in the order keyed' })
  @IsArray()
  @ArrayMaxSize(MAX_IVR_DEPTH)
  @Matches(MENU_CODE, { each: true, message: 'each IVR menu code is 1–8 of 0-9 * #' })
  ivrPath: string[];

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, description: 'call.transferred: the agent the call went to' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  transferredTo?: string;

  @ApiPropertyOptional({ enum: CTI_ENDED_BY, description: 'Required for call.ended' })
  @ValidateIf((e: CtiEventDto) => e.endedBy !== undefined || e.type === 'call.ended')
  @IsIn(CTI_ENDED_BY)
  endedBy?: CtiEndedBy;
}

export class CtiEventAckSchema implements CtiEventAck {
  @Str() eventId: string;
  @Enum(CTI_EVENT_TYPES) type: CtiEventType;
  @Str({ optional: true, format: 'uuid' }) callId?: string;
  @Str({ optional: true }) flowId?: string;
  @Enum(CALL_STATUSES, { optional: true }) callStatus?: CtiEventAck['callStatus'];
}
