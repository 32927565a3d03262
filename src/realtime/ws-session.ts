import type { IncomingMessage } from 'node:http';
import type { AuthUser } from '../auth/auth-user';
import { type Locale, LOCALES } from '../flows/flow-definition';

/** Who is on a WebSocket connection, fixed at the handshake. */
export interface WsSession {
  user: AuthUser;
  locale: Locale;
}

const SESSION = Symbol('laihua.session');

/** On the upgrade request at the handshake, then on the socket itself (the roles guard reads it there). */
export function attachSession(target: IncomingMessage | object, session: WsSession): void {
  (target as { [SESSION]?: WsSession })[SESSION] = session;
}

export function sessionOf(target: IncomingMessage | object): WsSession | undefined {
  return (target as { [SESSION]?: WsSession })[SESSION];
}

export function localeFrom(value: string | null): Locale {
  return LOCALES.includes(value as Locale) ? (value as Locale) : 'zh-CN';
}
