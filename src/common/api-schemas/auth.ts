import type { LoginResponse, MustChangePassword, Role } from '../../../protocol/auth';
import { Bool, Enum, Str } from './fields';

export const ROLES: readonly Role[] = ['agent', 'supervisor', 'qa', 'admin'];

/** Either a token and role (LoginResponse), or only `mustChangePassword: true` (MustChangePassword). */
export class LoginResultSchema implements Partial<LoginResponse>, Partial<MustChangePassword> {
  @Str({ optional: true, description: 'A JWT for `Authorization: Bearer` (HTTP) and `?token=` (WebSocket)' }) token?: string;
  @Enum(ROLES, { optional: true }) role?: Role;
  @Bool({ optional: true, description: 'An admin reset the password: send the login again with `newPassword`' }) mustChangePassword?: true;
}
