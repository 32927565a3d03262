import type { AuthUser } from './auth-user';

/**
 * The signed-in user of a WebSocket connection, fixed at the handshake (src/realtime binds it when
 * the connection opens) and read by the global guard for every message. Kept on the socket itself
 * so the guard needs nothing from the transport that owns the connection.
 */
const USER = Symbol('laihua.socket-user');

export function bindSocketUser(socket: object, user: AuthUser): void {
  (socket as { [USER]?: AuthUser })[USER] = user;
}

export function socketUser(socket: object): AuthUser | undefined {
  return (socket as { [USER]?: AuthUser })[USER];
}
