import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import type { LoginResult } from '../../protocol/auth';
import { AuthService } from './auth.service';
import { Public } from './jwt-auth.guard';
import { LoginDto } from './login.dto';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginResultSchema } from '../common/api-schemas/auth';
import { ApiErrors } from '../common/api-schemas/errors';

@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Throttled: failed attempts per username and per address (docs/RELIABILITY.md, Access control). */
  @Post('login')
  @Public()
  @ApiTags('auth')
  @ApiOperation({ summary: 'Sign in: a bearer token and the role, or `mustChangePassword` after an admin reset' })
  @ApiOkResponse({ type: LoginResultSchema })
  @ApiErrors('UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_ATTEMPTS', 'RATE_LIMITED', 'VALIDATION_FAILED')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResult> {
    return this.auth.login(body.username, body.password, ip, body.newPassword);
  }
}
