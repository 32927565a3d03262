import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const FLOW_ID = /^[a-z0-9][a-z0-9-]*$/;

export class TrainingStartDto {
  @ApiProperty({ maxLength: 64, pattern: FLOW_ID.source, description: 'The business to practise' })
  @IsString()
  @Matches(FLOW_ID)
  @MaxLength(64)
  flowId: string;

  @ApiPropertyOptional({ maxLength: 120, description: 'A scenario of it (GET /api/training/scenarios); one is drawn at random without' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  scenarioId?: string;
}

export class TrainingScenarioQueryDto {
  @ApiProperty({ maxLength: 64, pattern: FLOW_ID.source })
  @IsString()
  @Matches(FLOW_ID)
  @MaxLength(64)
  flowId: string;
}
