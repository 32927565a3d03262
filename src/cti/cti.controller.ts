import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CTI_SIGNATURE } from '../common/api-schemas/security';
import type { CtiEventAck } from '../../protocol/cti';
import { Public } from '../auth/jwt-auth.guard';
import { ApiErrors } from '../common/api-schemas/errors';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './cti-signature';
import { CtiSignatureGuard } from './cti-signature.guard';
import { CtiEvents } from './cti-events.service';
import { CtiEventAckSchema, CtiEventDto } from './dto/cti-event.dto';

/** The telephony system's webhook (docs/CTI.md): no user token, a signature over the raw body instead. */
@ApiTags('cti')
@Controller('api/cti')
export class CtiController {
  constructor(private readonly events: CtiEvents) {}

  @Post('events')
  @Public()
  @UseGuards(CtiSignatureGuard)
  @ApiSecurity(CTI_SIGNATURE)
  @ApiOperation({
    summary: 'A telephony event (offered, answered, transferred, ended), signed with the shared secret; "answered" pops the agent\'s screen',
  })
  @ApiHeader({ name: TIMESTAMP_HEADER, required: true, description: 'Unix seconds when the event was sent (within CTI_WINDOW_SECONDS)' })
  @ApiHeader({ name: SIGNATURE_HEADER, required: true, description: '`sha256=` + hex HMAC-SHA-256 of `<timestamp>.<raw body>` with CTI_SECRET' })
  @ApiOkResponse({ type: CtiEventAckSchema })
  @ApiErrors(
    'NOT_FOUND',
    'UNAUTHORIZED',
    'EVENT_REPLAYED',
    'AGENT_NOT_CONNECTED',
    'FORBIDDEN',
    'TOO_MANY_CALLS',
    'FLOW_UNAVAILABLE',
    'LOG_UNAVAILABLE',
    'CALL_MOVED',
  )
  @HttpCode(200)
  handle(@Body() body: CtiEventDto): Promise<CtiEventAck> {
    return this.events.handle(body);
  }
}
