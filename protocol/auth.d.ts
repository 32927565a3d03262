/** Signing in (docs/PROTOCOL.md §1). */

export type Role = 'agent' | 'supervisor' | 'qa' | 'admin';

/** `POST /api/auth/login` body. `newPassword`: the answer to `mustChangePassword` (after an admin reset). */
export interface LoginRequest {
  username: string;
  password: string;
  newPassword?: string;
}

/** `POST /api/auth/login` reply: a JWT for `Authorization: Bearer` (HTTP) and `?token=` (WebSocket). */
export interface LoginResponse {
  token: string;
  role: Role;
}

/**
 * `POST /api/auth/login` reply when the password was right but an admin reset it: no token until the
 * same request is sent again with `newPassword` (checked by the strength rule).
 */
export interface MustChangePassword {
  mustChangePassword: true;
}

export type LoginResult = LoginResponse | MustChangePassword;

/**
 * `GET /api/auth/oidc/options`: how the login page offers sign-in (docs/SSO.md). With `sso`, the
 * page links to `GET /api/auth/oidc/start`; the callback comes back to `/#sso-token=…&role=…&username=…`
 * or `/#sso-error=CODE&message=…`.
 */
export interface SsoOptions {
  localPasswords: boolean;
  sso: { providerName: string } | null;
}
