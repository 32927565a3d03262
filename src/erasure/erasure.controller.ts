import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { Erasure, ErasureRecord, ErasureRequest } from '../../protocol/customers';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { ErasureRecordSchema, ErasureSchema } from '../common/api-schemas/customers';
import { ApiErrors } from '../common/api-schemas/errors';
import { Erasures } from './erasure.service';

export class ErasureDto implements ErasureRequest {
  @ApiProperty({ description: "The subscriber's number", example: '13800000001', pattern: '^\\d{5,20}$' })
  @Matches(/^\d{5,20}$/)
  msisdn: string;
}

/** Erasure of a subscriber's personal data from the calls log (crypto-shredding), and its audit: for supervisors. */
@ApiTags('customers')
@Controller('api/erasures')
export class ErasuresController {
  constructor(private readonly erasures: Erasures) {}

  @Post()
  @ApiOperation({
    summary: "Erase a subscriber's personal data: the payload keys of their ended calls are destroyed, their number replaced by its pseudonym (recorded)",
  })
  @ApiCreatedResponse({ type: ErasureSchema })
  @ApiErrors('VALIDATION_FAILED')
  @Roles('supervisor')
  erase(@Body() body: ErasureDto, @Req() req: AuthedRequest): Promise<Erasure> {
    return this.erasures.eraseSubscriber(req.user, body.msisdn);
  }

  @Get()
  @ApiOperation({ summary: 'Who erased which subscriber (by pseudonym), when, and how many calls, newest first (at most 500)' })
  @ApiOkResponse({ type: ErasureRecordSchema, isArray: true })
  @Roles('supervisor')
  list(): Promise<ErasureRecord[]> {
    return this.erasures.list();
  }
}
