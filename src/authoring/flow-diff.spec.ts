import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowDefinition, StepMeta } from '../flows/flow-definition';
import { diffFlows, type Change, type FlowDiff } from './flow-diff';

const flows = path.resolve(__dirname, '../../flows');
const read = (file: string): FlowDefinition => JSON.parse(fs.readFileSync(file, 'utf8'));
const current = (id: string) => read(path.join(flows, `${id}.json`));
const fixture = (name: string) => read(path.join(__dirname, 'fixtures', name));
const copy = <T>(x: T): T => structuredClone(x);

/** kind, stepId, field, locale — what the tests pin down exactly. */
const shape = (d: FlowDiff) => d.changes.map((c: Change) => [c.kind, c.stepId ?? null, c.field ?? null, c.locale ?? null]);

describe('diffFlows on real versions from git', () => {
  it('bill-inquiry v1 → v2: only next-need, inline offers better-plan and data-pack → the matrix', () => {
    const v1 = fixture('bill-inquiry.v1.json');
    const v2 = current('bill-inquiry');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const d = diffFlows(v1, v2);
    expect(d.from).toEqual({ id: 'bill-inquiry', version: 1 });
    expect(d.to).toEqual({ id: 'bill-inquiry', version: 2 });
    expect(shape(d)).toEqual([['offers-changed', 'next-need', 'offersFrom', null]]);
    expect(d.changes[0].before).toEqual({ offers: ['better-plan', 'data-pack'] });
    expect(d.changes[0].after).toBe('matrix');
    expect(d.changes[0].text.en).toBe(
      "Step 'next-need' (Questions, customisation or offer): offers now come from the related-marketing matrix (were inline: better-plan, data-pack)",
    );
    expect(d.changes[0].text['zh-CN']).toBe(
      '步骤「next-need」（确认账单疑问与定制需求）：推荐产品改为取自关联营销矩阵（原为本步骤内置：better-plan、data-pack）',
    );
    expect(d.summary).toEqual({ added: 0, removed: 0, moved: 0, changed: 1 });
  });

  it('vas-unsubscribe v1 → v2: only the retention step, seven inline offers → the matrix', () => {
    const d = diffFlows(fixture('vas-unsubscribe.v1.json'), current('vas-unsubscribe'));
    expect(shape(d)).toEqual([['offers-changed', 'retention', 'offersFrom', null]]);
    expect(d.changes[0].before).toEqual({
      offers: [
        'music-vip-half-price',
        'music-vip-basic',
        'ringback-free-month',
        'fetion-for-qq',
        'mzone-plan-with-data',
        'roaming-day-pack',
        'vip-benefit-bundle',
      ],
    });
  });

  it('back from the matrix to inline offers is the reverse change', () => {
    const d = diffFlows(current('bill-inquiry'), fixture('bill-inquiry.v1.json'));
    expect(shape(d)).toEqual([['offers-changed', 'next-need', 'offersFrom', null]]);
    expect(d.changes[0].text.en).toContain('offers now inline: better-plan, data-pack (were from the related-marketing matrix)');
  });
});

