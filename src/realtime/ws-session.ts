import type { IncomingMessage } from 'node:http';
import type { AuthUser } from '../auth/auth-user';
import { type Locale, LOCALES } from '../flows/flow-definition';

/** Who is on a WebSocket connection, fixed at the handshake. */
export interface WsSession {
  user: AuthUser;
  locale: Locale;
}

const SESSION = Symbol('laihua.session');

export function attachSession(request: IncomingMessage, session: WsSession): void {
  (request as IncomingMessage & { [SESSION]?: WsSession })[SESSION] = session;
}

export function sessionOf(request: IncomingMessage): WsSession | undefined {
  return (request as IncomingMessage & { [SESSION]?: WsSession })[SESSION];
}

export function localeFrom(value: string | null): Locale {
  return LOCALES.includes(value as Locale) ? (value as Locale) : 'zh-CN';
}
