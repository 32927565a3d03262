import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ValidateBy } from 'class-validator';

const ID = /^[a-z0-9][a-z0-9-]*$/;

export class CallSearchQuery {
  @ApiPropertyOptional({ description: 'agent username' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) agent?: string;
  @ApiPropertyOptional({ description: 'a business anywhere in the call' }) @IsOptional() @Matches(ID) @MaxLength(64) flowId?: string;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(ID) @MaxLength(64) outcome?: string;
  @ApiPropertyOptional({ enum: ['active', 'completed', 'abandoned'] }) @IsOptional() @IsIn(['active', 'completed', 'abandoned']) status?: string;
  @ApiPropertyOptional({ description: 'started at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Transform(({ value }) => toIso(value))
  from?: string;
  @ApiPropertyOptional({ description: 'started before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Transform(({ value }) => toIso(value))
  to?: string;
  @ApiPropertyOptional({ description: 'customer number' }) @IsOptional() @Matches(/^\d{5,20}$/) msisdn?: string;
  @ApiPropertyOptional({ description: 'id of an automatic check the call failed' }) @IsOptional() @Matches(ID) @MaxLength(64) failedCheck?: string;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) minDurationMs?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxDurationMs?: number;
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
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

export class ScorecardDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { greeting: { score: 5 }, accuracy: { score: 4 }, empathy: { score: 4, comment: 'calm' } },
  })
  @IsObject()
  @IsMarks()
  marks: Record<string, { score?: number; comment?: string }>;

  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class ReviseScorecardDto extends ScorecardDto {
  @ApiProperty({ description: 'the revision being edited' }) @IsInt() @Min(1) revision: number;
}
