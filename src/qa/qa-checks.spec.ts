import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlowLoadError } from '../flows/flow-loader';
import { FLOWS_DIR } from '../simulation/file-flows';
import { loadCallChecks, parseCallChecks, runCallChecks } from './qa-checks';
import { customer, hangUp, qaFlows, ScriptedCall, suspendFinish, suspendToUpsell, titles, toHub } from '../testing/scripted-call';
import { buildTimeline, type Timeline, traceOfTimeline } from './timeline';
import { callTrace } from '../calls';

const CHECKS_FILE = path.join(FLOWS_DIR, 'qa/call-checks.json');
const checks = loadCallChecks(CHECKS_FILE);
/** The timeline, after checking that the trace the call carried as it ran is that timeline reduced (what the worker checks is what replay shows). */
const timelineOf = (call: ScriptedCall) => {
  const timeline = buildTimeline(qaFlows, call.progress.record, call.events, 'en', titles);
  const { status, outcome, mode, entries, businesses } = callTrace(call.progress);
  expect({ status, outcome, mode, entries, businesses }).toEqual(traceOfTimeline(timeline));
  return timeline;
};
const results = (t: Timeline) => Object.fromEntries(runCallChecks(traceOfTimeline(t), checks).map((r) => [r.id, r]));
const PASSED_ALL = { passed: true, applicable: true, findings: [] };

