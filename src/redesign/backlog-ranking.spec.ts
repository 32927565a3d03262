import type { StepFlag } from '../../protocol/redesign';
import { rankBacklog } from './backlog-ranking';

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
