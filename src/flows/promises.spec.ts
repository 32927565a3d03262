import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowDefinition } from './flow-definition';
import { FLOWS_DIR } from '../simulation/file-flows';
import * as os from 'node:os';
import { compileFlow, loadFlowDirectory } from './flow-loader';
import { checkPromises, claimsOf } from './promises';
import { createRegistry } from './registry/registry';

const registry = createRegistry({ backendTimeout: 10_000 });

const readFlow = (file: string): FlowDefinition => JSON.parse(fs.readFileSync(path.join(FLOWS_DIR, file), 'utf8'));
const flowFiles = fs
  .readdirSync(FLOWS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const v1 = (): FlowDefinition => JSON.parse(fs.readFileSync(path.join(__dirname, '../authoring/fixtures/suspend-service.v1.json'), 'utf8'));

/** A tiny flow: ask → (work order raised → told) or the crafted fault (told without raising). */
function crafted(raiseFirst: boolean): unknown {
  const told = { type: 'final', meta: { script: { 'zh-CN': '已为您提交工单跟进。', en: 'A ticket has been raised to follow up.' } } };
  return {
    id: 'crafted',
    machine: {
      initial: 'ask',
      states: {
        ask: { meta: { script: { 'zh-CN': '请稍候', en: 'One moment' } }, on: { GO: raiseFirst ? 'raising' : 'told', GIVE_UP: 'sorry' } },
        raising: {
          invoke: { src: 'provision', input: { action: 'raise-work-order' }, onDone: 'told', onError: 'sorry' },
          after: { backendTimeout: 'sorry' },
        },
        told,
        sorry: { type: 'final', meta: { script: { 'zh-CN': '非常抱歉，暂时无法受理。', en: 'Sorry, it cannot be taken now.' } } },
      },
    },
  };
}

describe('no promise without its act (publish check)', () => {
  it('refuses a crafted flow that announces a ticket without raising one, with the offending path', () => {
    const findings = checkPromises(crafted(false));
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'promises',
        path: '$.machine.states.told',
        reason: { code: 'unkept-promise', step: 'told' },
        offendingPath: ['ask', 'told'],
      }),
    ]);
    expect(findings[0].message).toContain("'raise-work-order'");
  });

  it('accepts the same announcement once the work order is raised on every path to it', () => {
    expect(checkPromises(crafted(true))).toEqual([]);
  });

  it('does not count an invoke whose back end refused (onError) or timed out as the act', () => {
    const flow = crafted(true) as { machine: { states: Record<string, { invoke?: { onError: string } }> } };
    flow.machine.states.raising.invoke!.onError = 'told';
    expect(checkPromises(flow).map((f) => f.offendingPath)).toEqual([['ask', 'raising', 'told']]);
  });

  it('reads a claim declared on the step even when the script does not say it', () => {
    const flow = crafted(false) as { machine: { states: Record<string, Record<string, unknown>> } };
    flow.machine.states.sorry.meta = { claims: ['transfer'], script: { 'zh-CN': '好的', en: 'OK' } };
    expect(claimsOf(flow.machine.states.sorry)).toEqual(['transfer']);
    expect(
      checkPromises(flow)
        .map((f) => f.reason?.step)
        .sort(),
    ).toEqual(['sorry', 'told']);
  });

  it('finds the fault in suspend-service version 1 (its failure ending announced a ticket it never raised)', () => {
    expect(checkPromises(v1()).map((f) => f.offendingPath)).toEqual([expect.arrayContaining(['execute-failed', 'execution-failed'])]);
  });

  it('refuses to boot on a flow file with an unkept promise (the files are checked when loaded)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-'));
    fs.copyFileSync(path.join(FLOWS_DIR, 'suspend-service.json'), path.join(dir, 'suspend-service.json'));
    expect(loadFlowDirectory(dir, registry).map((f) => f.definition.version)).toEqual([2]);
    fs.writeFileSync(path.join(dir, 'suspend-service.json'), JSON.stringify(v1()));
    expect(() => loadFlowDirectory(dir, registry)).toThrow(/\$\.machine\.states\['execution-failed'\]: 'execution-failed' tells the caller the work-order is done/);
    // A stored old version still compiles (calls on it replay); only files and drafts are held to it.
    expect(compileFlow(v1(), registry, 'stored suspend-service@1').definition.version).toBe(1);
  });

  describe('an SMS announced as sent', () => {
    type Step = Record<string, unknown>;
    /** ask → (sending: provision with or without its SMS notice) → told, which says the SMS went out. */
    const smsFlow = (told: Step, input: Record<string, unknown> = { action: 'change-plan', sms: 'plan-changed' }): unknown => ({
      id: 'crafted-sms',
      machine: {
        initial: 'ask',
        states: {
          ask: { meta: { script: { 'zh-CN': '请稍候', en: 'One moment' } }, on: { GO: 'sending', SKIP: 'told' } },
          sending: { invoke: { src: 'provision', input, onDone: 'told', onError: 'sorry' } },
          told: { type: 'final', ...told },
          sorry: { type: 'final', meta: { script: { 'zh-CN': '非常抱歉。', en: 'Sorry.' } } },
        },
      },
    });
    const saysSent = { meta: { script: { 'zh-CN': '套餐已变更，确认短信已发送。', en: 'Done, and a confirmation SMS has been sent.' } } };

    it('is refused where the step can be reached without the operation that sends it', () => {
      const findings = checkPromises(smsFlow(saysSent));
      expect(findings.map((f) => [f.reason?.step, f.offendingPath])).toEqual([['told', ['ask', 'told']]]);
      expect(findings[0].message).toContain('the sms is done');
    });

    it('is accepted once every path runs it, and refused when the provision names no SMS', () => {
      const flow = smsFlow(saysSent) as { machine: { states: { ask: { on: Record<string, string> } } } };
      flow.machine.states.ask.on.SKIP = 'sorry';
      expect(checkPromises(flow)).toEqual([]);
      const noNotice = smsFlow(saysSent, { action: 'change-plan' }) as typeof flow;
      noNotice.machine.states.ask.on.SKIP = 'sorry';
      expect(checkPromises(noNotice).map((f) => f.reason?.step)).toEqual(['told']);
    });

    it('counts a prompt too, unless it is shown only when the receipt says the SMS went out', () => {
      const prompt = (when?: unknown) => ({
        meta: { script: { 'zh-CN': '办好了。', en: 'Done.' }, prompts: [{ id: 'p', text: { 'zh-CN': '短信已发送到您的手机。', en: 'An SMS has been sent.' }, when }] },
      });
      expect(checkPromises(smsFlow(prompt())).map((f) => f.reason?.step)).toEqual(['told']);
      expect(checkPromises(smsFlow(prompt({ fact: 'channel', eq: 'sms' }))).map((f) => f.reason?.step)).toEqual(['told']);
      expect(checkPromises(smsFlow(prompt({ fact: 'receipt.sms.sent', eq: true })))).toEqual([]);
      expect(checkPromises(smsFlow(prompt({ any: [{ fact: 'a.sms.sent', eq: true }, { fact: 'b.sms.sent', eq: true }] })))).toEqual([]);
    });

    it('does not read a promise to send later as done', () => {
      const later = { meta: { script: { 'zh-CN': '新密码将以短信发送到本号码。', en: 'The new password will be sent to this number by SMS.' } } };
      expect(claimsOf(later)).toEqual([]);
      expect(checkPromises(smsFlow(later))).toEqual([]);
    });
  });

  it.each(flowFiles)('finds no fault in the shipped %s', (file) => {
    expect(checkPromises(readFlow(file))).toEqual([]);
  });
});
