import type { CheckOutcome, ScorecardForm } from '../../protocol/qa';
import type { CallCheckResult } from '../qa/qa-checks';
import { scoreCard } from '../qa/scoring';
import type { TimelineEntry } from '../qa/timeline';
import type { TrainingScenario } from './scenarios';

/** The pseudo-check a trainee's decision passes when it is the scenario's, and the ending reached. */
export const SCENARIO_PATH = 'scenario-path';

export interface TrainingScore {
  score: number;
  passed: boolean;
  followed: number;
  expected: number;
  reachedEnd: boolean;
  failedChecks: string[];
}

/**
 * The training form: the scorecard's automatic (compliance) criteria and one for following the
 * scenario's path, weighted as heavily as all of them together. Reviewer-judged criteria are left
 * out: a training call is scored at once, by machine.
 */
export function trainingForm(scorecard: ScorecardForm): ScorecardForm {
  const auto = scorecard.criteria.filter((c) => c.auto?.length);
  const weight = auto.reduce((s, c) => s + c.weight, 0) || 1;
  return {
    version: scorecard.version,
    criteria: [
      {
        id: SCENARIO_PATH,
        title: { 'zh-CN': '按情景流程办理', en: 'Followed the scenario' },
        weight,
        max: 5,
        auto: [SCENARIO_PATH],
      },
      ...auto,
    ],
  };
}

/**
 * Scores an ended training call from its timeline (re-executed from the log) and its QA checks:
 * each of the scenario's agent decisions taken in order (same step, same option) and its ending
 * reached pass the path criterion; the compliance criteria are the QA checks' share passed. The call
 * passes when it completed and the total reaches `passScore`.
 */
export function scoreTraining(
  scenario: TrainingScenario,
  entries: readonly TimelineEntry[],
  completed: boolean,
  checks: CallCheckResult[],
  form: ScorecardForm,
  passScore: number,
): TrainingScore {
  const expected = scenario.lines.filter((l) => l.answer);
  const taken = entries.filter((e) => e.flowId === scenario.flowId && e.action?.type === 'decision' && e.action.leftStep);
  const path: CheckOutcome[] = expected.map((line, i) => ({
    id: SCENARIO_PATH,
    applicable: true,
    passed: taken[i]?.stepId === line.stepId && taken[i]?.action?.option === line.answer!.option,
  }));
  const reachedEnd = entries.some((e) => e.flowId === scenario.flowId && e.stepId === scenario.final);
  path.push({ id: SCENARIO_PATH, applicable: true, passed: reachedEnd });
  const outcomes: CheckOutcome[] = [...path, ...checks.map((c) => ({ id: c.id, applicable: c.applicable, passed: c.passed }))];
  const { total } = scoreCard(form, {}, outcomes);
  return {
    score: total,
    passed: completed && total >= passScore,
    followed: path.slice(0, -1).filter((p) => p.passed).length,
    expected: expected.length,
    reachedEnd,
    failedChecks: checks.filter((c) => c.applicable && !c.passed).map((c) => c.id),
  };
}
