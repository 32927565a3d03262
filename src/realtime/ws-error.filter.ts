import { ArgumentsHost, Catch, Logger, type WsExceptionFilter } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { toAppError } from '../common/to-app-error';
import { errorFrame, sendFrame } from './frames';

/** Every error raised while handling a frame becomes one `call.error` frame carrying the request's id. */
@Catch()
export class WsErrorFilter implements WsExceptionFilter {
  private readonly logger = new Logger('WS');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const client = ws.getClient<WebSocket>();
    const data = ws.getData<{ requestId?: unknown } | undefined>();
    const error = toAppError(exception);
    if (error.code === 'INTERNAL') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    sendFrame(client, errorFrame(data?.requestId, error));
  }
}
