import { customer, hangUp, qaFlows, ScriptedCall, suspendFinish, suspendToUpsell, titles, toHub, viewOf } from '../testing/scripted-call';
import { buildTimeline } from './timeline';

const timelineOf = (call: ScriptedCall, events = call.events) => buildTimeline(qaFlows, call.progress.record, events, 'en', titles);

describe('call timeline (the log re-executed)', () => {
  const hotline = () => hangUp(suspendFinish(suspendToUpsell(toHub(new ScriptedCall('enter-service', customer())).after(9000))));

  it('has one entry per view, timed by the gaps between the logged events', () => {
    const call = hotline();
    const t = timelineOf(call);
    expect(t).toMatchObject({ deterministic: true, divergence: null, status: 'completed', outcome: 'completed', mode: 'hotline' });
    expect(t.entries.map((e) => e.seq)).toEqual(call.events.map((e) => e.seq));
    const ms = call.events.map((e) => Date.parse(e.at));
    t.entries.slice(0, -1).forEach((e, i) => {
      expect(e.durationMs).toBe(ms[i + 1] - ms[i]);
      expect([e.enteredAt, e.leftAt]).toEqual([call.events[i].at, call.events[i + 1].at]);
    });
    expect(t.entries.at(-1)).toMatchObject({ action: null, leftAt: null, durationMs: null, stepId: 'closed', flowKind: 'hang-up' });
    expect(t.totals.durationMs).toBe(ms.at(-1)! - ms[0]);
    expect(t.totals.waitMs + t.totals.agentMs).toBe(t.totals.durationMs);
    expect(t.totals.steps).toBe(call.events.length);
    // The 9 s gap was set before choosing the business at the hub.
    expect(t.entries.find((e) => e.view.betweenBusinesses)).toMatchObject({
      durationMs: 9000,
      stepId: 'need-identified',
      action: { option: 'another-business' },
    });
    expect(t.totals.businesses).toEqual([
      { flowId: 'enter-service', version: 2, outcome: 'need-identified' },
      { flowId: 'suspend-service', version: 2, outcome: 'completed' },
      { flowId: 'hang-up', version: 2, outcome: 'closed' },
    ]);
  });

  it('flags the W steps as customer waiting time, with the back-end reply that ended the wait', () => {
    const t = timelineOf(hotline());
    const checking = t.entries.find((e) => e.stepId === 'checking-password')!;
    expect(checking).toMatchObject({ wait: true, marks: ['W'], durationMs: 4000, effects: ['check'] });
    expect(checking.action).toMatchObject({
      type: 'backend.reply',
      leftStep: true,
      reply: { operation: 'checkIvrPassword', ok: true, output: { ok: true }, latencyMs: 30 },
    });
    expect(t.entries.find((e) => e.stepId === 'executing')).toMatchObject({ wait: true, durationMs: 2500, effects: ['change'] });
    expect(t.entries.filter((e) => e.wait).map((e) => e.stepId)).toEqual(['ivr-transfer', 'checking-password', 'executing', 'sending-sms']);
    expect(t.totals.waitMs).toBe(t.entries.filter((e) => e.wait).reduce((s, e) => s + e.durationMs!, 0));
    expect(t.entries.find((e) => e.stepId === 'verify')!.wait).toBe(false);
  });

  it('shows each step exactly as the agent saw it: the view rendered at that point', () => {
    const call = hotline();
    const t = timelineOf(call);
    const warn = t.entries.find((e) => e.stepId === 'warn')!;
    expect(warn.view).toEqual(viewOf(call.progresses[warn.index]));
    expect(warn.view.step.prompts.map((p) => p.id)).toEqual(['effective-immediately', 'plan-fee-charged', 'how-to-resume']);
    expect(warn.action).toMatchObject({
      type: 'decision',
      option: 'acknowledged',
      confirmedPrompts: ['effective-immediately', 'plan-fee-charged', 'how-to-resume'],
    });
    const close = t.entries.find((e) => e.stepId === 'close')!;
    expect(close.view.step.script).toMatch(/^Emily Chen, your suspension is complete/);
    expect(close.view).toEqual(viewOf(call.progresses[close.index]));
    expect(t.entries.find((e) => e.stepId === 'upsell')).toMatchObject({
      marks: ['M'],
      offerOptions: ['accept'],
      view: { step: { offers: [{ id: 'two-cities-one-home' }, {}, {}] } },
    });
  });

  it("keeps a hang-up on the step it happened at, and the abandoned call's last view", () => {
    const call = suspendToUpsell(toHub()).decide('decline').hangup();
    const t = timelineOf(call);
    expect(t).toMatchObject({ status: 'abandoned', outcome: 'abandoned', deterministic: true });
    const [verify, last] = t.entries.slice(-2);
    expect(verify).toMatchObject({ stepId: 'verify', action: { type: 'call.hangup', leftStep: false } });
    expect(last).toMatchObject({ stepId: 'verify', enteredSeq: verify.enteredSeq, action: null, view: { status: 'abandoned' } });
  });

  it('stops at the first divergence from the log and says so', () => {
    const call = hotline();
    const events = structuredClone(call.events);
    const tampered = events.find((e) => e.stateBefore === 'verify')!;
    tampered.payload.option = 'forgot-password';
    const t = timelineOf(call, events);
    expect(t.deterministic).toBe(false);
    expect(t.divergence).toMatchObject({
      seq: tampered.seq,
      field: 'stateAfter',
      expected: 'checking-password',
      actual: 'verify-document',
    });
    expect(t.entries.at(-1)).toMatchObject({
      seq: tampered.seq - 1,
      stepId: 'verify',
      action: { seq: tampered.seq, option: 'forgot-password' },
    });
    expect(t.totals.steps).toBe(tampered.seq - 1);
  });
});
