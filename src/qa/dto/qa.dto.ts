import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import type { CallStatus } from '../../../protocol/calls';
import type { CallSearchParams, ScorecardRequest, ScorecardRevisionRequest } from '../../../protocol/qa';

const ID = /^[a-z0-9][a-z0-9-]*$/;

export class CallSearchQuery implements CallSearchParams {
  @ApiPropertyOptional({ description: 'agent username', minLength: 1, maxLength: 64 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) agent?: string;
  @ApiPropertyOptional({ description: 'a business anywhere in the call', pattern: ID.source, maxLength: 64 })
  @IsOptional()
  @Matches(ID)
  @MaxLength(64)
  flowId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
  @ApiPropertyOptional({ pattern: ID.source, maxLength: 64 }) @IsOptional() @Matches(ID) @MaxLength(64) outcome?: string;
  @ApiPropertyOptional({ enum: ['active', 'completed', 'abandoned'] })
  @IsOptional()
  @IsIn(['active', 'completed', 'abandoned'])
  status?: CallStatus;
  @ApiPropertyOptional({ description: 'started at or after (ISO 8601 date or date-time)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Transform(({ value }) => toIso(value))
  from?: string;
  @ApiPropertyOptional({ description: 'started before (ISO 8601 date or date-time)', example: '2026-02-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Transform(({ value }) => toIso(value))
  to?: string;
  @ApiPropertyOptional({ description: 'customer number', pattern: '^\\d{5,20}$' }) @IsOptional() @Matches(/^\d{5,20}$/) msisdn?: string;
  @ApiPropertyOptional({ description: 'id of an automatic check the call failed', pattern: ID.source, maxLength: 64 })
  @IsOptional()
  @Matches(ID)
  @MaxLength(64)
  failedCheck?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) minDurationMs?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxDurationMs?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/** A valid ISO date normalised to the UTC form the log stores (so string comparison is time order). */
function toIso(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = Date.parse(value);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(value) ? value : new Date(t).toISOString();
}

export class LocaleQuery {
  @ApiPropertyOptional({ enum: ['zh-CN', 'en'] }) @IsOptional() @IsIn(['zh-CN', 'en']) locale?: 'zh-CN' | 'en';
}

/** `{ criterionId: { score?, comment? } }` — checked against the form by the scoring. */
const IsMarks = () =>
  ValidateBy({
    name: 'isMarks',
    validator: {
      validate: (value: unknown) =>
        !!value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 50 &&
        Object.entries(value as Record<string, unknown>).every(
          ([k, v]) =>
            ID.test(k) &&
            !!v &&
            typeof v === 'object' &&
            !Array.isArray(v) &&
            Object.keys(v).every((f) => f === 'score' || f === 'comment') &&
            ((v as { score?: unknown }).score === undefined || typeof (v as { score?: unknown }).score === 'number') &&
            ((v as { comment?: unknown }).comment === undefined ||
              (typeof (v as { comment?: unknown }).comment === 'string' && (v as { comment: string }).comment.length <= 2000)),
        ),
      defaultMessage: () => 'marks must be { criterionId: { score?: number, comment?: string (≤ 2000) } }',
    },
  });

export class ScorecardDto implements ScorecardRequest {
  @ApiProperty({
    type: 'object',
    maxProperties: 50,
    additionalProperties: {
      type: 'object',
      properties: { score: { type: 'number' }, comment: { type: 'string', maxLength: 2000 } },
      additionalProperties: false,
    },
    description: 'Per criterion id (lower-case letters, digits, dashes)',
    example: { greeting: { score: 5 }, accuracy: { score: 4 }, empathy: { score: 4, comment: 'calm' } },
  })
  @IsObject()
  @IsMarks()
  marks: Record<string, { score?: number; comment?: string }>;

  @ApiPropertyOptional({ maxLength: 4000, nullable: true }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class ReviseScorecardDto extends ScorecardDto implements ScorecardRevisionRequest {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'the revision being edited' }) @IsInt() @Min(1) revision: number;
}
