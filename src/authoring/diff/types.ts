import type { Locale, LocalizedText } from '../../flows/flow-definition';

/** What a change is about, in the supervisor's terms (not JSON paths). */
export type ChangeKind =
  | 'step-added'
  | 'step-removed'
  | 'step-moved'
  | 'lane-changed'
  | 'marks-changed'
  | 'text-changed'
  | 'option-added'
  | 'option-removed'
  | 'option-changed'
  | 'offers-changed'
  | 'rules-changed'
  | 'outcome-changed'
  | 'operation-changed'
  | 'behaviour-changed'
  | 'flow-text-changed'
  | 'variant-added'
  | 'variant-removed'
  | 'variant-changed';

export interface Change {
  kind: ChangeKind;
  /** The step (state id) concerned; absent for flow-level changes. */
  stepId?: string;
  /** Set when only one language of a text changed. */
  locale?: Locale;
  /** What changed inside the step, e.g. `script`, `prompt:effective-immediately`, `option:continue.label`, `offersFrom`. */
  field?: string;
  /** Regional variant concerned (variant-* kinds). */
  region?: string;
  before?: unknown;
  after?: unknown;
  /** One line for a supervisor, in both languages. */
  text: LocalizedText;
}

export interface FlowDiff {
  from: { id: string; version: number };
  to: { id: string; version: number };
  changes: Change[];
  /** Counts: steps added, removed, moved; `changed` = every other change. */
  summary: { added: number; removed: number; moved: number; changed: number };
}
