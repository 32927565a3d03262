import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, MaxLength, Min } from 'class-validator';
import type { QuadrantPoint } from '../../../protocol/evaluation';
import type {
  Backlog,
  BacklogEntry,
  BacklogPriority,
  BacklogStatus,
  FlagReason,
  FlagSource,
  StepEvidence,
  StepFlag,
  StepFlagRequest,
} from '../../../protocol/redesign';
import { QuadrantPointSchema } from '../../common/api-schemas/evaluation';
import { ArrayOf, DateTime, Enum, Int, Num, Of, Str } from '../../common/api-schemas/fields';

/** The reasons an agent or QA picks from (the web's dictionaries name each). */
export const FLAG_REASONS = ['script-unclear', 'wrong-order', 'missing-option', 'too-slow', 'not-needed', 'other'] as const satisfies readonly FlagReason[];
const FLAG_SOURCES = ['agent', 'qa'] as const satisfies readonly FlagSource[];
const STATUSES = ['open', 'awaiting-data', 'closed'] as const satisfies readonly BacklogStatus[];

/** `POST /api/calls/:id/flags`: the agent flags the step on screen. */
export class AgentFlagDto implements StepFlagRequest {
  @ApiProperty({ enum: FLAG_REASONS }) @IsIn(FLAG_REASONS) reason: FlagReason;
  @ApiProperty({ maxLength: 500, description: 'Why, in the flagger’s words (may be empty)' }) @IsString() @MaxLength(500) text: string;
}

/** `POST /api/qa/calls/:id/flags`: QA flags the step of one view of the replay. */
export class QaFlagDto extends AgentFlagDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The view (seq) of the replay flagged' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  declare seq: number;
}

export class StepFlagSchema implements StepFlag {
  @Int() id: number;
  @Enum(FLAG_SOURCES) source: FlagSource;
  @Str() flowId: string;
  @Int() version: number;
  @Str() stepId: string;
  @Enum(FLAG_REASONS) reason: FlagReason;
  @Str() text: string;
  @Str({ nullable: true }) callId: string | null;
  @Int({ nullable: true }) seq: number | null;
  @Str() actor: string;
  @DateTime() at: string;
}

export class StepEvidenceSchema implements StepEvidence {
  @Int() version: number;
  @Int() visits: number;
  @Int() flags: number;
  @Int() failures: number;
  @Int() waitMs: number;
  @Int() score: number;
  @Num({ nullable: true }) rate: number | null;
}

class ReasonCountSchema {
  @Enum(FLAG_REASONS) reason: FlagReason;
  @Int() count: number;
}

export class BacklogEntrySchema implements BacklogEntry {
  @Int() rank: number;
  @Str() flowId: string;
  @Str() stepId: string;
  @Enum(STATUSES) status: BacklogStatus;
  @Int() version: number;
  @Of(() => StepEvidenceSchema) evidence: StepEvidence;
  @Of(() => StepEvidenceSchema, { nullable: true }) newer: StepEvidence | null;
  @ArrayOf(() => ReasonCountSchema) reasons: { reason: FlagReason; count: number }[];
}

export class BacklogPrioritySchema implements BacklogPriority {
  @Of(() => QuadrantPointSchema) point: QuadrantPoint;
  @Int() rank: number;
  @Int() of: number;
}

export class BacklogSchema implements Backlog {
  @Str() flowId: string;
  @Of(() => BacklogPrioritySchema, { nullable: true }) priority: BacklogPriority | null;
  @ArrayOf(() => BacklogEntrySchema) entries: BacklogEntry[];
}