describe('automatic call checks (flows/qa/call-checks.json)', () => {
  const suspendHotline = () => hangUp(suspendFinish(suspendToUpsell(toHub())));

  it('passes a hotline suspend call done right on every check', () => {
    const r = results(timelineOf(suspendHotline()));
    expect(Object.keys(r)).toEqual(['care-prompts-confirmed', 'warning-before-verification', 'offer-at-eligible-m-points', 'closing-words-reached']);
    for (const result of Object.values(r)) expect(result).toMatchObject(PASSED_ALL);
    expect(r['care-prompts-confirmed'].title).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
  });

  it('catches a decision at warn that carried no confirmedPrompts, at exactly that seq', () => {
    // A crafted client that skips the prompts at warn (the server records, it does not require them).
    const crafted = toHub().decide('another-business', { flowId: 'suspend-service' }).decide('continue').decide('continue', { reason: 'travel' });
    expect(crafted.step).toBe('warn');
    crafted.raw({ option: 'acknowledged' });
    const skipped = crafted.events.at(-1)!;
    hangUp(suspendFinish(crafted));
    const r = results(timelineOf(crafted))['care-prompts-confirmed'];
    expect(r).toMatchObject({ passed: false, applicable: true });
    expect(r.findings).toEqual([
      {
        seq: skipped.seq,
        stepId: 'warn',
        message: expect.stringMatching(/effective-immediately, plan-fee-charged, how-to-resume \(no confirmedPrompts sent\)/),
      },
    ]);
  });

  it('catches a partial confirmation, naming the prompts left out', () => {
    const partial = toHub().decide('another-business', { flowId: 'suspend-service' }).decide('continue').decide('continue', { reason: 'travel' });
    partial.raw({ option: 'acknowledged', confirmedPrompts: ['plan-fee-charged'] });
    const [finding] = results(timelineOf(partial))['care-prompts-confirmed'].findings;
    expect(finding.message).toMatch(/without confirming effective-immediately, how-to-resume$/);
  });

  it('shows no offers at upsell after a complaint, and the offer check passes (none where not allowed)', () => {
    const call = toHub().decide('another-business', { flowId: 'complaint' }).decide('classify', { category: 'billing', summary: '扣费不明' });
    call.decide('solved-here', { resolution: '已解释' }).decide('satisfied');
    suspendToUpsell(call);
    const t = timelineOf(call);
    const upsell = t.entries.find((e) => e.stepId === 'upsell')!;
    expect(upsell.view.step.offers).toEqual([]);
    hangUp(suspendFinish(call));
    expect(results(timelineOf(call))['offer-at-eligible-m-points']).toMatchObject(PASSED_ALL);

    // Had the engine shown offers there anyway, the check would say so at the view that showed them.
    const forged = structuredClone(timelineOf(call));
    const at = forged.entries.find((e) => e.stepId === 'upsell')!;
    at.view.step.offers = [{ id: 'holiday-plan', title: 'Holiday plan', pitch: '…', targetFlowId: 'holiday-plan' }];
    expect(results(forged)['offer-at-eligible-m-points'].findings).toEqual([
      { seq: at.seq, stepId: 'upsell', message: expect.stringContaining('went through complaint') },
    ]);
  });

  it('requires an eligible marketing point to be answered, not left by another way out; and pitched once', () => {
    const call = toHub().decide('another-business', { flowId: 'bill-inquiry' });
    call.reply({ bills: customer().bills, latest: { month: '2026-10', totalYuan: 200, items: [] } }).decide('explained');
    expect(call.step).toBe('next-need');
    call.decide('customise');
    const skipped = call.events.at(-1)!;
    call.decide('back').decide('done').decide('submit');
    const t = timelineOf(call);
    const r = results(t)['offer-at-eligible-m-points'];
    expect(r).toMatchObject({ passed: false, applicable: true });
    expect(r.findings).toEqual([
      {
        seq: skipped.seq,
        stepId: 'next-need',
        message: expect.stringMatching(/by 'customise' without answering the offers shown \(better-plan/),
      },
    ]);

    // The second visit showed no offers (one pitch per point); a pitch there would be a finding.
    const visits = t.entries.filter((e) => e.stepId === 'next-need');
    expect(visits.map((e) => e.view.step.offers!.length > 0)).toEqual([true, false]);
    const forged = structuredClone(t);
    forged.entries[visits[1].index].view.step.offers = visits[0].view.step.offers;
    expect(results(forged)['offer-at-eligible-m-points'].findings.map((f) => f.message)).toContainEqual(
      expect.stringContaining('bill-inquiry/next-need pitched again'),
    );
  });

  it('checks the warning comes before verification within suspend-service only', () => {
    const t = timelineOf(suspendHotline());
    const order = results(t)['warning-before-verification'];
    expect(order).toMatchObject(PASSED_ALL);
    // A call that never entered suspend-service is not about it.
    expect(results(timelineOf(hangUp(toHub())))['warning-before-verification']).toMatchObject({ passed: true, applicable: false });
    // A flow version that verified first would be caught at the first verification step.
    const reordered = { ...t, entries: t.entries.filter((e) => e.stepId !== 'warn') };
    const verify = reordered.entries.find((e) => e.stepId === 'verify')!;
    expect(results(reordered)['warning-before-verification'].findings).toEqual([
      { seq: verify.seq, stepId: 'verify', message: "reached 'verify' in suspend-service before a step named 'warn'" },
    ]);
  });

  it('holds completed hotline calls to the closing words, not abandoned or direct ones', () => {
    expect(results(timelineOf(hangUp(toHub())))['closing-words-reached']).toMatchObject(PASSED_ALL);
    const abandoned = timelineOf(suspendToUpsell(toHub()).hangup());
    expect(abandoned.status).toBe('abandoned');
    expect(results(abandoned)['closing-words-reached']).toMatchObject({ passed: true, applicable: false, findings: [] });
    const direct = timelineOf(suspendFinish(suspendToUpsell(new ScriptedCall('suspend-service'), true)));
    expect(direct).toMatchObject({ status: 'completed', mode: 'direct' });
    const r = results(direct);
    expect(r['closing-words-reached'].applicable).toBe(false);
    for (const id of ['care-prompts-confirmed', 'warning-before-verification', 'offer-at-eligible-m-points']) expect(r[id]).toMatchObject(PASSED_ALL);
    // A completed hotline call whose log never reached the closing words fails, at its last view.
    const t = timelineOf(hangUp(toHub()));
    const cut = { ...t, entries: t.entries.filter((e) => e.stepId !== 'closing') };
    expect(results(cut)['closing-words-reached'].findings).toEqual([
      {
        seq: cut.entries.at(-1)!.seq,
        stepId: 'closed',
        message: "the call ended (completed) without reaching a step named 'closing' of a hang-up flow",
      },
    ]);
  });
});

describe('call checks file', () => {
  const valid = () => JSON.parse(fs.readFileSync(CHECKS_FILE, 'utf8'));
  const refusal = (raw: unknown) => {
    try {
      parseCallChecks(raw, 'bad.json');
    } catch (e) {
      expect(e).toBeInstanceOf(FlowLoadError);
      return (e as FlowLoadError).problems;
    }
    throw new Error('expected the file to be refused');
  };

  it('refuses a malformed file, naming the JSON path of each problem', () => {
    const bad = valid();
    bad.checks[1].first = {};
    bad.checks[2].declineOptions = [];
    bad.checks[3].state.flowKind = 'ivr';
    bad.checks[0].typo = true;
    expect(refusal(bad)).toEqual(
      expect.arrayContaining([
        { path: '$.checks[0].typo', message: 'unknown property' },
        { path: '$.checks[1].first', message: expect.stringContaining('fewer than 1') },
        { path: '$.checks[2].declineOptions', message: expect.stringContaining('fewer than 1') },
        { path: '$.checks[3].state.flowKind', message: expect.stringContaining('allowed values') },
      ]),
    );
    expect(refusal({ ...valid(), checks: [{ ...valid().checks[0], kind: 'mood' }] })).toEqual([
      { path: '$.checks[0].kind', message: expect.stringContaining('unknown check kind "mood"') },
    ]);
    expect(refusal({ ...valid(), checks: [valid().checks[0], valid().checks[0]] })).toEqual([
      { path: '$.checks[1].id', message: "duplicate check id 'care-prompts-confirmed'" },
    ]);
    expect(refusal({ version: 1 })).toEqual([{ path: '$.checks', message: 'is required' }]);
  });

  it('refuses a file that is not JSON, and reads a valid one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qa-checks-'));
    const file = path.join(dir, 'call-checks.json');
    fs.writeFileSync(file, '{ "version": 1, ');
    expect(() => loadCallChecks(file)).toThrow(/call-checks\.json: \$: not valid JSON/);
    fs.writeFileSync(file, JSON.stringify(valid()));
    expect(loadCallChecks(file).checks.map((c) => c.kind)).toEqual(['promptsConfirmed', 'order', 'offersAtEligiblePoints', 'visits']);
    fs.rmSync(dir, { recursive: true });
  });
});
