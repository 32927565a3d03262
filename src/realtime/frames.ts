import type { WebSocket } from 'ws';
import type { ServerFrame } from '../../protocol/frames';
import type { AppError } from '../common/app-error';

/** Every frame the server sends (docs/PROTOCOL.md, protocol/frames.d.ts): built and sent only through `sendFrame`. */
export type { ServerFrame };

export function isOpen(socket: WebSocket): boolean {
  return socket.readyState === socket.OPEN;
}

/** The one way a frame goes out; a connection that is closing or closed gets nothing. */
export function sendFrame(socket: WebSocket, frame: ServerFrame): void {
  if (isOpen(socket)) socket.send(JSON.stringify(frame));
}

/** `call.error` for any refused message; the request's id is echoed when it is a string, else null. */
export function errorFrame(requestId: unknown, error: AppError): ServerFrame {
  return { event: 'call.error', data: { requestId: typeof requestId === 'string' ? requestId : null, ...error.toBody() } };
}