describe('diffFlows on edits of suspend-service', () => {
  const base = current('suspend-service');
  const edit = (change: (f: FlowDefinition) => void) => {
    const after = copy(base);
    after.version = base.version + 1;
    change(after);
    return diffFlows(base, after);
  };
  const meta = (f: FlowDefinition, id: string): StepMeta => f.machine.states[id].meta;

  it('identical definitions → no changes', () => {
    const d = diffFlows(base, copy(base));
    expect(d.changes).toEqual([]);
    expect(d.summary).toEqual({ added: 0, removed: 0, moved: 0, changed: 0 });
  });

  it('warn moved after verify → one step-moved for warn; the rewiring of its neighbours is not repeated', () => {
    const d = edit((f) => {
      const s = f.machine.states;
      (s['confirm-reason'].on!.CONTINUE as { target: string }).target = 'upsell';
      s.verify.on!.PASSWORD = { target: 'warn' };
      s.warn.on!.ACKNOWLEDGED = { target: 'checking-password' };
    });
    expect(shape(d)).toEqual([['step-moved', 'warn', 'position', null]]);
    expect(d.changes[0].before).toEqual({ after: ['confirm-reason'], before: ['upsell'], mainPathPosition: 3 });
    expect(d.changes[0].after).toEqual({ after: ['verify'], before: ['checking-password'], mainPathPosition: undefined });
    expect(d.changes[0].text.en).toBe(
      "Step 'warn' (Warn before suspending) moved: now after 'verify' (Verify password or identity) (was after 'confirm-reason' (Confirm the reason)); " +
        "now before 'checking-password' (Checking IVR password) (was before 'upsell' (Related offer)); no longer on the main path (was position 3)",
    );
    expect(d.changes[0].text['zh-CN']).toContain('步骤「warn」（提醒停机注意事项）位置调整：现在「verify」（验证服务密码或身份资料）之后');
    expect(d.summary).toEqual({ added: 0, removed: 0, moved: 1, changed: 0 });
  });

  it('retry now goes back through execute → execute moved (now also after execute-failed), nothing else repeated', () => {
    const d = edit((f) => {
      f.machine.states['execute-failed'].on!.RETRY = { target: 'execute' };
    });
    expect(shape(d)).toEqual([['step-moved', 'execute', 'position', null]]);
    expect(d.changes[0].text.en).toBe(
      "Step 'execute' (Submit the suspend ticket) moved: now after 'checking-password' (Checking IVR password), 'checking-document' (Checking ID document), " +
        "'execute-failed' (Suspension not completed) (was after 'checking-password' (Checking IVR password), 'checking-document' (Checking ID document))",
    );
  });

  it('two neighbours swapped on the main path → one of them moved, with its main-path position', () => {
    // close and remind swap places: executing → close → remind → completed. Moving remind explains it all.
    const d = edit((f) => {
      const s = f.machine.states;
      (s.executing.invoke as { onDone: { target: string } }).onDone.target = 'close';
      s.close.on!.SUBMIT = { target: 'remind' };
      s.remind.on!.ACKNOWLEDGED = { target: 'completed' };
    });
    expect(shape(d)).toEqual([['step-moved', 'remind', 'position', null]]);
    expect(d.changes[0].before).toEqual({ after: ['executing'], before: ['close'], mainPathPosition: 9 });
    expect(d.changes[0].after).toEqual({ after: ['close'], before: ['completed'], mainPathPosition: 10 });
    expect(d.changes[0].text.en).toContain('main path position 10 (was 9)');
  });

  it('an option target changed without changing the neighbours → option-changed target', () => {
    // Both verify options end up at checking-document: its neighbours are the same, the option's target is not.
    const d = edit((f) => {
      f.machine.states.verify.on!.PASSWORD = { target: 'checking-document' };
      f.machine.states['verify-document'].on!.ID_DOCUMENT = { target: 'checking-password' };
    });
    expect(shape(d).filter(([k]) => k === 'option-changed')).toEqual([]);
    const same = edit((f) => {
      const on = f.machine.states['execute-failed'].on!;
      on.RETRY = { target: 'raising-ticket' };
      on.RAISE_TICKET = { target: 'executing' };
    });
    expect(shape(same)).toEqual([
      ['option-changed', 'execute-failed', 'option:retry.target', null],
      ['option-changed', 'execute-failed', 'option:raise-ticket.target', null],
    ]);
    expect(same.changes[0].text.en).toBe(
      "Step 'execute-failed' (Suspension not completed): option 'retry' now leads to 'raising-ticket' (Raising a work order) (was 'executing' (Back end working))",
    );
  });

  it('script changed in en only → exactly one text-changed with locale en', () => {
    const d = edit((f) => {
      meta(f, 'warn').script.en = 'Before I go ahead, please listen to these important points.';
    });
    expect(shape(d)).toEqual([['text-changed', 'warn', 'script', 'en']]);
    expect(d.changes[0].after).toBe('Before I go ahead, please listen to these important points.');
    expect(d.changes[0].text.en).toBe(
      `Step 'warn' (Warn before suspending): script (en) changed to "Before I go ahead, please listen to these important points." (was "Before I go ahead, there are a few important points you nee…")`,
    );
  });

  it('a prompt removed → one text-changed for that prompt, both locales at once', () => {
    const d = edit((f) => {
      meta(f, 'warn').prompts = meta(f, 'warn').prompts!.filter((p) => p.id !== 'plan-fee-charged');
    });
    expect(shape(d)).toEqual([['text-changed', 'warn', 'prompt:plan-fee-charged', null]]);
    expect(d.changes[0].after).toBeUndefined();
    expect(d.changes[0].text.en).toMatch(/^Step 'warn' \(Warn before suspending\): prompt 'plan-fee-charged' removed \(was "The monthly plan fee/);
    expect(d.changes[0].text['zh-CN']).toMatch(/^步骤「warn」（提醒停机注意事项）：删除提示「plan-fee-charged」/);
  });

  it('a prompt added, one reworded in zh-CN, one shown under a new condition', () => {
    const d = edit((f) => {
      const prompts = meta(f, 'remind').prompts!;
      prompts[0].text['zh-CN'] = '复机请拨打10086。';
      prompts[1].when = { fact: 'reason', ne: 'travel' };
      prompts.push({ id: 'sms-confirmation', text: { 'zh-CN': '稍后您会收到确认短信。', en: 'You will get a confirmation SMS shortly.' } });
    });
    expect(shape(d)).toEqual([
      ['text-changed', 'remind', 'prompt:how-to-resume', 'zh-CN'],
      ['text-changed', 'remind', 'prompt:no-calls-sms.when', null],
      ['text-changed', 'remind', 'prompt:sms-confirmation', null],
    ]);
  });

  it("an option's label changed → option-changed for that label and locale", () => {
    const d = edit((f) => {
      meta(f, 'verify').options!.find((o) => o.id === 'forgot-password')!.label.en = 'Customer has forgotten the password';
    });
    expect(shape(d)).toEqual([['option-changed', 'verify', 'option:forgot-password.label', 'en']]);
    expect(d.changes[0].before).toBe('Customer forgot password');
  });

  it('a mark removed → marks-changed naming the mark', () => {
    const d = edit((f) => {
      meta(f, 'close').marks = [];
    });
    expect(shape(d)).toEqual([['marks-changed', 'close', 'marks', null]]);
    expect(d.changes[0].text.en).toBe("Step 'close' (Submit service request and close): C (care) mark removed");
    expect(d.changes[0].text['zh-CN']).toBe('步骤「close」（提交服务请求并致结束语）：去掉C（主动关怀点）标记');
  });

  it('a step added and one removed → step-added and step-removed only (their neighbours did not move)', () => {
    const d = edit((f) => {
      const s = f.machine.states;
      // A confirmation step between remind and close.
      s.remind.on!.ACKNOWLEDGED = { target: 'confirm-sms' };
      s['confirm-sms'] = {
        meta: {
          lane: 'frontstage',
          marks: ['C'],
          title: { 'zh-CN': '确认收到短信', en: 'Confirm the SMS arrived' },
          script: { 'zh-CN': '请问您收到停机确认短信了吗？', en: 'Have you received the confirmation SMS?' },
          options: [{ id: 'confirmed', event: 'CONFIRMED', label: { 'zh-CN': '已收到', en: 'Received' } }],
        },
        on: { CONFIRMED: { target: 'close' } },
      };
      // No separate submit step: a successful check goes straight to the back end.
      delete s.execute;
      for (const id of ['checking-password', 'checking-document']) {
        const onDone = (s[id].invoke as { onDone: { target: string }[] }).onDone;
        onDone[0].target = 'executing';
      }
    });
    expect(shape(d)).toEqual([
      ['step-added', 'confirm-sms', null, null],
      ['step-removed', 'execute', null, null],
    ]);
    expect(d.changes[0].text.en).toBe(
      "Step 'confirm-sms' (Confirm the SMS arrived) added after 'remind' (After-suspension reminders), before 'close' (Submit service request and close)",
    );
    expect(d.changes[1].text.en).toBe(
      "Step 'execute' (Submit the suspend ticket) removed (was after 'checking-password' (Checking IVR password), 'checking-document' (Checking ID document), before 'executing' (Back end working))",
    );
    expect(d.summary).toEqual({ added: 1, removed: 1, moved: 0, changed: 0 });
  });

  it('lane, ending, operation, rules and flow texts', () => {
    const d = edit((f) => {
      f.title.en = 'Suspend a line';
      f.keywords = [...f.keywords!.filter((k) => k !== 'travel'), 'pause my line'];
      f.rules!.eligible.all[1].lte = 10;
      meta(f, 'execute').lane = 'frontstage';
      meta(f, 'execution-failed').outcome = 'failed';
      (f.machine.states.executing.invoke as { src: string }).src = 'executeSuspensionV2';
      meta(f, 'not-eligible').rules = [];
    });
    expect(shape(d)).toEqual([
      ['flow-text-changed', null, 'title', 'en'],
      ['flow-text-changed', null, 'keywords', null],
      ['rules-changed', null, 'rule:eligible', null],
      ['lane-changed', 'execute', 'lane', null],
      ['operation-changed', 'executing', 'invoke', null],
      ['rules-changed', 'not-eligible', 'rules', null],
      ['outcome-changed', 'execution-failed', 'outcome', null],
    ]);
    expect(d.changes[1].text.en).toBe('Flow search keywords: added "pause my line"; removed "travel"');
    expect(d.changes[3].text.en).toBe("Step 'execute' (Submit the suspend ticket): lane now frontstage (was backstage)");
    expect(d.changes[4].text.en).toBe("Step 'executing' (Back end working): back-end operation now 'executeSuspensionV2' (was 'executeSuspension')");
  });

  it('options added and removed, inline offers changed by id', () => {
    const offer = (id: string, title: string) => ({
      id,
      targetFlowId: 'holiday-plan',
      title: { 'zh-CN': title, en: title },
      pitch: { 'zh-CN': 'p', en: 'p' },
    });
    const withInline = copy(base);
    withInline.machine.states.upsell.meta.offers = [offer('a', 'A'), offer('b', 'B')];
    const after = copy(withInline);
    const m = after.machine.states.upsell.meta;
    m.offers = [{ ...offer('a', 'A'), targetFlowId: 'intl-roaming' }, offer('c', 'C')];
    delete m.offersFrom;
    const verify = after.machine.states.verify;
    verify.meta.options = verify.meta.options!.filter((o) => o.id !== 'forgot-password');
    delete verify.on!.FORGOT_PASSWORD;
    verify.meta.options.push({ id: 'callback', event: 'PASSWORD', label: { 'zh-CN': '回拨验证', en: 'Call back to verify' } });
    const d = diffFlows(withInline, after);
    expect(shape(d)).toEqual(
      [
        ['offers-changed', 'upsell', 'offersFrom', null],
        ['offers-changed', 'upsell', 'offer:a.targetFlowId', null],
        ['offers-changed', 'upsell', 'offer:c', null],
        ['offers-changed', 'upsell', 'offer:b', null],
        ['step-moved', 'verify-document', 'position', null],
        ['option-added', 'verify', 'option:callback', null],
        ['option-removed', 'verify', 'option:forgot-password', null],
      ].sort(byStepOrder(Object.keys(after.machine.states))),
    );
  });
});

/** Expected rows listed per step in the flow's order, as diffFlows lists them. */
function byStepOrder(order: string[]) {
  return (a: (string | null)[], b: (string | null)[]) => order.indexOf(a[1]!) - order.indexOf(b[1]!);
}
