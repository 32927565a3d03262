import type { EvaluationModel, IndicatorDirection, IndicatorScore, ModelIndicator, WeightedScore } from '../../protocol/evaluation';
import { FORMULAS, type GroupFigures } from './formulas';

/**
 * An indicator's value on a 0–100 scale against its target (docs/EVALUATION.md §3):
 *  - higher is better: 100 × value / target, capped at 100 (at or above target = 100, 0 = 0);
 *  - lower is better: 100 at or below the target, else 100 × target / value (twice the target = 50);
 *  - `none` (a volume): not scored.
 * One decimal.
 */
export function normalise(value: number, direction: IndicatorDirection, target: number | undefined): number | null {
  if (direction === 'none' || target === undefined || target <= 0) return null;
  const raw = direction === 'higher' ? (100 * Math.max(0, value)) / target : value <= target ? 100 : (100 * target) / value;
  return Math.round(Math.min(100, raw) * 10) / 10;
}

/** Weighted mean of the parts that have a score; coverage = their share of the parts' weight. Parts of weight 0 do not count either way. */
export function weighted(id: string, parts: { weight: number; score: number | null }[]): WeightedScore {
  const all = parts.reduce((t, p) => t + p.weight, 0);
  const scored = parts.filter((p) => p.score !== null && p.weight > 0);
  const w = scored.reduce((t, p) => t + p.weight, 0);
  return {
    id,
    score: w > 0 ? Math.round((scored.reduce((t, p) => t + p.weight * p.score!, 0) / w) * 10) / 10 : null,
    coverage: all > 0 ? Math.round((w / all) * 10_000) / 10_000 : 0,
  };
}

export function indicatorScore(x: ModelIndicator, g: GroupFigures): IndicatorScore {
  if (x.source === 'imported') return { id: x.id, status: 'imported', value: null, score: null, sample: null };
  const r = FORMULAS[x.formula!].compute(g);
  if (r === 'not-by-group') return { id: x.id, status: 'not-by-group', value: null, score: null, sample: null };
  if (r === null) return { id: x.id, status: 'no-data', value: null, score: null, sample: null };
  return { id: x.id, status: 'ok', value: r.value, score: normalise(r.value, x.direction, x.target), sample: r.sample };
}

/** Every indicator of the model for one group, then its sub-dimensions, dimensions and composite by the weights. */
export function scoreGroup(model: EvaluationModel, g: GroupFigures) {
  const indicators: IndicatorScore[] = [];
  const subDimensions: WeightedScore[] = [];
  const dimensions = model.dimensions.map((d) => {
    const subs = d.subDimensions.map((s) => {
      const xs = s.indicators.map((x) => indicatorScore(x, g));
      indicators.push(...xs);
      const sub = weighted(
        s.id,
        s.indicators.map((x, i) => ({ weight: x.weight, score: xs[i].score })),
      );
      subDimensions.push(sub);
      return { weight: s.weight, score: sub.score };
    });
    return weighted(d.id, subs);
  });
  const composite = weighted(
    'composite',
    model.dimensions.map((d, i) => ({ weight: d.weight, score: dimensions[i].score })),
  );
  return { composite, dimensions, subDimensions, indicators };
}
