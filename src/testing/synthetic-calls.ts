import type { CallFacts, StepVisitFact } from '../metrics/call-facts';

/** Deterministic calls over 2026-01-10 … 2026-05-20 (month edges, February, repeat callers across months). */
export function syntheticCalls(n: number, seed: number): CallFacts[] {
  let s = seed;
  const rnd = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const ms = () => Math.round(2 ** (rnd() * 16));
  const day0 = Date.parse('2026-01-10T00:00:00Z');
  const steps: [string, StepVisitFact['lane'], StepVisitFact['marks']][] = [
    ['check', 'frontstage', ['D']],
    ['upsell', 'frontstage', ['M']],
    ['verify', 'frontstage', ['F']],
    ['checking', 'support', ['W']],
    ['close', 'frontstage', ['C']],
  ];
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(day0 + Math.floor(rnd() * 131 * 86_400_000)).toISOString();
    const agent = pick(['a1', 'a2', 'a3', 'a4']);
    const abandoned = rnd() < 0.15;
    const segments: CallFacts['segments'] = [];
    const visits: StepVisitFact[] = [];
    const offers: CallFacts['offers'] = [];
    for (let seg = 0; seg < (rnd() < 0.2 ? 2 : 1); seg++) {
      const flowId = pick(['f1', 'f2']);
      const flowVersion = pick([1, 2]);
      const last = abandoned && seg > 0 ? 1 + Math.floor(rnd() * 4) : steps.length;
      let eligible = 0,
        presented = 0,
        accepted = 0;
      for (const [stepId, lane, marks] of steps.slice(0, last)) {
        const failed = marks.includes('F') && rnd() < 0.3;
        visits.push({
          segment: seg,
          flowId,
          flowVersion,
          stepId,
          lane,
          marks,
          durationMs: ms(),
          wait: marks.includes('W'),
          failureCause: failed ? pick(['TIMEOUT', 'CHECK_FAILED:pw']) : null,
          dropOff: false,
        });
        if (marks.includes('M') && rnd() < 0.7) {
          const p = rnd() < 0.8;
          const shown = ['o1', 'o2', 'o3'].filter(() => rnd() < 0.6);
          const taken = p && rnd() < 0.4 ? shown[0] : undefined;
          if (shown.length) {
            eligible++;
            presented += p ? 1 : 0;
            accepted += taken ? 1 : 0;
          }
          for (const offerId of shown)
            offers.push({
              visit: visits.length - 1,
              segment: seg,
              flowId,
              flowVersion,
              stepId,
              offerId,
              presented: p,
              accepted: offerId === taken,
            });
        }
      }
      if (abandoned && seg > 0) visits[visits.length - 1].dropOff = true;
      const ended = !(abandoned && seg > 0);
      const success = ended && rnd() < 0.8;
      segments.push({
        segment: seg,
        flowId,
        flowVersion,
        kind: 'business',
        startedAt,
        outcome: ended ? (success ? 'completed' : 'locked') : 'abandoned',
        success,
        durationMs: ms(),
        waitMs: ms(),
        agentMs: ms(),
        agentSteps: Math.floor(rnd() * 7),
        eligible,
        presented,
        accepted,
      });
    }
    return {
      call: {
        callId: `c${i}`,
        callerNumber: `1380000${String(Math.floor(rnd() * 40)).padStart(4, '0')}`,
        agentId: agent,
        region: pick(['r1', 'r2', 'r3']),
        brand: pick(['b1', 'b2']),
        tier: pick(['t1', 't2']),
        startedAt,
        day: startedAt.slice(0, 10),
        status: abandoned ? 'abandoned' : 'completed',
        outcome: segments.at(-1)!.outcome,
        flowId: segments[0].flowId,
        flowVersion: segments[0].flowVersion,
        durationMs: ms(),
        waitMs: ms(),
        agentMs: ms(),
        laneMs: { customer: ms(), frontstage: ms(), backstage: 0, support: ms() },
      },
      segments,
      steps: visits,
      offers,
    };
  });
}
