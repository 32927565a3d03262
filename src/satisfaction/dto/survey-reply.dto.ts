import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type {
  AgentSatisfaction,
  BusinessSatisfaction,
  SatisfactionFigures,
  SatisfactionReport,
  StepPathSatisfaction,
  SurveyChannel,
  SurveyReply,
  SurveyReplyAck,
  VersionSatisfaction,
} from '../../../protocol/satisfaction';
import { ArrayOf, Enum, Int, Num, Of, Str, Strs } from '../../common/api-schemas/fields';

export const SURVEY_CHANNELS = ['sms', 'ivr'] as const satisfies readonly SurveyChannel[];
const GATEWAY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `POST /api/satisfaction/replies`: one answer from the SMS gateway or the IVR (docs/SATISFACTION.md). */
export class SurveyReplyDto implements SurveyReply {
  @ApiProperty({ pattern: GATEWAY_ID.source, example: 'mo-20261204-0001' })
  @Matches(GATEWAY_ID, { message: 'messageId must be 1–128 letters, digits or . _ : -' })
  messageId: string;

  @ApiProperty({ enum: SURVEY_CHANNELS })
  @IsIn(SURVEY_CHANNELS)
  channel: SurveyChannel;

  @ApiProperty({ pattern: '^\\d{5,20}$', example: '13800000001' })
  @Matches(/^\d{5,20}$/, { message: 'callerNumber must be 5–20 digits' })
  callerNumber: string;

  @ApiPropertyOptional({ pattern: GATEWAY_ID.source, description: "sms: the message id of the hang-up's satisfaction SMS this replies to" })
  @IsOptional()
  @Matches(GATEWAY_ID, { message: 'reference must be 1–128 letters, digits or . _ : -' })
  reference?: string;

  @ApiProperty({ minLength: 1, maxLength: 160, example: '5', description: 'The reply text or the keys pressed: its first digit 1–5 is the rating' })
  @IsString()
  @MinLength(1)
  @MaxLength(160)
  answer: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true }, { message: 'repliedAt must be an ISO 8601 date-time' })
  repliedAt: string;
}

export class SurveyReplyAckSchema implements SurveyReplyAck {
  @Str() messageId: string;
  @Enum(SURVEY_CHANNELS) channel: SurveyChannel;
  @Str({ format: 'uuid' }) callId: string;
  @Int({ minimum: 1, maximum: 5 }) rating: number;
}

/** `GET /api/metrics/satisfaction`: the days are the rated calls' (UTC). */
export class SatisfactionQuery {
  @ApiPropertyOptional({ description: 'first day included (UTC, YYYY-MM-DD)', format: 'date', pattern: DAY.source })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ description: 'last day included (UTC, YYYY-MM-DD)', format: 'date', pattern: DAY.source })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64, description: 'one business' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  @MaxLength(64)
  flowId?: string;
}

export class SatisfactionFiguresSchema implements SatisfactionFigures {
  @Int() replies: number;
  @Num({ nullable: true }) averageRating: number | null;
  @Num({ nullable: true }) satisfiedRate: number | null;
}
export class ChannelSatisfactionSchema extends SatisfactionFiguresSchema {
  @Enum(SURVEY_CHANNELS) channel: SurveyChannel;
}
export class BusinessSatisfactionSchema extends SatisfactionFiguresSchema implements BusinessSatisfaction {
  @Str() flowId: string;
}
export class VersionSatisfactionSchema extends SatisfactionFiguresSchema implements VersionSatisfaction {
  @Str() flowId: string;
  @Int() version: number;
}
export class AgentSatisfactionSchema extends SatisfactionFiguresSchema implements AgentSatisfaction {
  @Str() agentId: string;
}
export class StepPathSatisfactionSchema extends SatisfactionFiguresSchema implements StepPathSatisfaction {
  @Str() flowId: string;
  @Strs() path: string[];
}
export class SatisfactionReportSchema implements SatisfactionReport {
  @Of(() => SatisfactionFiguresSchema) total: SatisfactionFigures;
  @ArrayOf(() => ChannelSatisfactionSchema) byChannel: (SatisfactionFigures & { channel: SurveyChannel })[];
  @ArrayOf(() => BusinessSatisfactionSchema) byBusiness: BusinessSatisfaction[];
  @ArrayOf(() => VersionSatisfactionSchema) byVersion: VersionSatisfaction[];
  @ArrayOf(() => AgentSatisfactionSchema) byAgent: AgentSatisfaction[];
  @ArrayOf(() => StepPathSatisfactionSchema) byStepPath: StepPathSatisfaction[];
}
