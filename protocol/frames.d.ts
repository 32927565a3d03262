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
  /**
   * An outbound callback (docs/FOLLOW-UP.md): the `callback` work item the call makes. The number and
   * flow must be the item's; the call opens with the item's context and the item is then in progress.
   */
  workItemId?: number;
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

/**
 * `call.popped` (push): the telephony system (docs/CTI.md) reported that this agent answered a call;
 * the server has started it — caller looked up, business suggested by the IVR path — and this
 * connection now watches it. The screen shows `view` as if the agent had started the call.
 */
export interface CallPopped {
  view: CallView;
  /** The caller's number as the telephony system gave it. */
  callerNumber: string;
  /** The telephony system's own id of the call, recorded on the call's `call.started` event. */
  ctiCallId: string;
  /** The IVR menu codes the caller keyed, in order. */
  ivrPath: string[];
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
  /** Push: a call the telephony system put through to this agent, started for them (screen pop). */
  'call.popped': CallPopped;
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
