import type { Role } from './user.entity';

/** Who is acting, as carried in the JWT. */
export interface AuthUser {
  sub: string;
  username: string;
  role: Role;
}
