import type { CallView } from './call-view';
import type { CallError } from './errors';
import type { FloorSnapshot } from './floor';
import type { FlowSearchHit } from './flows';

/**
 * The WebSocket at `/ws?token=…&locale=…` (docs/PROTOCOL.md §2–§6, §13): every frame, both ways,
 * is one JSON text message `{"event": name, "data": {…}}`.
 */

/** Every client message names its request, so replies can be matched even when they arrive out of order. */
export interface RequestMessage {
  requestId: string;
}

export interface CallStartMessage extends RequestMessage {
  /** 5–20 digits. */
  callerNumber: string;
  flowId: string;
}

export interface CallRefMessage extends RequestMessage {
  callId: string;
}

export interface CallDecideMessage extends CallRefMessage {
  /** The seq of the view this decision answers. */
  seq: number;
  option: string;
  input?: Record<string, unknown>;
  /** The care prompts (C) the agent ticked. Recorded, not trusted: QA checks them against the step. */
  confirmedPrompts?: string[];
}

export interface FlowSearchMessage extends RequestMessage {
  q: string;
}

/** Client → server: the data of each event. */
export interface ClientMessages {
  'call.start': CallStartMessage;
  'call.decide': CallDecideMessage;
  'call.attach': CallRefMessage;
  'call.hangup': CallRefMessage;
  'flow.search': FlowSearchMessage;
  'floor.subscribe': RequestMessage;
  'floor.unsubscribe': RequestMessage;
}
export type ClientEvent = keyof ClientMessages;

/** `requestId` is present only in the reply to a client message; pushes have none. */
export type Replied<T> = T & { requestId?: string };

/** `flow.results`: the answer to `flow.search`. */
export interface FlowResults extends RequestMessage {
  q: string;
  results: FlowSearchHit[];
}

/** Server → client: the data of each event. */
export interface ServerMessages {
  'call.view': Replied<CallView>;
  'call.error': CallError;
  'flow.results': FlowResults;
  'floor.snapshot': Replied<FloorSnapshot>;
  'floor.unsubscribed': RequestMessage;
  /** Push (several nodes): the call is now driven by another node; attach to it again (`call.attach`) to go on. */
  'call.moved': { callId: string };
}
export type ServerEvent = keyof ServerMessages;

/** The frame that answers each client message when it succeeds (otherwise `call.error`). */
export interface ReplyEvents {
  'call.start': 'call.view';
  'call.decide': 'call.view';
  'call.attach': 'call.view';
  'call.hangup': 'call.view';
  'flow.search': 'flow.results';
  'floor.subscribe': 'floor.snapshot';
  'floor.unsubscribe': 'floor.unsubscribed';
}

export type ClientFrame<E extends ClientEvent = ClientEvent> = { [K in E]: { event: K; data: ClientMessages[K] } }[E];
export type ServerFrame<E extends ServerEvent = ServerEvent> = { [K in E]: { event: K; data: ServerMessages[K] } }[E];
