import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import type { Role } from '../../protocol/auth';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { UserEntity } from '../auth/user.entity';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { PeopleService, TeamEntity } from '../people';
import { type ClaimMapping, mapClaims } from './claim-mapping';

/** What the browser carries between start and callback, signed and short-lived (an httpOnly cookie). */
interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

const PENDING_AUDIENCE = 'laihua-oidc-pending';
export const PENDING_TTL_SECONDS = 600;
/** Who the audit names for changes taken from the provider's claims at a login. */
const SSO_ACTOR: AuthUser = { sub: 'sso', username: 'sso', role: 'admin' };

/**
 * Single sign-on through the organisation's OpenID Connect provider (docs/SSO.md): authorization
 * code + PKCE with openid-client, which checks the ID token (signature, issuer, audience, expiry,
 * nonce). The user must already be in laihua and enabled; their role and team follow the claims.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);
  private provider?: Promise<oidc.Configuration>;
  private readonly mapping: ClaimMapping;

  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly auth: AuthService,
    private readonly people: PeopleService,
    private readonly dataSource: DataSource,
  ) {
    this.mapping = {
      usernameClaim: config.OIDC_USERNAME_CLAIM,
      rolesClaim: config.OIDC_ROLES_CLAIM,
      roleMap: JSON.parse(config.OIDC_ROLE_MAP) as Record<string, Role>,
      teamsClaim: config.OIDC_TEAMS_CLAIM,
      teamMap: JSON.parse(config.OIDC_TEAM_MAP) as Record<string, string>,
    };
  }

  get enabled(): boolean {
    return this.config.OIDC_ISSUER !== '';
  }

  /** The provider's metadata, discovered on first use (and again after a failed discovery). */
  private discovered(): Promise<oidc.Configuration> {
    if (!this.enabled) throw new AppError('NOT_FOUND', 'Single sign-on is not configured');
    const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = this.config;
    // Plain http only for a provider on this machine's loopback (tests, a local provider).
    const insecure = /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(OIDC_ISSUER) ? { execute: [oidc.allowInsecureRequests] } : undefined;
    this.provider ??= oidc.discovery(new URL(OIDC_ISSUER), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, undefined, insecure).catch((e: unknown) => {
      this.provider = undefined;
      this.logger.warn(`OIDC discovery at ${OIDC_ISSUER} failed: ${(e as Error).message}`);
      throw new AppError('FLOW_UNAVAILABLE', 'The single sign-on provider cannot be reached');
    });
    return this.provider;
  }

  /** Where to send the browser, and the signed pending login to keep in a cookie until the callback. */
  async start(): Promise<{ url: string; pending: string }> {
    const provider = await this.discovered();
    const pending: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: this.config.OIDC_REDIRECT_URI,
      scope: this.config.OIDC_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    const signed = await this.jwt.signAsync({ ...pending }, { audience: PENDING_AUDIENCE, expiresIn: PENDING_TTL_SECONDS });
    return { url: url.href, pending: signed };
  }

  /** The provider's answer (the callback's full query) → the same session a password login gives. */
  async finish(callbackQuery: string, pendingCookie: string | undefined): Promise<{ token: string; role: Role; username: string }> {
    const pending = this.pendingOf(pendingCookie);
    const provider = await this.discovered();
    const callback = new URL(this.config.OIDC_REDIRECT_URI);
    callback.search = callbackQuery;
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(provider, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
    } catch (e) {
      // openid-client's cause says which ID token claim failed (aud, exp, nonce, iss…) and how.
      const cause = (e as Error).cause;
      const why = `${(e as Error).message}${cause instanceof Error ? `: ${cause.message}` : ''}`;
      this.logger.warn(`OIDC sign-in refused: ${why}`);
      throw new AppError('UNAUTHORIZED', `The provider's answer was refused: ${why}`);
    }
    return this.signIn(claims);
  }

  private pendingOf(cookie: string | undefined): PendingLogin {
    try {
      if (!cookie) throw new Error('none');
      return this.jwt.verify<PendingLogin>(cookie, { audience: PENDING_AUDIENCE });
    } catch {
      throw new AppError('UNAUTHORIZED', 'The sign-in was not started here or took too long: start again');
    }
  }

  private async signIn(claims: Record<string, unknown>): Promise<{ token: string; role: Role; username: string }> {
    const mapped = mapClaims(claims, this.mapping);
    if (!mapped.username) throw new AppError('UNAUTHORIZED', `The ID token has no ${this.mapping.usernameClaim} claim`);
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username: mapped.username });
    if (!user) throw new AppError('FORBIDDEN', `${mapped.username} is known to the provider but not to laihua: ask an admin to add them`);
    if (user.disabled) throw new AppError('FORBIDDEN', `${mapped.username} is disabled in laihua`);
    const teamId = mapped.team === undefined ? undefined : await this.teamIdOf(mapped.team);
    if ((mapped.role !== undefined && mapped.role !== user.role) || (teamId !== undefined && teamId !== user.teamId)) {
      // Audited like an admin's change; ends the user's sessions that held the old role.
      const summary = await this.people.update(SSO_ACTOR, user.id, { role: mapped.role, teamId });
      user.role = summary.role;
    }
    return { ...(await this.auth.issue(user)), username: user.username };
  }

  private async teamIdOf(name: string): Promise<string | undefined> {
    const team = await this.dataSource.getRepository(TeamEntity).findOneBy({ name });
    if (!team) this.logger.warn(`OIDC team ${name} is not a laihua team: the user's team is left as it is`);
    return team?.id;
  }
}
