import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { ApiErrors } from '../common/api-schemas/errors';
import { AppConfig } from '../config/app-config';
import { SsoOptionsSchema } from './sso.schemas';
import { PENDING_TTL_SECONDS, SsoService } from './sso.service';

const PENDING_COOKIE = 'laihua_oidc';

const cookieOf = (req: Request, name: string): string | undefined =>
  (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

/**
 * Single sign-on (docs/SSO.md). `start` and `callback` are browser navigations: they answer with
 * redirects, and the callback hands the session to the web app in the URL fragment (never sent to
 * a server, so no log or proxy sees it): `/#sso-token=…&role=…`, or `/#sso-error=CODE&message=…`.
 */
@ApiTags('auth')
@Controller('api/auth/oidc')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly config: AppConfig,
  ) {}

  @Get('options')
  @Public()
  @ApiOperation({ summary: 'How the login page offers sign-in: local passwords on or off, and the SSO provider if any' })
  @ApiOkResponse({ type: SsoOptionsSchema })
  options(): SsoOptionsSchema {
    return { localPasswords: this.config.LOCAL_PASSWORDS, sso: this.sso.enabled ? { providerName: this.config.OIDC_PROVIDER_NAME } : null };
  }

  @Get('start')
  @Public()
  @ApiOperation({ summary: "Sends the browser to the provider's login (authorization code + PKCE)" })
  @ApiFoundResponse({ description: "The provider's authorization URL" })
  @ApiErrors('NOT_FOUND', 'FLOW_UNAVAILABLE')
  async start(@Res() res: Response): Promise<void> {
    const { url, pending } = await this.sso.start();
    res.cookie(PENDING_COOKIE, pending, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.OIDC_REDIRECT_URI.startsWith('https:'),
      maxAge: PENDING_TTL_SECONDS * 1000,
      path: '/api/auth/oidc',
    });
    res.redirect(302, url);
  }

  @Get('callback')
  @Public()
  @ApiOperation({ summary: "The provider's answer: signs the user in and sends the browser to the web app with the session (or why not)" })
  @ApiFoundResponse({ description: 'The web app, `/#sso-token=…&role=…` or `/#sso-error=CODE&message=…`' })
  @ApiErrors('NOT_FOUND')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.sso.enabled) throw new AppError('NOT_FOUND', 'Single sign-on is not configured');
    res.clearCookie(PENDING_COOKIE, { path: '/api/auth/oidc' });
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let fragment: URLSearchParams;
    try {
      const { token, role, username } = await this.sso.finish(query, cookieOf(req, PENDING_COOKIE));
      fragment = new URLSearchParams({ 'sso-token': token, role, username });
    } catch (e) {
      const error = e instanceof AppError ? e : new AppError('INTERNAL', 'Single sign-on failed');
      fragment = new URLSearchParams({ 'sso-error': error.code, message: error.message });
    }
    res.redirect(302, `/#${fragment.toString()}`);
  }
}
