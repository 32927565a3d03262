/**
 * The telephony webhook `POST /api/cti/events` (docs/CTI.md): what the CTI system sends, signed
 * with the shared secret, and what the server answers.
 */

/** A call put through the IVR to an agent: offered (ringing), answered, transferred, ended. */
export type CtiEventType = 'call.offered' | 'call.answered' | 'call.transferred' | 'call.ended';

/** Who ended the call (`call.ended`): only the caller's hang-up abandons the call in the log. */
export type CtiEndedBy = 'caller' | 'agent' | 'system';

export interface CtiEvent {
  /** The event's own id, unique per event: a second delivery of the same id is refused (EVENT_REPLAYED). */
  eventId: string;
  type: CtiEventType;
  /** The telephony system's id of the call. */
  ctiCallId: string;
  /** The agent's laihua username (offered, answered, transferred: who had the call). */
  agent?: string;
  /** The caller's number, 5–20 digits. */
  callerNumber: string;
  /** The IVR menu codes the caller keyed, in order (e.g. `["2", "1"]`). */
  ivrPath: string[];
  /** `call.transferred`: the username of the agent the call went to (absent: outside laihua). */
  transferredTo?: string;
  /** `call.ended`: who hung up. */
  endedBy?: CtiEndedBy;
}

/** The answer to an accepted event. */
export interface CtiEventAck {
  eventId: string;
  type: CtiEventType;
  /** The laihua call the event concerns: started by `call.answered`; absent when there is none (offered, or not answered in laihua). */
  callId?: string;
  /** `call.answered`: the business started, as the IVR path suggested. */
  flowId?: string;
  /** The laihua call's status after the event. */
  callStatus?: 'active' | 'completed' | 'abandoned';
}
