/** Signing in (docs/PROTOCOL.md §1). */

export type Role = 'agent' | 'supervisor' | 'qa';

/** `POST /api/auth/login` body. */
export interface LoginRequest {
  username: string;
  password: string;
}

/** `POST /api/auth/login` reply: a JWT for `Authorization: Bearer` (HTTP) and `?token=` (WebSocket). */
export interface LoginResponse {
  token: string;
  role: Role;
}
