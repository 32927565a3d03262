import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import type { LoginResponse } from '../../protocol/auth';
import { AuthService } from './auth.service';
import { Public } from './jwt-auth.guard';
import { LoginDto } from './login.dto';

@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Throttled: failed attempts per username and per address (docs/RELIABILITY.md, Access control). */
  @Post('login')
  @Public()
  @HttpCode(200)
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.login(body.username, body.password, ip);
  }
}
