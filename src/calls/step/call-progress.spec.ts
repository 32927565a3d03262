import type { CustomerProfile } from '../../backend/customer';
import { AppError } from '../../common/app-error';
import type { LoggedEvent } from '../../decision-log/decision-log';
import { chainEvents } from '../../decision-log/hash-chain';
import { fileFlows } from '../../simulation/file-flows';
import { customer as testCustomer } from '../../testing/scripted-call';
import { advance, beginCall } from './call-progress';
import { callTrace } from './call-trace';
import { NOT_KEPT } from './decision-input';
import type { CallInput, CallProgress } from './call-progress-types';
import { renderView } from '../call-view';
import { replayCall } from './replay';

const flows = fileFlows(['suspend-service']);
const flow = flows.get('suspend-service');
const view = (progress: CallProgress, locale: 'en' | 'zh-CN' = 'en') => renderView(progress, locale, flows, [], () => null);
/** The test customer of src/testing, under a Chinese name (the scripts fill it in). */
const customer = (over: Partial<CustomerProfile> = {}): CustomerProfile => testCustomer({ name: '张伟', ...over });

class Call {
  events: LoggedEvent[] = [];
  progress: CallProgress;
  private clock = Date.parse('2026-11-23T08:00:00Z');

  constructor(who = customer()) {
    const { event, progress } = beginCall(flow, { callId: 'c1', agentId: 'a1', callerNumber: who.msisdn, customer: who, at: this.tick() });
    this.events.push(event);
    this.progress = progress;
  }
  get step() {
    return this.progress.record.state;
  }
  options() {
    return view(this.progress).step.options.map((o) => o.id);
  }
  decide(option: string, input?: Record<string, unknown>) {
    return this.apply({ type: 'decision', payload: input ? { option, input } : { option }, at: this.tick() });
  }
  reply(ok: boolean, body: unknown) {
    const op = this.progress.effects.find((e) => e.kind === 'operation');
    if (!op || op.kind !== 'operation') throw new Error(`no back-end step pending at ${this.step}`);
    return this.apply({
      type: 'backend.reply',
      payload: { operation: op.src, invokeId: op.invokeId, ok, ...(ok ? { output: body } : { error: body }) },
      at: this.tick(),
    });
  }
  timeout() {
    const timer = this.progress.effects.find((e) => e.kind === 'timer');
    if (!timer || timer.kind !== 'timer') throw new Error(`no timer at ${this.step}`);
    return this.apply({ type: 'timeout', payload: { event: timer.eventType }, at: this.tick() });
  }
  apply(input: CallInput) {
    const { event, progress } = advance(this.progress, input, flows);
    this.events.push(event);
    this.progress = progress;
    return this;
  }
  private tick() {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
}

const refused = (fn: () => unknown, code: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    return e as AppError;
  }
  throw new Error(`expected ${code}`);
};

function toVerify(call: Call, reason = 'travel') {
  call.decide('continue').decide('continue', { reason }).decide('acknowledged').decide('decline');
  expect(call.step).toBe('verify');
  return call;
}

