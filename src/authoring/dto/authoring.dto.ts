import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';

export class CreateDraftDto {
  @ApiPropertyOptional({ description: 'Version to copy (default: the version in force)', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  basedOn?: number;

  @ApiPropertyOptional({
    description: 'A whole flow definition (for a new flow, or to replace the copy); id and version are set by the server',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  definition?: Record<string, unknown>;
}

export class EditDraftDto {
  @ApiProperty({
    description: 'The whole flow definition (docs/FLOWS.md); saved even when checks fail, which the reply lists',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  definition: Record<string, unknown>;
}

export class CheckDefinitionDto extends EditDraftDto {}

export class ApproveDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectDto {
  @ApiProperty({ description: 'Why it goes back to draft', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  comment: string;
}

export class DiffQueryDto {
  @ApiProperty({ minimum: 1 }) @Type(() => Number) @IsInt() @Min(1) from: number;
  @ApiProperty({ minimum: 1 }) @Type(() => Number) @IsInt() @Min(1) to: number;
}

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]*$/) @MaxLength(64) flowId?: string;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

export class StartDryRunDto {
  @ApiProperty({ description: 'Simulator customer (demo customer number)', example: '13800000001' })
  @Matches(/^\d{5,20}$/)
  msisdn: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'] })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}

export class DryRunDecisionDto {
  @ApiProperty({ description: 'The seq of the view this decision answers' })
  @IsInt()
  @Min(1)
  seq: number;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) option: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  confirmedPrompts?: string[];

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'] })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}
