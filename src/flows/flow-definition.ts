/** The JSON shape of a blueprint file in `flows/` (docs/FLOWS.md). Pure data: behaviour is named, never inlined. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type LocalizedText = Record<Locale, string>;

export const LANES = ['customer', 'frontstage', 'backstage', 'support'] as const;
export type Lane = (typeof LANES)[number];

export const MARKS = ['W', 'F', 'D', 'C', 'M'] as const;
export type Mark = (typeof MARKS)[number];

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
  kind?: 'business' | 'enter' | 'hang-up';
  scenarios?: LocalizedText[];
  rules?: Record<string, RuleDefinition>;
  machine: MachineJson;
}
