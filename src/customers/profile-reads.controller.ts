import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { ProfileRead } from '../../protocol/customers';
import { Roles } from '../auth/jwt-auth.guard';
import { ProfileReads } from './profile-reads.service';
import { ProfileReadSchema } from '../common/api-schemas/customers';

export class ProfileReadsQueryDto {
  @ApiPropertyOptional({ description: 'Only reads of this number', example: '13800000001', pattern: '^\\d{5,20}$' })
  @IsOptional()
  @Matches(/^\d{5,20}$/)
  msisdn?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only reads made without a call in progress with the number' })
  @IsOptional()
  @IsIn(['true', 'false'])
  withoutCall?: 'true' | 'false';
}

/** Who opened which subscriber's profile, newest first (at most 500): for supervisors. */
@ApiTags('customers')
@Controller('api/profile-reads')
export class ProfileReadsController {
  constructor(private readonly reads: ProfileReads) {}

  @Get()
  @ApiOperation({ summary: 'Who opened which subscriber profile, newest first (at most 500)' })
  @ApiOkResponse({ type: ProfileReadSchema, isArray: true })
  @Roles('supervisor')
  list(@Query() q: ProfileReadsQueryDto): Promise<ProfileRead[]> {
    return this.reads.list({ msisdn: q.msisdn, withoutCall: q.withoutCall === 'true' });
  }
}
