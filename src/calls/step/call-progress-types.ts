import type { AnyMachineSnapshot } from 'xstate';
import type { CallbackContext } from '../../../protocol/call-view';
import type { CustomerProfile } from '../../backend/customer';
import type { CallRecord, LoggedEvent } from '../../decision-log/decision-log';
import type { CompiledFlow } from '../../flows/flow-loader';
import type { TraceSoFar } from './call-trace-types';

/**
 * What a call is between two inputs, and what goes into the step function: the data the pure step
 * code (call-progress.ts, offers.ts, replay.ts) shares, kept apart so none of them imports another
 * only for its types.
 */

/** The kinds of event the log holds (the step function's output, one per external input). */
export type CallEventType = LoggedEvent['type'];

/** A side effect the machine asked for on its last transition; the engine carries it out. */
export type Effect =
  { kind: 'operation'; invokeId: string; src: string; input: Record<string, unknown> } | { kind: 'timer'; delayMs: number; eventType: string };

/** One business (or sub-blueprint) the call has been through. */
export interface Segment {
  flowId: string;
  version: number;
  status: 'active' | 'done';
  outcome: string | null;
  by: 'start' | 'offer' | 'agent' | 'queued';
}

export interface CallProgress {
  record: CallRecord;
  /** The current segment's flow and machine snapshot (a finished one while the call is between businesses). */
  flow: CompiledFlow;
  snapshot: AnyMachineSnapshot;
  segments: Segment[];
  /** Needs the agent added, started in order when the current business ends. */
  needs: string[];
  /** `hotline`: entered through the enter sub-blueprint, ends through hang-up. `direct`: one business and what it leads to. */
  mode: 'hotline' | 'direct';
  /** Marketing points pitched so far (frequency rules), and the seq at which the current step was entered. */
  pitched: { point: string; seq: number }[];
  enteredSeq: number;
  effects: Effect[];
  /** What end-of-call work needs of every view so far (call-trace.ts); empty before the first event is settled. */
  trace: TraceSoFar;
  /** A training call (src/training): the scenario it simulates. Kept apart from operations: no metrics, floor or QA samples. */
  training?: string;
  /** An outbound callback (src/work-items): the item it makes and what it follows up, kept on `call.started`. */
  callback?: CallbackContext;
}

export interface CallInput {
  type: Exclude<CallEventType, 'call.started'>;
  payload: Record<string, unknown>;
  at: string;
}

export interface CallStart {
  callId: string;
  agentId: string;
  callerNumber: string;
  customer: CustomerProfile;
  at: string;
  /** A call the telephony system put through (src/cti): its id there and the IVR path, kept on `call.started`. */
  cti?: { ctiCallId: string; ivrPath: string[] };
  /** A training call: the scenario id (src/training), kept on `call.started`. */
  training?: string;
  /** An outbound callback: the work item it makes (src/work-items), kept on `call.started`. */
  callback?: CallbackContext;
}
