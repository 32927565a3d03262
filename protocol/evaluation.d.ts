/** The evaluation model and its scores, `/api/evaluation/…` (docs/EVALUATION.md). */
import type { LocalizedText } from './flow-definition';
import type { MetricsParams } from './metrics';

/** `computed`: a named formula over the rollups / logs laihua keeps; `satisfaction`: the satisfaction replies; `imported`: data laihua does not have (declared with what it needs). */
export type IndicatorSource = 'computed' | 'satisfaction' | 'imported';
/** `higher`/`lower` is better; `none`: a volume, shown but not scored. */
export type IndicatorDirection = 'higher' | 'lower' | 'none';
export type IndicatorUnit = 'ratio' | 'ms' | 'count' | 'steps' | 'score';

export interface ModelIndicator {
  id: string;
  name: LocalizedText;
  source: IndicatorSource;
  /** The named computation (computed and satisfaction indicators). */
  formula?: string;
  /** The data an imported indicator needs. */
  needs?: LocalizedText;
  unit: IndicatorUnit;
  direction: IndicatorDirection;
  target?: number;
  /** Relative weight inside its sub-dimension (0 for unscored volumes). */
  weight: number;
}

export interface ModelSubDimension {
  id: string;
  name: LocalizedText;
  weight: number;
  indicators: ModelIndicator[];
}

export interface ModelDimension {
  id: string;
  name: LocalizedText;
  weight: number;
  subDimensions: ModelSubDimension[];
}

/** A lifecycle stage of the handset report and the businesses counted in it (the quadrant's importance). */
export interface ModelStage {
  id: string;
  name: LocalizedText;
  weight: number;
  flows: string[];
}

export interface EvaluationModel {
  version: number;
  dimensions: ModelDimension[];
  stages: ModelStage[];
  /** The importance × satisfaction quadrant: the satisfaction indicator, the dimension shown instead while no business has replies, the satisfaction split (0–100). */
  quadrant: { satisfactionIndicator: string; fallbackDimension: string; satisfactionSplit: number };
}

/** `GET /api/evaluation/model`: the model in force and the hash of its file content. */
export interface EvaluationModelView extends EvaluationModel {
  hash: string;
}

export type ScoreGrouping = 'business' | 'version' | 'region' | 'team' | 'month';

export interface ScoresParams extends Omit<MetricsParams, 'format'> {
  by: ScoreGrouping;
}

/** `ok`: computed; `no-data`: the source has nothing for this group; `imported`: needs data laihua does not hold; `not-by-group`: the source cannot be split this way (e.g. searches by region). */
export type IndicatorStatus = 'ok' | 'no-data' | 'imported' | 'not-by-group';

export interface IndicatorScore {
  id: string;
  status: IndicatorStatus;
  /** In the indicator's unit; null unless `ok`. */
  value: number | null;
  /** 0–100 against the target and direction; null when not scored (no value, or direction `none`). */
  score: number | null;
  /** How many calls / segments / replies / searches the value is over (null unless `ok`). */
  sample: number | null;
}

export interface WeightedScore {
  id: string;
  /** Weighted mean of the parts that have a score (0–100, 1 decimal); null when none has. */
  score: number | null;
  /** Share of the parts' weight that had a score (0–1). */
  coverage: number;
}

export interface GroupScores {
  /** The group: flow id, `flowId@version`, region, team id, `YYYY-MM`; `*` for the whole filter. */
  key: string;
  /** Grouping `team`: the team's name (null for `no-team`, agents without a team). The team is the agent's team now, not when the call was taken. */
  name?: string | null;
  calls: number;
  composite: WeightedScore;
  dimensions: WeightedScore[];
  subDimensions: WeightedScore[];
  indicators: IndicatorScore[];
}

export interface EvaluationScores {
  modelVersion: number;
  by: ScoreGrouping;
  /** All groups together first (key `*`), then each group. */
  total: GroupScores;
  groups: GroupScores[];
}

export type Quadrant = 'fix-first' | 'keep-up' | 'watch' | 'surplus';

export interface QuadrantPoint {
  flowId: string;
  stage: string;
  calls: number;
  /** The stage weight × the business's share of its stage's calls (0–1). */
  importance: number;
  /** The satisfaction score (0–100) when there are replies, else the customer-perception score. */
  satisfaction: number | null;
  quadrant: Quadrant | null;
}

export interface QuadrantData {
  /** Which score the satisfaction axis shows: replies when any business has them, else the customer-perception dimension. */
  satisfactionSource: 'satisfaction' | 'perception';
  /** The splits: mean importance of the points, the satisfaction target. */
  importanceSplit: number;
  satisfactionSplit: number;
  stages: { id: string; weight: number; calls: number; satisfaction: number | null }[];
  points: QuadrantPoint[];
}

/** One "other" need at ask-need with the words the agent typed (null once the call is erased). */
export interface OtherNeed {
  callId: string;
  day: string;
  region: string;
  note: string | null;
}
