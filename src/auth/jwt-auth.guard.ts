import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import { socketUser } from './socket-user';
import type { Role } from './user.entity';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Restricts an HTTP handler or WebSocket message to these roles (default: any signed-in user). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Opens an HTTP handler to callers without a token (login, health, the metrics scrape with its own token). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type AuthedRequest = Request & { user: AuthUser };

/** What a handler's decorators say: open to anyone, or to these roles (none: any signed-in user). */
interface AccessRule {
  isPublic: boolean;
  roles: Role[] | undefined;
}

/**
 * Registered once as the global guard (AuthModule): every HTTP route and WebSocket message needs a
 * signed-in user unless marked `@Public()`, and `@Roles` narrows who. Deny by default, so a new
 * route cannot be left open by forgetting a decorator. HTTP reads the bearer token; a WebSocket's
 * user was fixed at the handshake (src/realtime). `@UseGuards(JwtAuthGuard)` on a controller is
 * therefore redundant, but harmless (the user is verified once per request).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.ruleOf(context);
    if (rule.isPublic) return true;
    const user = context.getType() === 'ws' ? this.wsUser(context) : this.httpUser(context);
    if (rule.roles && !rule.roles.includes(user.role)) throw new AppError('FORBIDDEN', `Role ${user.role} may not do this`);
    return true;
  }

  /**
   * A handler's decorators are fixed once the app is built: read once per handler, not per request
   * (reflect-metadata walks prototype chains — measurable on every WebSocket frame under load).
   */
  private readonly rules = new WeakMap<object, WeakMap<object, AccessRule>>();

  private ruleOf(context: ExecutionContext): AccessRule {
    const handler = context.getHandler();
    const owner = context.getClass();
    let byClass = this.rules.get(handler);
    if (!byClass) this.rules.set(handler, (byClass = new WeakMap()));
    let rule = byClass.get(owner);
    if (!rule) {
      const targets = [handler, owner];
      rule = {
        isPublic: !!this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets),
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      byClass.set(owner, rule);
    }
    return rule;
  }

  private httpUser(context: ExecutionContext): AuthUser {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    if (request.user) return request.user;
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    return (request.user = this.auth.verify(token));
  }

  private wsUser(context: ExecutionContext): AuthUser {
    const user = socketUser(context.switchToWs().getClient<object>());
    if (!user) throw new AppError('UNAUTHORIZED', 'No session on this connection');
    return user;
  }
}
