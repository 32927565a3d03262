import type { QuadrantPoint } from '../../protocol/evaluation';
import type { StepFlag } from '../../protocol/redesign';
import { backlogPriority, rankBacklog } from './backlog-ranking';

const flag = (stepId: string, version: number, reason: StepFlag['reason'] = 'script-unclear'): StepFlag => ({
  id: 0,
  source: 'agent',
  flowId: 'f',
  version,
  stepId,
  reason,
  text: '',
  callId: null,
  seq: null,
  actor: 'a',
  at: '2026-12-04T00:00:00.000Z',
});

describe('the redesign backlog ranking', () => {
  const numbers = [
    { version: 1, stepId: 'a', visits: 10, failures: 2, waitMs: 25_000 },
    { version: 1, stepId: 'b', visits: 10, failures: 0, waitMs: 0 },
    { version: 1, stepId: 'c', visits: 10, failures: 4, waitMs: 0 },
  ];

  it('scores 3 per flag, 1 per failure and 1 per whole 10 s of waiting, and ranks by score, then flags, then failures', () => {
    const entries = rankBacklog('f', numbers, [flag('b', 1), flag('b', 1, 'too-slow')], null, () => 0);
    expect(entries.map((e) => [e.rank, e.stepId, e.status, e.evidence.score, e.evidence.rate])).toEqual([
      [1, 'b', 'open', 6, 0.6],
      // a and c tie on score (a: 2 failures + 2 × 10 s; c: 4 failures) and flags: c has more failures.
      [2, 'c', 'open', 4, 0.4],
      [3, 'a', 'open', 4, 0.4],
    ]);
    expect(entries[0].reasons).toEqual([
      { reason: 'script-unclear', count: 1 },
      { reason: 'too-slow', count: 1 },
    ]);
  });

  it('leaves out steps with no evidence against them', () => {
    expect(rankBacklog('f', [{ version: 1, stepId: 'b', visits: 3, failures: 0, waitMs: 9_999 }], [], null, () => 0)).toEqual([]);
  });

  it('a newer published version: awaiting data without calls, closed when the rate fell or the step went, open when it did not fall', () => {
    const v2 = [
      { version: 2, stepId: 'a', visits: 10, failures: 0, waitMs: 0 },
      { version: 2, stepId: 'c', visits: 10, failures: 5, waitMs: 0 },
    ];
    expect(rankBacklog('f', numbers, [], 2, () => 0).map((e) => e.status)).toEqual(['awaiting-data', 'awaiting-data']);
    const entries = rankBacklog('f', [...numbers, ...v2], [flag('b', 1)], 2, () => 10);
    // c got worse on v2 (its newest evidence is v2 itself: no newer version) → open; a's rate fell to 0,
    // b is not on v2 at all (no visits): both closed, a first (score 4 against b's 3).
    expect(entries.map((e) => [e.stepId, e.status, e.version, e.newer?.rate ?? null])).toEqual([
      ['c', 'open', 2, null],
      ['a', 'closed', 1, 0],
      ['b', 'closed', 1, null],
    ]);
  });
});

describe('backlogPriority: which business to work first', () => {
  const point = (flowId: string, quadrant: QuadrantPoint['quadrant'], importance: number): QuadrantPoint => ({
    flowId,
    stage: 'use',
    calls: 10,
    importance,
    satisfaction: quadrant ? 50 : null,
    quadrant,
  });
  const points = [
    point('a-surplus', 'surplus', 0.05),
    point('b-keep', 'keep-up', 0.3),
    point('c-fix-small', 'fix-first', 0.2),
    point('d-unrated', null, 0.4),
    point('e-fix-big', 'fix-first', 0.35),
    point('f-watch', 'watch', 0.1),
  ];

  it('fix-first, then watch, keep-up, surplus, unrated; the more important first within each', () => {
    const order = points.map((p) => [p.flowId, backlogPriority(p.flowId, points)!.rank]).sort((x, y) => Number(x[1]) - Number(y[1]));
    expect(order.map((o) => o[0])).toEqual(['e-fix-big', 'c-fix-small', 'f-watch', 'b-keep', 'a-surplus', 'd-unrated']);
    expect(backlogPriority('c-fix-small', points)).toEqual({ point: points[2], rank: 2, of: 6 });
  });

  it('a business without calls (no point) has no priority', () => {
    expect(backlogPriority('never-called', points)).toBeNull();
    expect(backlogPriority('a-surplus', [])).toBeNull();
  });
});
