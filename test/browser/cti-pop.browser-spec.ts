/**
 * The CTI screen pop in Chromium (docs/CTI.md): the test, as the telephony system, sends a signed
 * "answered" for the signed-in agent; their screen shows the caller's customer card and the call
 * on the business the IVR path suggests, without a key pressed. The caller's hang-up then ends
 * the call on screen as abandoned, and its log replays deterministically.
 */
import { byTestId, until, waitForAttr } from '../support/browser';
import { savedCall, waitForStep, waitForSummary } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { expectDeterministicReplay, getCall, login } from '../support/client';
import { CTI_SECRET, eventId, postCtiEvent } from '../support/cti';

describe('agent screen: popped by the telephony system (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite({ env: { CTI_SECRET } });

  it("a signed 'answered' pops the customer and the suggested business; the caller's hang-up ends it as abandoned", async () => {
    const page = await openAs('agent1');
    await page.locator(byTestId('caller-number')).waitFor();
    const answered = {
      eventId: eventId(),
      type: 'call.answered',
      ctiCallId: 'pbx-browser-1',
      agent: 'agent1',
      callerNumber: '13800000003',
      ivrPath: ['3', '1'],
    };
    // Until the page's socket is up the agent is not connected (and nothing is started): the same event is sent again.
    const ack = await until(
      'the agent screen to be connected',
      () => postCtiEvent(server.baseUrl, answered),
      (res) => res.status !== 409 || res.body.code !== 'AGENT_NOT_CONNECTED',
      10_000,
      200,
    );
    expect(ack.status).toBe(200);
    expect(ack.body.flowId).toBe('suspend-service');

    await page.locator(byTestId('customer-card', '[data-msisdn="13800000003"]')).waitFor();
    const step = await waitForStep(page, 'check-eligibility');
    expect(step.status).toBe('active');
    expect(await page.locator(byTestId('caller-number')).inputValue()).toBe('13800000003');
    expect(await page.locator(byTestId('customer-card')).innerText()).toContain('王芳');
    expect((await savedCall(page)).callId).toBe(ack.body.callId);
    expect(await page.locator(byTestId('cti-origin')).innerText()).toBe('电话系统已接通此来电 · 语音导航：3 › 1');
    await screenshot(page, '29-cti-screen-pop');
    await expectAccessible(page, 'agent: popped by the telephony system (zh-CN)');

    // In English the whole screen follows, the telephony line included.
    await page.locator(byTestId('locale-switch')).click();
    await waitForAttr(page.locator(byTestId('locale-switch')), 'data-locale', 'en');
    await until(
      'the IVR line in English',
      () => page.locator(byTestId('cti-origin')).innerText(),
      (text) => text === 'Put through by the telephony system · IVR: 3 › 1',
    );
    await waitForStep(page, 'check-eligibility');
    await expectAccessible(page, 'agent: popped by the telephony system (en)');

    const ended = { ...answered, eventId: eventId(), type: 'call.ended', endedBy: 'caller', agent: undefined };
    expect((await postCtiEvent(server.baseUrl, ended)).body.callStatus).toBe('abandoned');
    await waitForSummary(page, 'abandoned');
    await expectAccessible(page, 'agent: the caller hung up (zh-CN)');

    const token = await login(server.baseUrl, 'supervisor1');
    expect((await getCall(server.baseUrl, token, ack.body.callId)).events[0].payload.cti).toEqual({ ctiCallId: 'pbx-browser-1', ivrPath: ['3', '1'] });
    await expectDeterministicReplay(server.baseUrl, token, ack.body.callId);
  });
});
