import type { CheckOutcome, Marks, Score, ScoredCriterion } from '../../protocol/qa';
import { AppError } from '../common/app-error';
import type { ScorecardForm } from './scorecard-form';

/** Scores are part of a scorecard (protocol/qa.d.ts). */
export type { CheckOutcome, Marks, Score, ScoredCriterion };

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A scorecard's score: the reviewer's marks for the judged criteria, the automatic checks' share
 * passed for the compliance ones (all passed when none applies), a reviewer override only with a
 * reason. Refuses missing or out-of-range marks with the field that is wrong.
 */
export function scoreCard(form: ScorecardForm, marks: Marks, checks: CheckOutcome[]): Score {
  const problems: { field: string; problems: string[] }[] = [];
  const unknown = Object.keys(marks).filter((id) => !form.criteria.some((c) => c.id === id));
  for (const id of unknown) problems.push({ field: `marks.${id}`, problems: ['not a criterion of the form'] });
  const criteria = form.criteria.map((c): ScoredCriterion => {
    const mark = marks[c.id] ?? {};
    const comment = mark.comment?.trim() || null;
    if (mark.score !== undefined && (!Number.isFinite(mark.score) || mark.score < 0 || mark.score > c.max)) {
      problems.push({ field: `marks.${c.id}.score`, problems: [`must be between 0 and ${c.max}`] });
    }
    if (!c.auto) {
      if (mark.score === undefined) problems.push({ field: `marks.${c.id}.score`, problems: ['is required'] });
      return { id: c.id, score: mark.score ?? 0, max: c.max, weight: c.weight, source: 'reviewer', comment };
    }
    const used = checks.filter((k) => c.auto!.includes(k.id) && k.applicable);
    const auto = round1(used.length ? (used.filter((k) => k.passed).length / used.length) * c.max : c.max);
    if (mark.score !== undefined && mark.score !== auto && !comment) {
      problems.push({ field: `marks.${c.id}.comment`, problems: ['overriding the automatic score needs a reason'] });
    }
    const overridden = mark.score !== undefined && mark.score !== auto;
    return {
      id: c.id,
      score: overridden ? mark.score! : auto,
      max: c.max,
      weight: c.weight,
      source: overridden ? 'override' : 'auto',
      comment,
      checks: used,
    };
  });
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'The scorecard is not complete or not valid', problems);
  const weights = criteria.reduce((s, c) => s + c.weight, 0);
  const total = round1((criteria.reduce((s, c) => s + (c.score / c.max) * c.weight, 0) / weights) * 100);
  return { criteria, total };
}
