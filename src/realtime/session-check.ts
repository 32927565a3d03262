import type { AuthService } from '../auth/auth.service';
import type { Connection } from './connections';

/** Close code for a socket whose session no longer holds (user deleted or re-roled, token expired): sign in again. */
export const CLOSE_SESSION_ENDED = 4401;

/** The connection's token has not expired and its user still exists with the same role (the signature was checked at the handshake). */
export function sessionHolds(auth: AuthService, connection: Connection): boolean {
  return Date.now() < connection.expiresAt && auth.stillHolds(connection.user);
}
