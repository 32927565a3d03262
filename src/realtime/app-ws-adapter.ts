import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';
import { EMPTY, type Observable, of } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { AppError } from '../common/app-error';
import { attachSession, localeFrom } from './ws-session';

interface MessageHandler {
  message: string;
  callback: (data: unknown, event: string) => Observable<unknown> | Promise<unknown> | unknown;
}

const errorFrame = (requestId: unknown, error: AppError) => ({
  event: 'call.error',
  data: { requestId: typeof requestId === 'string' ? requestId : null, ...error.toBody() },
});

/**
 * The plain `ws` adapter, plus what the protocol promises and the stock adapter drops silently:
 * a 401 at the handshake without a valid token, and typed errors for frames that are not JSON,
 * not `{event, data}`, or name an unknown event.
 */
export class AppWsAdapter extends WsAdapter {
  private readonly auth: AuthService;

  constructor(app: INestApplicationContext) {
    super(app);
    this.auth = app.get(AuthService);
  }

  override create(port: number, options: Record<string, unknown> = {}) {
    return super.create(port, {
      ...options,
      maxPayload: 64 * 1024,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        try {
          const url = new URL(info.req.url ?? '/', 'ws://localhost');
          const user = this.auth.verify(url.searchParams.get('token'));
          attachSession(info.req, { user, locale: localeFrom(url.searchParams.get('locale')) });
          done(true);
        } catch {
          done(false, 401, 'Unauthorized');
        }
      },
    });
  }

  override bindMessageHandler(
    buffer: { data: unknown },
    handlers: Map<string, MessageHandler>,
    transform: (data: unknown) => Observable<unknown>,
  ): Observable<unknown> {
    let message: unknown;
    try {
      message = JSON.parse(String(buffer.data));
    } catch {
      return of(errorFrame(null, new AppError('BAD_JSON', 'The frame is not valid JSON')));
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof (message as { event?: unknown }).event !== 'string') {
      return of(errorFrame(null, new AppError('VALIDATION_FAILED', 'A frame is {"event": string, "data": object}')));
    }
    const { event, data } = message as { event: string; data?: unknown };
    const requestId = typeof data === 'object' && data !== null ? (data as { requestId?: unknown }).requestId : undefined;
    const handler = handlers.get(event);
    if (!handler) return of(errorFrame(requestId, new AppError('UNKNOWN_EVENT', `Unknown event '${event}'`)));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return of(errorFrame(null, new AppError('VALIDATION_FAILED', '`data` must be an object')));
    }
    try {
      return transform(handler.callback(data, event));
    } catch {
      return EMPTY;
    }
  }
}
