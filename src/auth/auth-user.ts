import type { Role } from './user.entity';

/** Who is acting, as carried in the JWT. */
export interface AuthUser {
  sub: string;
  username: string;
  role: Role;
  /** The user's session epoch when the token was issued (users.session_epoch; absent: 0). */
  epoch?: number;
}
