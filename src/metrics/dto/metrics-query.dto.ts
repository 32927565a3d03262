import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { CompareParams, MetricsParams } from '../../../protocol/metrics';
import { MAX_FCR_DAYS } from '../rollup-schema';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class MetricsQuery implements MetricsParams {
  @ApiPropertyOptional({ description: 'first day included (UTC, YYYY-MM-DD)', format: 'date', pattern: DAY.source })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ description: 'last day included (UTC, YYYY-MM-DD)', format: 'date', pattern: DAY.source })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ pattern: ID.source, maxLength: 64 }) @IsOptional() @Matches(ID) @MaxLength(64) flowId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
  @ApiPropertyOptional({ description: 'customer region', minLength: 1, maxLength: 64 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) region?: string;
  @ApiPropertyOptional({ description: 'agent username', minLength: 1, maxLength: 64 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) agent?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) brand?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) tier?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_FCR_DAYS, description: 'FCR window in days (default METRICS_FCR_DAYS)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FCR_DAYS)
  fcrDays?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/** `flowId` is required here (checked by the controller). */
export class CompareQuery extends MetricsQuery implements CompareParams {
  @ApiProperty({ pattern: ID.source, maxLength: 64, description: 'required here' }) declare flowId?: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) @Type(() => Number) @IsInt() @Min(1) a: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) @Type(() => Number) @IsInt() @Min(1) b: number;
}
