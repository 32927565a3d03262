import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import type { CreateDraftRequest, DefinitionRequest, DryRunDecisionRequest, StartDryRunRequest, WorkflowRequest } from '../../../protocol/authoring';

export class CreateDraftDto implements CreateDraftRequest {
  @ApiPropertyOptional({ description: 'Version to copy (default: the version in force)', type: 'integer', minimum: 1 })
  // Absent, not null: null is refused (IsOptional would let it through as absent).
  @ValidateIf((o: CreateDraftDto) => o.basedOn !== undefined)
  @IsInt()
  @Min(1)
  basedOn?: number;

  @ApiPropertyOptional({
    description: 'A whole flow definition (for a new flow, or to replace the copy); id and version are set by the server',
    type: 'object',
    additionalProperties: true,
  })
  @ValidateIf((o: CreateDraftDto) => o.definition !== undefined)
  @IsObject()
  definition?: Record<string, unknown>;
}

export class EditDraftDto implements DefinitionRequest {
  @ApiProperty({
    description: 'The whole flow definition (docs/FLOWS.md); saved even when checks fail, which the reply lists',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  definition: Record<string, unknown>;
}

export class CheckDefinitionDto extends EditDraftDto {}

export class ApproveDto implements WorkflowRequest {
  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectDto implements WorkflowRequest {
  @ApiProperty({ description: 'Why it goes back to draft', minLength: 1, maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  comment: string;
}

export class DiffQueryDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) @Type(() => Number) @IsInt() @Min(1) from: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) @Type(() => Number) @IsInt() @Min(1) to: number;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }) @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]*$/) @MaxLength(64) flowId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

export class StartDryRunDto implements StartDryRunRequest {
  @ApiProperty({ description: 'Simulator customer (demo customer number)', example: '13800000001', pattern: '^\\d{5,20}$' })
  @Matches(/^\d{5,20}$/)
  msisdn: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'] })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}

export class DryRunDecisionDto implements DryRunDecisionRequest {
  @ApiProperty({ description: 'The seq of the view this decision answers', type: 'integer', minimum: 1 })
  @IsInt()
  @Min(1)
  seq: number;

  @ApiProperty({ minLength: 1, maxLength: 64 }) @IsString() @MinLength(1) @MaxLength(64) option: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], maxItems: 50, nullable: true })
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
