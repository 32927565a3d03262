import { Body, Controller, HttpCode, Ip, Post, Req } from '@nestjs/common';
import type { LoginResult } from '../../protocol/auth';
import { AuthService } from './auth.service';
import { type AuthedRequest, Public } from './jwt-auth.guard';
import { UserChanges } from './user-changes';
import { LoginDto } from './login.dto';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginResultSchema } from '../common/api-schemas/auth';
import { ApiErrors } from '../common/api-schemas/errors';

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly changes: UserChanges,
  ) {}

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

  /**
   * Ends every session of the signed-in user — this token, their other tokens, their open sockets —
   * on every node, at once (docs/RELIABILITY.md, Access control). Signing in again gives a new one.
   */
  @Post('logout')
  @ApiTags('auth')
  @ApiOperation({ summary: 'Log out: every token and socket of the signed-in user stops working, on every node' })
  @ApiNoContentResponse({ description: 'Logged out' })
  @HttpCode(204)
  async logout(@Req() req: AuthedRequest): Promise<void> {
    await this.auth.logout(req.user);
    await this.changes.changed(req.user.sub);
  }
}
