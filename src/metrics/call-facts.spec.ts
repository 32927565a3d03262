import { customer, hangUp, qaFlows, ScriptedCall, suspendExecute, suspendFinish, suspendToUpsell, titles, toHub } from '../testing/scripted-call';
import { buildTimeline, traceOfTimeline } from '../qa/timeline';
import { callTrace } from '../calls';
import { dimensionsOf, extractFacts } from './call-facts';

/** The facts from the trace the call carried as it ran, which must be those from its re-executed timeline. */
const factsOf = (call: ScriptedCall) => {
  const started = call.events[0];
  const dims = dimensionsOf('qa-1', 'a1', started.at, started.payload);
  const fromTrace = extractFacts(dims, callTrace(call.progress));
  expect(fromTrace).toEqual(extractFacts(dims, traceOfTimeline(buildTimeline(qaFlows, call.progress.record, call.events, 'en', titles))));
  return fromTrace;
};

describe('metric facts of an ended call', () => {
  it('the need chosen at ask-need; an "other" need keeps the words the agent typed (need coverage)', () => {
    expect(factsOf(toHub()).call).toMatchObject({ need: 'suspend-resume', needNote: null });
    const other = new ScriptedCall('enter-service').reply({ plan: {} }).decide('greeted').decide('identified', { need: 'other', needNote: ' 想办宽带 ' });
    expect(factsOf(other).call).toMatchObject({ need: 'other', needNote: '想办宽带' });
    const silent = new ScriptedCall('enter-service').reply({ plan: {} }).decide('greeted').decide('no-need');
    expect(factsOf(silent).call).toMatchObject({ need: null, needNote: null });
  });

  it("a business that ends converted and moves the call into the offer's business is a success; the next one is counted on its own", () => {
    const call = new ScriptedCall('suspend-service')
      .decide('continue')
      .decide('continue', { reason: 'lost-phone' })
      .decide('acknowledged')
      .decide('accept', { offerId: 'replacement-sim' });
    expect(call.progress.record).toMatchObject({ currentFlowId: 'sim-replacement', state: 'check-eligibility', status: 'active' });
    call.decide('continue').decide('acknowledged').decide('no-document');
    const f = factsOf(call);
    expect(f.segments).toEqual([
      expect.objectContaining({ flowId: 'suspend-service', outcome: 'converted', success: true, accepted: 1 }),
      expect.objectContaining({ flowId: 'sim-replacement', outcome: 'referred-to-shop', success: false, agentSteps: 3 }),
    ]);
    expect(f.call.flowId).toBe('suspend-service');
  });

  it('a direct suspend call: one business, its agent steps, a failed password check at the F point, waits, the offers answered', () => {
    const verified = suspendToUpsell(new ScriptedCall('suspend-service'), true)
      .decide('decline')
      .decide('password')
      .after(4000)
      .reply({ ok: false })
      .decide('password')
      .after(3000)
      .reply({ ok: true });
    const call = suspendExecute(verified);
    const f = factsOf(call);
    expect(f.call).toMatchObject({
      callId: 'qa-1',
      region: '北京',
      brand: 'gotone',
      tier: 'gold',
      day: '2026-11-23',
      callerNumber: '13800000001',
      flowId: 'suspend-service',
      flowVersion: 2,
      status: 'completed',
    });
    expect(f.call.waitMs).toBe(4000 + 3000 + 2500);
    expect(f.call.durationMs).toBe(f.call.waitMs + f.call.agentMs);
    expect(f.call.laneMs.support).toBe(9500);
    expect(f.segments).toEqual([
      expect.objectContaining({
        flowId: 'suspend-service',
        outcome: 'completed',
        success: true,
        agentSteps: 9,
        eligible: 1,
        presented: 1,
        accepted: 0,
      }),
    ]);
    const verify = f.steps.filter((s) => s.stepId === 'verify');
    expect(verify.map((s) => s.failureCause)).toEqual([null, 'CHECK_FAILED:checkIvrPassword']);
    expect(f.steps.filter((s) => s.wait).map((s) => [s.stepId, s.durationMs])).toEqual([
      ['checking-password', 4000],
      ['checking-password', 3000],
      ['executing', 2500],
    ]);
    expect(f.steps.some((s) => s.dropOff)).toBe(false);
    expect(f.offers.length).toBeGreaterThan(0);
    expect(f.offers.every((o) => o.stepId === 'upsell' && o.presented && !o.accepted)).toBe(true);
  });

  it('an abandoned call: the business is abandoned (not a success) and the last step is the drop-off', () => {
    const call = suspendToUpsell(new ScriptedCall('suspend-service'), true).decide('decline').hangup();
    const f = factsOf(call);
    expect(f.segments).toEqual([expect.objectContaining({ outcome: 'abandoned', success: false })]);
    expect(f.steps.filter((s) => s.dropOff).map((s) => s.stepId)).toEqual(['verify']);
  });

  it('a hotline call: one segment per business, counted under its first business', () => {
    const f = factsOf(hangUp(suspendFinish(suspendToUpsell(toHub(new ScriptedCall('enter-service', customer({ region: '上海' })))))));
    expect(f.segments.map((s) => [s.flowId, s.kind, s.outcome, s.success])).toEqual([
      ['enter-service', 'enter', 'need-identified', true],
      ['suspend-service', 'business', 'completed', true],
      ['hang-up', 'hang-up', 'closed', true],
    ]);
    expect(f.call).toMatchObject({ flowId: 'suspend-service', region: '上海' });
    expect(f.segments.reduce((t, s) => t + s.durationMs, 0)).toBe(f.call.durationMs);
  });
});