describe('call progress (the pure step function)', () => {
  it("keeps a step's options and offers on its snapshot and progress, where a mark-compact does not settle them in its pause", () => {
    const memos = (o: object) => Object.getOwnPropertySymbols(o).map((k) => k.description);
    const call = new Call();
    expect(memos(call.progress.snapshot)).not.toContain('options available');
    expect(call.options().length).toBeGreaterThan(0);
    // Held on the objects themselves (common/object-memo.ts): a frozen snapshot would push them into a WeakMap.
    expect(memos(call.progress.snapshot)).toEqual(['options available']);
    // A step without offers keeps none on its progress; one with offers keeps them there.
    expect(memos(call.progress).every((m) => m === 'offers shown')).toBe(true);
    expect(Object.keys(call.progress.snapshot)).not.toContain('options available');
    const options = call.options();
    call.decide(options[0] === 'hangup' ? options[1] : options[0]);
    expect(memos(call.progress.snapshot)).not.toContain('options available');
  });

  it('calls in one step share its options: the list (frozen) and what the memo keeps, not copies of their own', () => {
    const first = toVerify(new Call());
    const second = toVerify(new Call());
    const answerOf = (call: Call) => {
      call.options();
      const key = Object.getOwnPropertySymbols(call.progress.snapshot).find((k) => k.description === 'options available')!;
      return (call.progress.snapshot as unknown as Record<symbol, { value: { options: unknown[] } }>)[key].value;
    };
    expect(first.progress.snapshot).not.toBe(second.progress.snapshot);
    expect(answerOf(second)).toBe(answerOf(first));
    expect(Object.isFrozen(answerOf(first))).toBe(true);
    // A step where an option is closed (accept, with no offer for the reason): one filtered list for every call there.
    const noOffer = () => new Call().decide('continue').decide('continue', { reason: 'other' }).decide('acknowledged');
    const [a, b] = [noOffer(), noOffer()];
    const listOf = (call: Call) => answerOf(call).options as { id: string }[];
    expect(listOf(a).map((o) => o.id)).toEqual(['decline']);
    expect(listOf(b)).toBe(listOf(a));
    expect(Object.isFrozen(listOf(a))).toBe(true);
    expect(a.options()).toEqual(['decline']);
  });

  it('runs the happy path, one seq per event, with back-end steps as effects', () => {
    const call = toVerify(new Call());
    call.decide('password');
    expect(call.step).toBe('checking-password');
    expect(call.progress.effects).toHaveLength(2);
    expect(call.progress.effects).toEqual(
      expect.arrayContaining([
        { kind: 'timer', delayMs: 10_000, eventType: expect.stringContaining('backendTimeout') },
        { kind: 'operation', invokeId: 'ivr-check', src: 'checkIvrPassword', input: {} },
      ]),
    );
    call.reply(true, { ok: true }).decide('execute');
    expect(call.step).toBe('executing');
    call.reply(true, { ticketId: 'SR-1' }).decide('acknowledged').decide('submit');
    expect(call.progress.record).toMatchObject({ status: 'completed', outcome: 'completed', state: 'completed', seq: 11 });
    expect(call.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(call.progress.effects).toEqual([]);
  });

  it('offers only the not-eligible ending, with the reason, to a customer in arrears', () => {
    const call = new Call(customer({ arrearsYuan: 58.5 }));
    expect(call.options()).toEqual(['end-not-eligible']);
    const rules = view(call.progress, 'zh-CN').step.rules![0];
    expect(rules.passed).toBe(false);
    expect(rules.checks.find((c) => !c.passed)).toMatchObject({ id: 'no-arrears', reason: expect.stringContaining('58.5') });
    refused(() => call.decide('continue'), 'OPTION_NOT_AVAILABLE');
    call.decide('end-not-eligible');
    expect(call.progress.record).toMatchObject({ status: 'completed', outcome: 'not-eligible' });
  });

  it('validates inputs against the step and changes nothing when they are bad', () => {
    const call = new Call().decide('continue');
    const before = call.progress;
    const error = refused(() => call.decide('continue', { reason: 'bored' }), 'VALIDATION_FAILED');
    expect(error.details).toEqual([{ field: 'input.reason', problems: [expect.stringContaining('lost-phone')] }]);
    refused(() => call.decide('continue'), 'VALIDATION_FAILED');
    refused(() => call.decide('continue', { reason: 'travel', extra: 1 }), 'VALIDATION_FAILED');
    expect(call.progress).toBe(before);
  });

  it('offers by reason, and an accepted offer ends the flow as converted naming the target business', () => {
    const call = new Call().decide('continue').decide('continue', { reason: 'lost-phone' }).decide('acknowledged');
    const offers = view(call.progress).step.offers!.map((o) => o.id);
    expect(offers).toEqual(['online-phone-purchase', 'replacement-sim']);
    // Worked out once for this progress and kept on it (common/object-memo.ts), not in a WeakMap.
    expect(Object.getOwnPropertySymbols(call.progress).map((k) => k.description)).toEqual(['offers shown']);
    refused(() => call.decide('accept', { offerId: 'two-cities-one-home' }), 'VALIDATION_FAILED');
    call.decide('accept', { offerId: 'replacement-sim' });
    expect(call.progress.record).toMatchObject({ status: 'completed', outcome: 'converted' });
    expect(call.progress.record.outcomeDetail).toMatchObject({
      acceptedOffer: { id: 'replacement-sim', targetFlowId: 'sim-replacement' },
      reason: 'lost-phone',
    });
  });

  it('hides accept when the reason has no offer', () => {
    const call = new Call().decide('continue').decide('continue', { reason: 'other' }).decide('acknowledged');
    expect(call.options()).toEqual(['decline']);
  });

  it('locks after three failed verifications, guiding a forgotten password to the document check', () => {
    const call = toVerify(new Call());
    call.decide('password').reply(true, { ok: false });
    expect(call.step).toBe('verify');
    call.decide('forgot-password');
    expect(call.step).toBe('verify-document');
    call.decide('id-document', { idLast4: '0000' }).reply(true, { ok: false });
    expect(call.step).toBe('verify-document');
    call.decide('id-document', { idLast4: '0000' }).reply(true, { ok: false });
    expect(call.progress.record).toMatchObject({ status: 'completed', outcome: 'locked', state: 'verification-locked' });
  });

  it('sends a failed or timed-out execution to the failure step, never to the reminders', () => {
    const call = toVerify(new Call());
    call.decide('password').reply(true, { ok: true }).decide('execute').reply(false, { code: 'BOSS_UNAVAILABLE' });
    expect(call.step).toBe('execute-failed');
    expect(call.options()).toEqual(['retry', 'raise-ticket']);
    call.decide('retry').timeout();
    expect(call.step).toBe('execute-failed');
    call.decide('raise-ticket');
    // Version 2: the ticket announced is raised first; the ending is reached only on the back end's acceptance.
    expect(call.step).toBe('raising-ticket');
    expect(call.progress.record).toMatchObject({ outcome: null });
    call.reply(true, { receiptId: 'RAISE-WORK-ORDER-1' });
    expect(call.progress.record).toMatchObject({
      outcome: 'ticket-raised',
      outcomeDetail: { lastError: { code: 'TIMEOUT' }, workOrder: { receiptId: 'RAISE-WORK-ORDER-1' } },
    });
  });

  it('never announces a ticket the work-order system refused: retry, then a manual follow-up', () => {
    const call = toVerify(new Call());
    call.decide('password').reply(true, { ok: true }).decide('execute').reply(false, { code: 'BOSS_UNAVAILABLE' });
    call.decide('raise-ticket').reply(false, { code: 'BOSS_UNAVAILABLE' });
    expect(call.step).toBe('ticket-failed');
    expect(call.options()).toEqual(['retry', 'manual-record']);
    call.decide('retry').timeout();
    expect(call.step).toBe('ticket-failed');
    call.decide('manual-record');
    expect(call.progress.record).toMatchObject({ outcome: 'manual-follow-up', state: 'manual-follow-up' });
  });

  it('refuses a back-end reply the step is not waiting for', () => {
    const call = new Call();
    refused(() => call.apply({ type: 'backend.reply', payload: { invokeId: 'suspend-line', ok: true }, at: 'x' }), 'OPTION_NOT_AVAILABLE');
  });

  it('records a hang-up as abandoned and refuses anything after it', () => {
    const call = new Call().apply({ type: 'call.hangup', payload: {}, at: '2026-11-23T08:00:09Z' });
    expect(call.progress.record).toMatchObject({ status: 'abandoned', outcome: 'abandoned', state: 'check-eligibility' });
    refused(() => call.decide('continue'), 'OPTION_NOT_AVAILABLE');
  });
});

describe('replay', () => {
  const finished = () => {
    const call = toVerify(new Call());
    call.decide('password').reply(true, { ok: true }).decide('execute').reply(true, { ticketId: 'SR-1' }).decide('acknowledged').decide('submit');
    return call;
  };

  it('hands the typed ID digits to the machine but logs them as not kept, and replays the log to the same steps', () => {
    const call = toVerify(new Call());
    call.decide('id-document', { idLast4: '1234' });
    expect(call.progress.snapshot.context.idLast4).toBe('1234'); // what the live back-end step sends
    expect(call.events.at(-1)!.payload).toEqual({ option: 'id-document', input: { idLast4: NOT_KEPT } });
    call.reply(true, { ok: true });
    expect(call.step).toBe('execute');
    expect(JSON.stringify(call.events)).not.toContain('1234');
    const result = replayCall(flows, call.progress.record, chainEvents(call.events));
    expect(result).toMatchObject({ deterministic: true, divergences: [], chain: { intact: true } });
  });

  it('reproduces a logged call exactly, over an intact chain', () => {
    const call = finished();
    const result = replayCall(flows, call.progress.record, chainEvents(call.events));
    expect(result).toMatchObject({ deterministic: true, eventsReplayed: 11, divergences: [], chain: { intact: true, brokenAt: null } });
  });

  it('reports the first tampered event, and the chain broken there', () => {
    const call = finished();
    const events = chainEvents(call.events);
    const verify = events.find((e) => e.stateBefore === 'verify')!;
    verify.payload.option = 'forgot-password';
    const result = replayCall(flows, call.progress.record, events);
    expect(result.deterministic).toBe(false);
    expect(result.divergences[0]).toMatchObject({
      seq: verify.seq,
      field: 'stateAfter',
      expected: 'checking-password',
      actual: 'verify-document',
    });
    expect(result.chain).toEqual({ intact: false, brokenAt: { seq: verify.seq, reason: expect.stringMatching(/content/) } });
  });

  it('reports an altered back-end reply and a gap in the sequence', () => {
    const call = finished();
    const events = chainEvents(call.events);
    const reply = events.find((e) => e.type === 'backend.reply')!;
    reply.payload.output = { ok: false };
    expect(replayCall(flows, call.progress.record, events).divergences[0]).toMatchObject({ seq: reply.seq, field: 'stateAfter' });
    const gap = chainEvents(call.events);
    gap.splice(3, 1);
    const result = replayCall(flows, call.progress.record, gap);
    expect(result.deterministic).toBe(false);
    expect(result.chain.brokenAt).toEqual({ seq: 5, reason: expect.stringMatching(/prevHash/) });
  });

  it('catches in the chain an edit that re-executes the same', () => {
    const call = finished();
    const events = chainEvents(call.events);
    const reply = events.find((e) => e.type === 'backend.reply')!;
    reply.payload.latencyMs = 1;
    const result = replayCall(flows, call.progress.record, events);
    expect(result).toMatchObject({ deterministic: true, chain: { intact: false, brokenAt: { seq: reply.seq } } });
  });

  it('an event keeps only its own view: the earlier views are shared with the progress before, and laid out in order at the end', () => {
    const call = toVerify(new Call());
    const before = call.progress;
    call.decide('password');
    const after = call.progress;
    // The view that was open is closed without a copy, and the list of closed views is extended, not copied.
    expect(after.trace.closed!.entry).toBe(before.trace.open);
    expect(after.trace.closed!.before).toBe(before.trace.closed);
    expect(after.trace.customer).toBe(before.trace.customer);
    const entries = callTrace(after).entries;
    expect(entries.map((e) => e.seq)).toEqual(call.events.map((e) => e.seq));
    expect(entries.at(-1)).toBe(after.trace.open);
    expect(entries.at(-2)).toMatchObject({ ...before.trace.open, action: { type: 'decision', option: 'password' }, durationMs: 1000 });
    // The entry as shown is never changed by closing it.
    expect(before.trace.open).toMatchObject({ action: null, durationMs: null });
  });

  it("a snapshot keeps no tags or child actors of its own: the back-end step is the engine's, from the spawn action", () => {
    const call = toVerify(new Call());
    const { tags, children } = call.progress.snapshot;
    call.decide('password');
    // The step invokes the password check: the engine gets it, with its input, from the spawn action; the snapshot keeps no child.
    expect(call.progress.effects).toContainEqual({ kind: 'operation', invokeId: 'ivr-check', src: 'checkIvrPassword', input: {} });
    expect(call.progress.snapshot.children).toBe(children);
    expect(Object.keys(children)).toEqual([]);
    expect(call.progress.snapshot.tags).toBe(tags);
    expect(tags.size).toBe(0);
    expect(() => (tags as Set<string>).add('x')).toThrow('never added to');
    // The reply still finds its step, and the call replays the same.
    call.reply(true, { ok: true });
    expect(call.step).toBe('execute');
    expect(replayCall(flows, call.progress.record, chainEvents(call.events))).toMatchObject({ deterministic: true });
  });

  it('snapshots share an empty history, and the state nodes of a step with every call in it', () => {
    const first = toVerify(new Call());
    const second = toVerify(new Call());
    const nodesOf = (call: Call) => (call.progress.snapshot as unknown as { _nodes: readonly { id: string }[] })._nodes;
    const historyOf = (call: Call) => (call.progress.snapshot as unknown as { historyValue: object }).historyValue;
    // Two calls in one step: one array of nodes, frozen, naming the root and the step.
    expect(nodesOf(second)).toBe(nodesOf(first));
    expect(Object.isFrozen(nodesOf(first))).toBe(true);
    expect(nodesOf(first).map((n) => n.id)).toEqual(['suspend-service', 'suspend-service.verify']);
    expect(historyOf(second)).toBe(historyOf(first));
    expect(Object.isFrozen(historyOf(first))).toBe(true);
    expect(Object.keys(historyOf(first))).toEqual([]);
    // A step left and entered again (the check fails, the agent is asked again) gets the same array back.
    first.decide('password');
    expect(nodesOf(first)).not.toBe(nodesOf(second));
    expect(historyOf(first)).toBe(historyOf(second));
    first.reply(false, { error: 'wrong' });
    expect(first.step).toBe('verify');
    expect(nodesOf(first)).toBe(nodesOf(second));
    // XState still reads them as its own: the options open, and the call replays the same.
    expect(first.progress.snapshot.can({ type: 'PASSWORD' })).toBe(true);
    // No effects, needs or pitches: one frozen empty list, not one per call and step.
    const [fresh, another] = [new Call(), new Call()];
    expect(second.progress.effects).toEqual([]);
    expect(second.progress.effects).toBe(fresh.progress.effects);
    for (const list of ['effects', 'needs', 'pitched'] as const) {
      expect(another.progress[list]).toBe(fresh.progress[list]);
      expect(fresh.progress[list]).toEqual([]);
      expect(Object.isFrozen(fresh.progress[list])).toBe(true);
    }
    // A step with effects has its own list.
    expect(first.decide('password').progress.effects).toHaveLength(2);
    expect(replayCall(flows, first.progress.record, chainEvents(first.events))).toMatchObject({ deterministic: true });
  });

  it('a step.flag is logged in the step it flags: the call stays, its waits and effects stay, and it replays', () => {
    const call = toVerify(new Call());
    call.decide('password');
    const effects = call.progress.effects;
    const seq = call.progress.record.seq;
    call.apply({ type: 'step.flag', payload: { reason: 'too-slow', text: 'the check takes long' }, at: '2026-11-23T08:01:00.000Z' });
    expect(call.events.at(-1)).toMatchObject({ type: 'step.flag', seq: seq + 1, stateBefore: 'checking-password', stateAfter: 'checking-password' });
    expect(call.progress.record).toMatchObject({ seq: seq + 1, state: 'checking-password', status: 'active' });
    // Still waiting for the same back-end reply: a rebuild from this log runs it again.
    expect(call.progress.effects).toEqual(effects);
    expect(callTrace(call.progress).entries.at(-2)!.action).toMatchObject({
      type: 'step.flag',
      leftStep: false,
      flag: { reason: 'too-slow', text: 'the check takes long' },
    });
    call.reply(true, { ok: true });
    expect(call.step).toBe('execute');
    expect(replayCall(flows, call.progress.record, chainEvents(call.events))).toMatchObject({ deterministic: true });
  });

  it('no flag on an ended call or a training call', () => {
    const ended = new Call(customer({ arrearsYuan: 58.5 })).decide('end-not-eligible');
    const flag = (c: Call) => () => c.apply({ type: 'step.flag', payload: { reason: 'other', text: '' }, at: '2026-11-23T08:01:00.000Z' });
    refused(flag(ended), 'OPTION_NOT_AVAILABLE');
    const training = new Call();
    training.progress = { ...training.progress, training: 'scenario-1' };
    refused(flag(training), 'OPTION_NOT_AVAILABLE');
  });
});
