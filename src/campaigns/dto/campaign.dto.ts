import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsObject, IsOptional, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { CampaignBrand, CampaignRequest } from '../../../protocol/campaigns';

export const MAX_CAMPAIGN_CALLS = 100;

export class CampaignQuotaDto implements Record<CampaignBrand, number> {
  @ApiProperty({ description: '全球通 share', minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  gotone: number;

  @ApiProperty({ description: '神州行 share', minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  easyown: number;

  @ApiProperty({ description: '动感地带 share', minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  mzone: number;
}

export class StartCampaignDto implements CampaignRequest {
  @ApiProperty({ description: 'The business (flow id)', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 })
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  @MaxLength(64)
  flowId: string;

  @ApiProperty({ description: 'The version to dial: a draft or any stored version', type: 'integer', minimum: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ description: 'Simulated calls', type: 'integer', minimum: 1, maximum: MAX_CAMPAIGN_CALLS })
  @IsInt()
  @Min(1)
  @Max(MAX_CAMPAIGN_CALLS)
  calls: number;

  @ApiPropertyOptional({ description: 'Callers per brand, in proportion (default 2 : 4 : 4); at least one share above 0', type: CampaignQuotaDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CampaignQuotaDto)
  quota?: CampaignQuotaDto;

  @ApiPropertyOptional({ description: 'The draw’s seed (default 1)', type: 'integer', minimum: 0, maximum: 2147483647 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2147483647)
  seed?: number;
}

export class CampaignListQuery {
  @ApiProperty({ description: 'The business (flow id)', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 })
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  @MaxLength(64)
  flowId: string;

  @ApiPropertyOptional({ description: 'Only this version', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
