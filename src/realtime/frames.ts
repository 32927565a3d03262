import type { WebSocket } from 'ws';
import type { CallView } from '../calls';
import type { AppError } from '../common/app-error';
import type { FloorSnapshot } from '../floor';
import type { FlowSearchHit } from '../flows/flow-search';

/** A reply carries the `requestId` of the message it answers; a push carries none. */
type Reply<T> = { requestId: string } & T;

/** Every frame the server sends (docs/PROTOCOL.md): built and sent only through `sendFrame`. */
export type ServerFrame =
  | { event: 'call.view'; data: CallView | Reply<CallView> }
  | { event: 'call.error'; data: { requestId: string | null } & ReturnType<AppError['toBody']> }
  | { event: 'flow.results'; data: Reply<{ q: string; results: FlowSearchHit[] }> }
  | { event: 'floor.snapshot'; data: FloorSnapshot | Reply<FloorSnapshot> }
  | { event: 'floor.unsubscribed'; data: Reply<object> };

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
