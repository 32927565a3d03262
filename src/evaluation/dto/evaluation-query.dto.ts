import { ApiProperty, ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ScoreGrouping, ScoresParams } from '../../../protocol/evaluation';
import { MetricsQuery } from '../../metrics';

export const GROUPINGS: readonly ScoreGrouping[] = ['business', 'version', 'region', 'team', 'month'];

/** The metrics filters (no CSV) and the grouping. */
export class EvaluationQuery extends OmitType(MetricsQuery, ['format'] as const) {}

export class ScoresQuery extends EvaluationQuery implements ScoresParams {
  @ApiProperty({ enum: GROUPINGS, description: 'one group per business, flow version, customer region, agent team or month' })
  @IsIn(GROUPINGS)
  by: ScoreGrouping;
}

/** The "other" needs: by day range, region and agent only (what the record keeps). */
export class OtherNeedsQuery extends PickType(MetricsQuery, ['from', 'to', 'region', 'agent'] as const) {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
