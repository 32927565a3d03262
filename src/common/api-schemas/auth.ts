import type { LoginResponse, Role } from '../../../protocol/auth';
import { Enum, Str } from './fields';

export const ROLES: readonly Role[] = ['agent', 'supervisor', 'qa'];

export class LoginResponseSchema implements LoginResponse {
  @Str({ description: 'A JWT for `Authorization: Bearer` (HTTP) and `?token=` (WebSocket)' }) token: string;
  @Enum(ROLES) role: Role;
}
