import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { ArticleRequest, SearchKind, SearchPickRequest, StepLink } from '../../../protocol/knowledge';

const ID = /^[a-z0-9][a-z0-9-]*$/;

export class TitleDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) 'zh-CN': string;
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) en: string;
}

export class BodyDto {
  @ApiProperty({ description: 'Rich text (HTML); sanitized to an allow-list of tags', maxLength: 20000 }) @IsString() @MaxLength(20000) 'zh-CN': string;
  @ApiProperty({ description: 'Rich text (HTML); sanitized to an allow-list of tags', maxLength: 20000 }) @IsString() @MaxLength(20000) en: string;
}

export class StepLinkDto implements StepLink {
  @ApiProperty({ pattern: ID.source, maxLength: 64 }) @IsString() @Matches(ID) @MaxLength(64) flowId: string;
  @ApiProperty({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) @IsString() @Matches(/^[A-Za-z0-9_-]+$/) @MaxLength(64) stepId: string;
}

export class ArticleDto implements ArticleRequest {
  @ApiProperty({ type: TitleDto }) @IsObject() @ValidateNested() @Type(() => TitleDto) title: TitleDto;
  @ApiProperty({ type: BodyDto }) @IsObject() @ValidateNested() @Type(() => BodyDto) body: BodyDto;
  @ApiProperty({ type: [String], maxItems: 20 }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(40, { each: true }) tags: string[];
  @ApiProperty({ type: [StepLinkDto], maxItems: 50 })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StepLinkDto)
  steps: StepLinkDto[];
  @ApiProperty({ type: [String], maxItems: 50, description: 'Regions it applies to; empty: all' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  regions: string[];
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) @ValidateIf((o: ArticleDto) => o.validFrom != null) @IsISO8601({ strict: true }) validFrom?:
    string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) @ValidateIf((o: ArticleDto) => o.validTo != null) @IsISO8601({ strict: true }) validTo?:
    string | null;
}

export class ApproveArticleDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class RejectArticleDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) comment: string;
}

export class ArticleAuditQueryDto {
  @ApiPropertyOptional({ pattern: ID.source, maxLength: 64 }) @IsOptional() @Matches(ID) @MaxLength(64) articleId?: string;
}

export class StepArticlesQueryDto {
  @ApiProperty({ pattern: ID.source, maxLength: 64 }) @IsString() @Matches(ID) @MaxLength(64) flowId: string;
  @ApiProperty({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) @IsString() @Matches(/^[A-Za-z0-9_-]+$/) @MaxLength(64) stepId: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @MaxLength(40) region?: string;
}

export class SearchQueryDto {
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) q: string;
  @ApiPropertyOptional({ description: 'The open call, if any: the search is logged against it', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  callId?: string;
}

export const SEARCH_KINDS: readonly SearchKind[] = ['article', 'business', 'scenario'];

export class SearchPickDto implements SearchPickRequest {
  @ApiProperty({ enum: SEARCH_KINDS }) @IsIn(SEARCH_KINDS) kind: SearchKind;
  @ApiProperty({ minLength: 1, maxLength: 64 }) @IsString() @MinLength(1) @MaxLength(64) id: string;
}

export class SearchIdParamDto {
  @Type(() => Number) @IsInt() @Min(1) searchId: number;
}
