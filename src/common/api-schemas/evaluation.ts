import type {
  EvaluationModelView,
  EvaluationScores,
  GroupScores,
  IndicatorScore,
  ModelDimension,
  ModelIndicator,
  ModelStage,
  ModelSubDimension,
  OtherNeed,
  QuadrantData,
  QuadrantPoint,
  WeightedScore,
} from '../../../protocol/evaluation';
import type { LocalizedText } from '../../../protocol/flow-definition';
import { ArrayOf, Enum, Int, LocalizedTextSchema, Num, Of, Str, Strs } from './fields';

export class ModelIndicatorSchema implements ModelIndicator {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) name: LocalizedText;
  @Enum(['computed', 'satisfaction', 'imported']) source: ModelIndicator['source'];
  @Str({ optional: true, description: 'the named computation (docs/EVALUATION.md §2)' }) formula?: string;
  @Of(() => LocalizedTextSchema, { optional: true, description: 'the data an imported indicator needs' }) needs?: LocalizedText;
  @Enum(['ratio', 'ms', 'count', 'steps', 'score']) unit: ModelIndicator['unit'];
  @Enum(['higher', 'lower', 'none']) direction: ModelIndicator['direction'];
  @Num({ optional: true }) target?: number;
  @Num() weight: number;
}

export class ModelSubDimensionSchema implements ModelSubDimension {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) name: LocalizedText;
  @Num() weight: number;
  @ArrayOf(() => ModelIndicatorSchema) indicators: ModelIndicator[];
}

export class ModelDimensionSchema implements ModelDimension {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) name: LocalizedText;
  @Num() weight: number;
  @ArrayOf(() => ModelSubDimensionSchema) subDimensions: ModelSubDimension[];
}

export class ModelStageSchema implements ModelStage {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) name: LocalizedText;
  @Num() weight: number;
  @Strs() flows: string[];
}

export class QuadrantSettingsSchema {
  @Str() satisfactionIndicator: string;
  @Str() fallbackDimension: string;
  @Num() satisfactionSplit: number;
}

export class EvaluationModelSchema implements EvaluationModelView {
  @Int() version: number;
  @Str({ description: 'sha-256 of the model' }) hash: string;
  @ArrayOf(() => ModelDimensionSchema) dimensions: ModelDimension[];
  @ArrayOf(() => ModelStageSchema) stages: ModelStage[];
  @Of(() => QuadrantSettingsSchema) quadrant: QuadrantSettingsSchema;
}

export class IndicatorScoreSchema implements IndicatorScore {
  @Str() id: string;
  @Enum(['ok', 'no-data', 'imported', 'not-by-group']) status: IndicatorScore['status'];
  @Num({ nullable: true }) value: number | null;
  @Num({ nullable: true, description: '0–100 against target and direction' }) score: number | null;
  @Int({ nullable: true }) sample: number | null;
}

export class WeightedScoreSchema implements WeightedScore {
  @Str() id: string;
  @Num({ nullable: true }) score: number | null;
  @Num({ description: 'share of the weight with a score (0–1)' }) coverage: number;
}

export class GroupScoresSchema implements GroupScores {
  @Str() key: string;
  @Str({ optional: true, nullable: true, description: "grouping team: the team's name" }) name?: string | null;
  @Int() calls: number;
  @Of(() => WeightedScoreSchema) composite: WeightedScore;
  @ArrayOf(() => WeightedScoreSchema) dimensions: WeightedScore[];
  @ArrayOf(() => WeightedScoreSchema) subDimensions: WeightedScore[];
  @ArrayOf(() => IndicatorScoreSchema) indicators: IndicatorScore[];
}

export class EvaluationScoresSchema implements EvaluationScores {
  @Int() modelVersion: number;
  @Enum(['business', 'version', 'region', 'team', 'month']) by: EvaluationScores['by'];
  @Of(() => GroupScoresSchema) total: GroupScores;
  @ArrayOf(() => GroupScoresSchema) groups: GroupScores[];
}

export class QuadrantPointSchema implements QuadrantPoint {
  @Str() flowId: string;
  @Str() stage: string;
  @Int() calls: number;
  @Num() importance: number;
  @Num({ nullable: true }) satisfaction: number | null;
  @Enum(['fix-first', 'keep-up', 'watch', 'surplus'], { nullable: true }) quadrant: QuadrantPoint['quadrant'];
}

export class QuadrantStageSchema {
  @Str() id: string;
  @Num() weight: number;
  @Int() calls: number;
  @Num({ nullable: true }) satisfaction: number | null;
}

export class QuadrantDataSchema implements QuadrantData {
  @Enum(['satisfaction', 'perception']) satisfactionSource: QuadrantData['satisfactionSource'];
  @Num() importanceSplit: number;
  @Num() satisfactionSplit: number;
  @ArrayOf(() => QuadrantStageSchema) stages: QuadrantStageSchema[];
  @ArrayOf(() => QuadrantPointSchema) points: QuadrantPoint[];
}

export class OtherNeedSchema implements OtherNeed {
  @Str() callId: string;
  @Str() day: string;
  @Str() region: string;
  @Str({ nullable: true }) note: string | null;
}
