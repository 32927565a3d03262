/**
 * The flow format: a blueprint file in flows/ (docs/FLOWS.md), as the server loads it, serves it
 * (`GET /api/flows/:id`, authoring versions) and the editor edits it. Pure data: behaviour is
 * named, never inlined. The runtime lists of these unions (LOCALES, LANES, MARKS) are in
 * src/flows/flow-definition.ts.
 */

export type Locale = 'zh-CN' | 'en';
export type LocalizedText = Record<Locale, string>;

/** Blueprint lanes, top to bottom. */
export type Lane = 'customer' | 'frontstage' | 'backstage' | 'support';

/** Key touchpoints: W wait, F failure point, D decision, C care, M marketing. */
export type Mark = 'W' | 'F' | 'D' | 'C' | 'M';

/** `enter` and `hang-up` are the hotline's sub-blueprints; everything else is a business. */
export type FlowKind = 'business' | 'enter' | 'hang-up';

/** What a back-end operation does to the customer, in the words policies and QA selectors use. */
export type OperationEffect = 'check' | 'query' | 'change' | 'notify' | 'ticket';

/** A test of one fact: a dotted path into the call's facts (context, customer, event). */
export interface Condition {
  fact: string;
  eq?: unknown;
  ne?: unknown;
  in?: unknown[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  contains?: unknown;
}

export interface ConditionGroup {
  all?: ConditionExpr[];
  any?: ConditionExpr[];
  none?: ConditionExpr[];
}

export type ConditionExpr = Condition | ConditionGroup;

export interface RuleCheck extends Condition {
  id: string;
  label: LocalizedText;
  failReason: LocalizedText;
}

/** A named rule: passes when all its checks pass. Shown to the agent (D points) and used by the `rule` guard. */
export interface RuleDefinition {
  title: LocalizedText;
  all: RuleCheck[];
}

export interface PromptDefinition {
  id: string;
  text: LocalizedText;
  when?: ConditionExpr;
}

export type InputType = 'enum' | 'string' | 'digits' | 'offer';

export interface InputDefinition {
  name: string;
  type: InputType;
  required?: boolean;
  label: LocalizedText;
  values?: { id: string; label: LocalizedText }[];
  length?: number;
  maxLength?: number;
}

export interface OptionDefinition {
  id: string;
  event: string;
  label: LocalizedText;
  inputs?: string[];
  /** Shown only when the step has at least one offer for this customer. */
  requiresOffers?: boolean;
}

export interface OfferDefinition {
  id: string;
  targetFlowId: string;
  title: LocalizedText;
  pitch: LocalizedText;
  when?: ConditionExpr;
}

export interface StepMeta {
  lane: Lane;
  marks: Mark[];
  title: LocalizedText;
  script: LocalizedText;
  customerSays?: LocalizedText;
  holding?: LocalizedText;
  prompts?: PromptDefinition[];
  inputs?: InputDefinition[];
  options?: OptionDefinition[];
  offers?: OfferDefinition[];
  offersFrom?: 'matrix';
  rules?: string[];
  outcome?: string;
  report?: string[];
}

export interface StateNodeJson {
  type?: 'atomic' | 'final';
  meta: StepMeta;
  on?: Record<string, TransitionJson>;
  always?: TransitionJson;
  after?: Record<string, TransitionJson>;
  invoke?: InvokeJson | InvokeJson[];
  entry?: ActionJson | ActionJson[];
  exit?: ActionJson | ActionJson[];
  tags?: string[];
  description?: string;
}

export type ActionJson = string | { type: string; params?: Record<string, unknown> };
export type GuardJson = string | { type: string; params?: Record<string, unknown> };
export interface TransitionObjectJson {
  target?: string;
  guard?: GuardJson;
  actions?: ActionJson | ActionJson[];
  reenter?: boolean;
  description?: string;
}
export type TransitionJson = string | TransitionObjectJson | TransitionObjectJson[];

export interface InvokeJson {
  id: string;
  src: string;
  input?: Record<string, unknown>;
  onDone?: TransitionJson;
  onError?: TransitionJson;
}

export interface MachineJson {
  id: string;
  initial: string;
  context?: Record<string, unknown>;
  states: Record<string, StateNodeJson>;
  description?: string;
}

/** A region's overrides of one step. */
export interface VariantStep {
  script?: LocalizedText;
  customerSays?: LocalizedText;
  prompts?: PromptDefinition[];
  /** Replace the step's offers (inline or from the matrix) for customers of the region. */
  offers?: OfferDefinition[];
}

export interface FlowDefinition {
  id: string;
  version: number;
  title: LocalizedText;
  keywords?: string[];
  /** Per region (customer.region): overrides of step words, prompts and offers. */
  variants?: Record<string, { steps: Record<string, VariantStep> }>;
  kind?: FlowKind;
  scenarios?: LocalizedText[];
  rules?: Record<string, RuleDefinition>;
  machine: MachineJson;
}
