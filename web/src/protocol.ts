/** The server's messages (docs/PROTOCOL.md), as the screen uses them. */
export type Locale = 'zh-CN' | 'en';
export type LocalizedText = Record<Locale, string>;
export type Role = 'agent' | 'supervisor' | 'qa';

export interface Customer {
  msisdn: string;
  name: string;
  brand: 'gotone' | 'easyown' | 'mzone';
  tier: 'standard' | 'gold' | 'diamond';
  region: string;
  status: 'active' | 'suspended' | 'arrears-suspended' | 'cancelled';
  arrearsYuan: number;
  realNameVerified: boolean;
  services: string[];
}

export interface StepInput {
  name: string;
  type: 'enum' | 'string' | 'digits' | 'offer';
  label: string;
  required: boolean;
  length?: number;
  values?: { id: string; label: string }[];
}

export interface CallView {
  requestId?: string;
  callId: string;
  seq: number;
  status: 'active' | 'completed' | 'abandoned';
  outcome?: string;
  outcomeDetail?: Record<string, unknown>;
  flow: { id: string; version: number; title: string };
  businesses: { flowId: string; version: number | null; title: string; status: 'done' | 'active' | 'queued'; outcome: string | null }[];
  betweenBusinesses: boolean;
  step: {
    id: string;
    title: string;
    lane: 'customer' | 'frontstage' | 'backstage' | 'support';
    marks: ('W' | 'F' | 'D' | 'C' | 'M')[];
    script: string;
    customerSays?: string;
    prompts: { id: string; text: string }[];
    inputs: StepInput[];
    options: { id: string; label: string; inputs: string[] }[];
    offers?: { id: string; title: string; pitch: string; targetFlowId: string }[];
    rules?: { id: string; title: string; passed: boolean; checks: { id: string; label: string; passed: boolean; reason?: string }[] }[];
    holding?: { text: string; since: string };
  };
  customer: Customer;
  /** Set by the screen: when the frame arrived (performance.now()). */
  receivedAt?: number;
}

export interface CallError {
  requestId: string | null;
  code: string;
  message: string;
  details?: { field: string; problems: string[] }[] | Record<string, unknown>;
}

export interface FlowSummary {
  id: string;
  version: number;
  title: LocalizedText;
  kind: 'business' | 'enter' | 'hang-up';
  keywords: string[];
  scenarios: LocalizedText[];
  mainPath: { id: string; title: LocalizedText; lane: string }[];
}

export interface RuleCheck {
  id: string;
  label: LocalizedText;
  passed: boolean;
  reason: LocalizedText | null;
}

export interface CustomerLookup {
  customer: Customer;
  flows: { flowId: string; rules: { id: string; title: LocalizedText; passed: boolean; checks: RuleCheck[] }[] }[];
}

export interface LoggedEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  flowId: string;
  stateBefore: string | null;
  flowIdAfter: string | null;
  stateAfter: string;
  at: string;
}

export interface CallRecord {
  id: string;
  flowId: string;
  flowVersion: number;
  agentId: string;
  callerNumber: string;
  status: string;
  outcome: string | null;
  outcomeDetail: Record<string, unknown> | null;
  startedAt: string;
  endedAt: string | null;
  events: LoggedEvent[];
}

/** The parts of a flow definition the summary reads. */
export interface FlowDefinition {
  id: string;
  version: number;
  title: LocalizedText;
  machine: {
    states: Record<
      string,
      {
        meta: {
          title: LocalizedText;
          prompts?: { id: string; text: LocalizedText }[];
          options?: { id: string; label: LocalizedText }[];
          offers?: { id: string; title: LocalizedText }[];
        };
      }
    >;
  };
}
