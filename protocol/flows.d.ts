import type { FlowKind, Lane, LocalizedText } from './flow-definition';

/**
 * `GET /api/flows`: per flow, the version new calls use, with what the agent's chooser and
 * progress strip need (docs/PROTOCOL.md §9). `GET /api/flows/:id` answers the whole FlowDefinition.
 */
export interface FlowSummary {
  id: string;
  version: number;
  title: LocalizedText;
  kind: FlowKind;
  keywords: string[];
  scenarios: LocalizedText[];
  /** The blueprint's main path: the shortest route from the first step to the `completed` ending. */
  mainPath: { id: string; title: LocalizedText; lane: Lane }[];
}

/** One business found by `flow.search` (the `flow.results` frame). */
export interface FlowSearchHit {
  id: string;
  version: number;
  title: LocalizedText;
  score: number;
  /** What matched, so the agent sees why: a title, keyword or service scenario. */
  matched: string[];
}
