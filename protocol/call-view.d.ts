import type { CallStatus } from './calls';
import type { CustomerProfile } from './customers';
import type { InputType, Lane, Mark } from './flow-definition';

/** An input of the step, rendered in the connection's locale. `values`: enum values, or the offers matching now. */
export interface StepInput {
  name: string;
  type: InputType;
  label: string;
  required: boolean;
  length?: number;
  values?: { id: string; label: string }[];
}

/** A business of the call: done, the active one, or a need queued after it. */
export interface CallBusiness {
  flowId: string;
  version: number | null;
  title: string;
  status: 'done' | 'active' | 'queued';
  outcome: string | null;
}

/** An outbound callback's context (docs/FOLLOW-UP.md), logged on `call.started`: the item it makes and what it is about. */
export interface CallbackContext {
  workItemId: number;
  /** The item the callback follows up: its type, business, the back end's reference and the call that raised it. */
  about: { itemId: number; type: string; business: string | null; receiptId: string | null; callId: string };
  /** What the desk scheduled it for (shown to the agent before they dial). */
  note: string | null;
  /** When the caller was promised the call. */
  dueAt: string;
}

/** What the agent's screen shows for one step (docs/PROTOCOL.md §4, `call.view`), in the connection's locale. */
export interface CallView {
  callId: string;
  seq: number;
  status: CallStatus;
  outcome?: string;
  outcomeDetail?: Record<string, unknown>;
  /** `variant`: the region whose variant of the flow this customer sees (null: the base). */
  flow: { id: string; version: number; title: string; variant: string | null };
  /** Every business of the call: done, the active one, and needs queued after it. */
  businesses: CallBusiness[];
  /** True between businesses: the step shown is the last one's ending, the options are the hotline's. */
  betweenBusinesses: boolean;
  step: {
    id: string;
    title: string;
    lane: Lane;
    marks: Mark[];
    script: string;
    customerSays?: string;
    prompts: { id: string; text: string }[];
    inputs: StepInput[];
    options: { id: string; label: string; inputs: string[] }[];
    offers?: { id: string; title: string; pitch: string; targetFlowId: string }[];
    rules?: { id: string; title: string; passed: boolean; checks: { id: string; label: string; passed: boolean; reason?: string }[] }[];
    holding?: { text: string; since: string };
  };
  /**
   * The caller's profile as the call started. Sent in the answers to `call.start` and `call.attach`
   * and in `call.popped`; left out of the answers to `call.decide`/`call.hangup` and of pushed views
   * (it never changes within a call: the screen keeps the one it has, a third of every frame saved).
   */
  customer?: CustomerProfile;
  /** An outbound callback: what it follows up. */
  callback?: CallbackContext;
}
