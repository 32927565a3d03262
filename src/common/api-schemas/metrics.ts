import type { BusinessMetrics, CheckMetrics, CompareSide, Comparison, MetricsSummary, OfferMetrics, StepMetrics } from '../../../protocol/metrics';
import { ArrayOf, Int, Num, Of, prop, Str, Strs } from './fields';

const Rate = (description?: string) => Num({ nullable: true, description: description ?? '4 decimals; null when the denominator is 0' });
const Ms = () => Num({ nullable: true });

export class AgentStepsSchema {
  @Num({ nullable: true }) avg: number | null;
  @Num({ nullable: true }) min: number | null;
  @Int() target: number;
  @Int() overTarget: number;
}

export class MarketingSchema {
  @Int() eligible: number;
  @Int() presented: number;
  @Rate() rate: number | null;
  @Int() accepted: number;
  @Rate() conversion: number | null;
}

export class BusinessMetricsSchema implements BusinessMetrics {
  @Str() flowId: string;
  @Int() version: number;
  @Int() calls: number;
  @Rate() successRate: number | null;
  @Rate() fcrRate: number | null;
  @Of(() => AgentStepsSchema) agentSteps: AgentStepsSchema;
  @Of(() => MarketingSchema) marketing: MarketingSchema;
}

export class HandleTimeSchema {
  @Ms() avgMs: number | null;
  @Ms() p90Ms: number | null;
  @Ms() agentMs: number | null;
  @Ms() waitMs: number | null;
  @prop({ type: 'object', additionalProperties: { type: 'number', nullable: true } }, { description: 'Per lane' })
  byLane: Record<string, number | null>;
}

export class MetricsSummarySchema implements MetricsSummary {
  @Int() calls: number;
  @Of(() => HandleTimeSchema) handleTime: HandleTimeSchema;
  @ArrayOf(() => BusinessMetricsSchema) businesses: BusinessMetrics[];
}

export class StepWaitsSchema {
  @Int() count: number;
  @Ms() p50Ms: number | null;
  @Ms() p90Ms: number | null;
}

export class FailureCauseSchema {
  @Str() cause: string;
  @Int() count: number;
}

export class StepFailuresSchema {
  @Int() count: number;
  @Rate() rate: number | null;
  @ArrayOf(() => FailureCauseSchema, { maxItems: 5 }) topCauses: FailureCauseSchema[];
}

export class StepMetricsSchema implements StepMetrics {
  @Str() stepId: string;
  @Str() lane: string;
  @Strs() marks: string[];
  @Int() visits: number;
  @Ms() avgMs: number | null;
  @Ms() p90Ms: number | null;
  @Of(() => StepWaitsSchema) waits: StepWaitsSchema;
  @Of(() => StepFailuresSchema) failures: StepFailuresSchema;
  @Int() dropOffs: number;
}

export class OfferMetricsSchema implements OfferMetrics {
  @Str() flowId: string;
  @Str() stepId: string;
  @Str({ nullable: true, description: 'null: the M point itself' }) offerId: string | null;
  @Int() eligible: number;
  @Int() presented: number;
  @Int() accepted: number;
  @Rate() conversion: number | null;
}

export class CheckMetricsSchema implements CheckMetrics {
  @Str() checkId: string;
  @Int() applicable: number;
  @Int() passed: number;
  @Rate() rate: number | null;
}

export class SampleSizeSchema {
  @Int() calls: number;
  @Int() segments: number;
}

export class CompareSideSchema implements CompareSide {
  @Int() version: number;
  @Of(() => SampleSizeSchema) sampleSize: SampleSizeSchema;
  @Of(() => MetricsSummarySchema) summary: MetricsSummary;
  @Of(() => BusinessMetricsSchema, { nullable: true }) business: BusinessMetrics | null;
  @ArrayOf(() => StepMetricsSchema) steps: StepMetrics[];
}

export class DifferenceSchema {
  @Str() metric: string;
  @Num({ nullable: true }) a: number | null;
  @Num({ nullable: true }) b: number | null;
  @Num({ nullable: true, description: 'b − a' }) delta: number | null;
}

export class ComparisonSchema implements Comparison {
  @Str() flowId: string;
  @Of(() => CompareSideSchema) a: CompareSide;
  @Of(() => CompareSideSchema) b: CompareSide;
  @ArrayOf(() => DifferenceSchema) differences: DifferenceSchema[];
}
