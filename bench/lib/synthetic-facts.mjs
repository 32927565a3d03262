// The metrics bench's synthetic facts (bench/metrics-1m.mjs): one ended call's metric facts as the
// server's MetricsWriter takes them — one year over 60 agents in 8 regions, 8 flows (two versions
// each, v2 from day 200), 3 brands, 4 tiers, 400,000 callers, step visits, W waits, F failures,
// abandoned calls and offers — from a seeded generator, so runs are comparable.

// Deterministic pseudo-random numbers (mulberry32), so runs are comparable.
let seed = 20261123;
const rnd = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs, weights) => {
  if (!weights) return xs[Math.floor(rnd() * xs.length)];
  let r = rnd() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < xs.length; i++) if ((r -= weights[i]) < 0) return xs[i];
  return xs.at(-1);
};
const logNormal = (medianMs, spread = 0.6) => Math.max(1, Math.round(medianMs * Math.exp(spread * (rnd() + rnd() + rnd() - 1.5) * 2)));

const REGIONS = ['北京', '上海', '广东', '浙江', '江苏', '四川', '湖北', '河南'];
const AGENTS = Array.from({ length: 60 }, (_, i) => ({ id: `agent-${String(i).padStart(3, '0')}`, region: REGIONS[i % REGIONS.length] }));
const BRANDS = ['gotone', 'easyown', 'mzone'];
const TIERS = ['standard', 'gold', 'diamond', 'platinum'];
const FLOWS = ['suspend-service', 'bill-inquiry', 'plan-change', 'vas-subscribe', 'vas-unsubscribe', 'password-reset', 'resume-service', 'complaint'];
const FLOW_WEIGHTS = [30, 25, 12, 10, 8, 6, 5, 4];
const OFFERS = ['two-cities-one-home', 'holiday-plan', 'one-card-two-numbers', 'better-plan', 'data-pack'];
/** A generic business: [stepId, lane, marks, medianMs]. */
export const STEPS = [
  ['check-eligibility', 'frontstage', ['D'], 9000],
  ['confirm-reason', 'frontstage', ['D'], 12000],
  ['warn', 'frontstage', ['C'], 15000],
  ['upsell', 'frontstage', ['M'], 20000],
  ['verify', 'frontstage', ['F'], 10000],
  ['checking-password', 'support', ['W'], 3000],
  ['execute', 'backstage', [], 5000],
  ['executing', 'support', ['W'], 2500],
  ['remind', 'frontstage', ['C'], 10000],
  ['close', 'frontstage', ['C'], 6000],
];
const DAY0 = Date.parse('2025-11-23T00:00:00Z');
const DAYS = 365;

function business(flowId, version, startMs, segment, abandon) {
  const steps = [];
  const offers = [];
  let t = 0;
  let eligible = 0,
    presented = 0,
    accepted = 0,
    agentSteps = 0,
    waitMs = 0;
  const stopAt = abandon ? 1 + Math.floor(rnd() * (STEPS.length - 1)) : STEPS.length;
  for (let i = 0; i < stopAt; i++) {
    const [stepId, lane, marks, median] = STEPS[i];
    if (stepId === 'upsell' && version === 2) continue;
    const wait = marks.includes('W');
    const visits = stepId === 'verify' && rnd() < 0.08 ? 2 : 1;
    for (let v = 0; v < visits; v++) {
      const durationMs = logNormal(median);
      const failureCause = marks.includes('F') && v > 0 ? 'CHECK_FAILED:checkIvrPassword' : stepId === 'execute' && rnd() < 0.03 ? 'SUSPEND_FAILED' : null;
      steps.push({
        segment,
        flowId,
        flowVersion: version,
        stepId,
        lane,
        marks,
        durationMs,
        wait,
        failureCause: marks.includes('F') || failureCause === null ? failureCause : null,
        dropOff: abandon && i === stopAt - 1 && v === visits - 1,
      });
      t += durationMs;
      if (wait) waitMs += durationMs;
      else agentSteps++;
      if (stepId === 'upsell' && rnd() < 0.7) {
        const shown = OFFERS.filter(() => rnd() < 0.5).slice(0, 3);
        if (shown.length) {
          const p = rnd() < 0.85;
          const acceptedId = p && rnd() < 0.1 ? shown[0] : null;
          eligible++;
          if (p) presented++;
          if (acceptedId) accepted++;
          for (const offerId of shown)
            offers.push({
              visit: steps.length - 1,
              segment,
              flowId,
              flowVersion: version,
              stepId,
              offerId,
              presented: p,
              accepted: offerId === acceptedId,
            });
        }
      }
    }
  }
  const ended = !abandon;
  const failed = ended && rnd() < 0.06;
  return {
    steps,
    offers,
    segment: {
      segment,
      flowId,
      flowVersion: version,
      kind: 'business',
      startedAt: new Date(startMs).toISOString(),
      outcome: ended ? (failed ? 'ticket-raised' : 'completed') : 'abandoned',
      success: ended && !failed,
      durationMs: t,
      waitMs,
      agentMs: t - waitMs,
      agentSteps,
      eligible,
      presented,
      accepted,
    },
  };
}

export function callFacts(n, calls) {
  const day = Math.floor((n / calls) * DAYS);
  const startMs = DAY0 + day * 86_400_000 + Math.floor(rnd() * 86_400_000);
  const agent = pick(AGENTS);
  const businesses = rnd() < 0.1 ? 2 : 1;
  const abandon = rnd() < 0.05;
  const segments = [],
    steps = [],
    offers = [];
  let t = startMs;
  for (let s = 0; s < businesses; s++) {
    const flowId = pick(FLOWS, FLOW_WEIGHTS);
    const b = business(flowId, day >= 200 ? 2 : 1, t, s, abandon && s === businesses - 1);
    segments.push(b.segment);
    steps.push(...b.steps);
    offers.push(...b.offers.map((o) => ({ ...o, visit: o.visit + steps.length - b.steps.length })));
    t += b.segment.durationMs;
  }
  const durationMs = segments.reduce((a, s) => a + s.durationMs, 0);
  const waitMs = segments.reduce((a, s) => a + s.waitMs, 0);
  const laneMs = { customer: 0, frontstage: 0, backstage: 0, support: 0 };
  for (const v of steps) laneMs[v.lane] += v.durationMs;
  const startedAt = new Date(startMs).toISOString();
  return {
    call: {
      callId: `c${String(n).padStart(8, '0')}`,
      callerNumber: `139${String(Math.floor(rnd() * 400_000)).padStart(8, '0')}`,
      agentId: agent.id,
      region: agent.region,
      brand: pick(BRANDS, [5, 3, 2]),
      tier: pick(TIERS, [6, 3, 1, 0.3]),
      startedAt,
      day: startedAt.slice(0, 10),
      status: abandon ? 'abandoned' : 'completed',
      outcome: abandon ? 'abandoned' : segments.at(-1).outcome,
      flowId: segments[0].flowId,
      flowVersion: segments[0].flowVersion,
      durationMs,
      waitMs,
      agentMs: durationMs - waitMs,
      laneMs,
      // The need at ask-need (need coverage): none asked for 1 call in 10, "other" (with a note) for 2 in 10 — from n, so the random sequence above is unchanged.
      need: n % 10 === 0 ? null : n % 5 === 1 ? 'other' : 'bill',
      needNote: n % 5 === 1 && n % 10 !== 0 ? 'synthetic: a need no business covers' : null,
    },
    segments,
    steps,
    offers,
  };
}
