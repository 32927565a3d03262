/**
 * Telephony (issue 19 item 4, docs/CTI.md): the tests act as the CTI system over real HTTP — events
 * signed with the shared secret — and as agents over real WebSockets. A signed "answered" pops the
 * right agent's screen with the caller's customer and the business the IVR path suggests; a bad
 * signature, a stale timestamp and a replayed event are refused and change nothing; the caller's
 * hang-up abandons the call in the log, which replays deterministically. Both stores.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CTI_SECRET, ctiSignature, eventId, postCtiEvent } from '../support/cti';
import { expectDeterministicReplay, getCall, http } from '../support/client';
import { pgMode } from '../support/pg-database';
import { bootExpectingFailure } from '../support/server';
import { storeRows, storeSnapshot } from '../support/store';
import { useServer } from '../support/use-server';
import type { WsClient } from '../support/ws-client';

/** Everything a CTI event could change: calls, their events, the CTI events received. */
const STATE = [
  { sql: 'SELECT id, status, seq FROM calls ORDER BY id' },
  { sql: 'SELECT call_id, seq, type FROM call_events ORDER BY call_id, seq' },
  { sql: 'SELECT event_id, type, cti_call_id, call_id, agent, detail FROM cti_events ORDER BY event_id' },
];

/** Every frame a socket got before the reply to a request sent now (frames on one socket keep their order). */
async function framesSoFar(client: WsClient): Promise<string[]> {
  await client.request('flow.search', { q: 'x' });
  const events: string[] = [];
  for (;;) {
    const frame = await client.next(() => true, 50, 'any frame').catch(() => null);
    if (!frame) return events;
    events.push(frame.event);
  }
}

describe('CTI events (signed webhook)', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'supervisor1'], env: { CTI_SECRET } });
  const answered = (agent: string, callerNumber: string, ivrPath: string[], ctiCallId = eventId()) => ({
    eventId: eventId(),
    type: 'call.answered',
    ctiCallId,
    agent,
    callerNumber,
    ivrPath,
  });

  it("a signed 'answered' pops the right agent's screen with the caller's customer and the business of the IVR path", async () => {
    const agent1 = await server.connect('agent1');
    const agent2 = await server.connect('agent2');
    const offered = { eventId: eventId(), type: 'call.offered', ctiCallId: 'pbx-1001', agent: 'agent2', callerNumber: '13800000003', ivrPath: ['3', '1'] };
    const ack0 = await postCtiEvent(server.baseUrl, offered);
    expect(ack0.status).toBe(200);
    expect(ack0.body).toEqual({ eventId: offered.eventId, type: 'call.offered' });

    const event = { ...offered, eventId: eventId(), type: 'call.answered' };
    const ack = await postCtiEvent(server.baseUrl, event);
    expect(ack.status).toBe(200);
    expect(ack.body).toEqual({ eventId: event.eventId, type: 'call.answered', callId: expect.any(String), flowId: 'suspend-service', callStatus: 'active' });

    const popped = await agent2.next((f) => f.event === 'call.popped', 5000, 'call.popped');
    expect(popped.data).toMatchObject({ callerNumber: '13800000003', ctiCallId: 'pbx-1001', ivrPath: ['3', '1'] });
    expect(popped.data.view).toMatchObject({
      callId: ack.body.callId,
      status: 'active',
      flow: { id: 'suspend-service' },
      customer: { msisdn: '13800000003', name: '王芳' },
    });
    expect(popped.data.requestId).toBeUndefined();
    // The other agent saw nothing.
    expect(await framesSoFar(agent1)).toEqual([]);

    // The call is the agent's own, recorded with the CTI call: it goes on as if they had started it.
    const call = await getCall(server.baseUrl, server.tokens.agent2, ack.body.callId);
    expect(call.events[0]).toMatchObject({
      type: 'call.started',
      payload: { callerNumber: '13800000003', cti: { ctiCallId: 'pbx-1001', ivrPath: ['3', '1'] } },
    });
    expect((await http(server.baseUrl, 'GET', `/api/calls/${ack.body.callId}`, { token: server.tokens.agent1 })).status).toBe(403);
    const decided = await agent2.request('call.decide', { callId: ack.body.callId, seq: popped.data.view.seq, option: 'continue' });
    expect(decided.data.step.id).toBe('confirm-reason');
    await agent2.request('call.hangup', { callId: ack.body.callId });
    await expectDeterministicReplay(server.baseUrl, server.tokens.supervisor1, ack.body.callId);
  });

  it('a bad signature, a stale timestamp, a replayed event and a malformed one are refused and change nothing', async () => {
    const agent1 = await server.connect('agent1');
    const accepted = answered('agent1', '13800000001', ['1']);
    expect((await postCtiEvent(server.baseUrl, accepted)).status).toBe(200);
    expect((await agent1.next((f) => f.event === 'call.popped', 5000, 'call.popped')).data.view.flow.id).toBe('bill-inquiry');
    // bill-inquiry opens on a back-end query: its reply is logged after the pop; the state is taken once it is in.
    await agent1.nextPush((f) => f.data.seq >= 2);
    const before = await storeSnapshot(server.dataDir, STATE);

    const fresh = answered('agent1', '13800000002', ['2', '1']);
    const now = Math.floor(Date.now() / 1000);
    const refusals = [
      await postCtiEvent(server.baseUrl, fresh, { secret: `${CTI_SECRET}-not-it` }),
      await postCtiEvent(server.baseUrl, fresh, { signature: 'sha256=' + '0'.repeat(64) }),
      await postCtiEvent(server.baseUrl, fresh, { signature: 'not-a-signature' }),
      // Signed, then altered on the way: another caller number.
      await postCtiEvent(server.baseUrl, fresh, {
        timestamp: now,
        signature: ctiSignature(CTI_SECRET, now, JSON.stringify(fresh)),
        rawBody: JSON.stringify({ ...fresh, callerNumber: '13800000004' }),
      }),
      await postCtiEvent(server.baseUrl, fresh, { timestamp: now - 301 }),
      await postCtiEvent(server.baseUrl, fresh, { timestamp: now + 3600 }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    }
    expect(refusals[4].body.message).toContain('timestamp');

    const replayed = await postCtiEvent(server.baseUrl, accepted);
    expect(replayed.status).toBe(409);
    expect(replayed.body.code).toBe('EVENT_REPLAYED');
    // The same id with other content (a resend with a new timestamp, a changed number) is the same event.
    expect((await postCtiEvent(server.baseUrl, { ...accepted, callerNumber: '13800000002' })).body.code).toBe('EVENT_REPLAYED');

    const bad = await postCtiEvent(server.baseUrl, { ...fresh, agent: undefined, ivrPath: ['1', 'x'], extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['agent', 'extra', 'ivrPath']);
    expect((await postCtiEvent(server.baseUrl, {}, { rawBody: 'not json' })).body.code).toBe('BAD_JSON');
    const endedWithoutWho = await postCtiEvent(server.baseUrl, { ...fresh, agent: undefined, type: 'call.ended' });
    expect(endedWithoutWho.body.details.map((d: { field: string }) => d.field)).toEqual(['endedBy']);

    expect(await storeSnapshot(server.dataDir, STATE)).toEqual(before);
    expect(await framesSoFar(agent1)).not.toContain('call.popped');
  });

  it('an agent with no screen open: a typed error, nothing started; the same event once they are online pops their screen', async () => {
    const event = answered('agent2', '13800000005', ['4']);
    const before = await storeSnapshot(server.dataDir, STATE);
    const refused = await postCtiEvent(server.baseUrl, event);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('AGENT_NOT_CONNECTED');
    await server.connect('agent1');
    const unknownCaller = await postCtiEvent(server.baseUrl, answered('agent1', '13999999999', ['4']));
    expect(unknownCaller.status).toBe(404);
    expect(await storeSnapshot(server.dataDir, STATE)).toEqual(before);

    const agent2 = await server.connect('agent2');
    const ack = await postCtiEvent(server.baseUrl, event);
    expect(ack.status).toBe(200);
    expect(ack.body.flowId).toBe('password-reset');
    expect((await agent2.next((f) => f.event === 'call.popped', 5000, 'call.popped')).data.view.callId).toBe(ack.body.callId);
    await agent2.request('call.hangup', { callId: ack.body.callId });
  });

  it("the caller's hang-up abandons the call at the step it reached, the screen is told, and the log replays deterministically", async () => {
    const agent1 = await server.connect('agent1');
    const ctiCallId = `pbx-${eventId()}`;
    const ack = await postCtiEvent(server.baseUrl, answered('agent1', '13800000001', ['3', '1'], ctiCallId));
    const callId = ack.body.callId as string;
    const popped = await agent1.next((f) => f.event === 'call.popped', 5000, 'call.popped');
    const reached = await agent1.request('call.decide', { callId, seq: popped.data.view.seq, option: 'continue' });
    expect(reached.data.step.id).toBe('confirm-reason');

    // A transfer is recorded with the call; the call itself goes on.
    const transfer = {
      eventId: eventId(),
      type: 'call.transferred',
      ctiCallId,
      agent: 'agent1',
      transferredTo: 'agent2',
      callerNumber: '13800000001',
      ivrPath: ['3', '1'],
    };
    expect((await postCtiEvent(server.baseUrl, transfer)).body).toEqual({ eventId: transfer.eventId, type: 'call.transferred', callId });
    const [row] = await storeRows<{ call_id: string; detail: string }>(server.dataDir, 'SELECT call_id, detail FROM cti_events WHERE event_id = ?', [
      transfer.eventId,
    ]);
    expect(row.call_id).toBe(callId);
    expect(JSON.parse(row.detail)).toMatchObject({ transferredTo: 'agent2' });

    const ended = { eventId: eventId(), type: 'call.ended', ctiCallId, endedBy: 'caller', callerNumber: '13800000001', ivrPath: ['3', '1'] };
    const endAck = await postCtiEvent(server.baseUrl, ended);
    expect(endAck.status).toBe(200);
    expect(endAck.body).toEqual({ eventId: ended.eventId, type: 'call.ended', callId, callStatus: 'abandoned' });
    const pushed = await agent1.nextPush((f) => f.data.callId === callId && f.data.status === 'abandoned');
    expect(pushed.data.step.id).toBe('confirm-reason');

    const call = await getCall(server.baseUrl, server.tokens.supervisor1, callId);
    expect(call).toMatchObject({ status: 'abandoned', outcome: 'abandoned', state: 'confirm-reason', seq: reached.data.seq + 1 });
    expect(call.events.at(-1)).toMatchObject({
      type: 'call.hangup',
      stateBefore: 'confirm-reason',
      stateAfter: 'confirm-reason',
      payload: { by: 'caller', ctiEventId: ended.eventId },
    });
    await expectDeterministicReplay(server.baseUrl, server.tokens.supervisor1, callId);

    // Replayed: refused, the log unchanged. Ended again under a new id: acknowledged, nothing more logged.
    const before = await storeSnapshot(server.dataDir, STATE.slice(0, 2));
    expect((await postCtiEvent(server.baseUrl, ended)).body.code).toBe('EVENT_REPLAYED');
    expect((await postCtiEvent(server.baseUrl, { ...ended, eventId: eventId() })).body).toMatchObject({ callId, callStatus: 'abandoned' });
    expect(await storeSnapshot(server.dataDir, STATE.slice(0, 2))).toEqual(before);
  });

  it("an end by the agent or the system leaves the call to the agent; an unknown CTI call's end is only acknowledged", async () => {
    const agent1 = await server.connect('agent1');
    const ctiCallId = `pbx-${eventId()}`;
    const { callId } = (await postCtiEvent(server.baseUrl, answered('agent1', '13800000002', ['9'], ctiCallId))).body;
    await agent1.next((f) => f.event === 'call.popped', 5000, 'call.popped');
    const end = { eventId: eventId(), type: 'call.ended', ctiCallId, endedBy: 'agent', callerNumber: '13800000002', ivrPath: ['9'] };
    expect((await postCtiEvent(server.baseUrl, end)).body).toEqual({ eventId: end.eventId, type: 'call.ended', callId });
    expect((await getCall(server.baseUrl, server.tokens.agent1, callId)).status).toBe('active');
    const stray = { ...end, eventId: eventId(), ctiCallId: 'pbx-never-answered', endedBy: 'caller' };
    expect((await postCtiEvent(server.baseUrl, stray)).body).toEqual({ eventId: stray.eventId, type: 'call.ended' });
    await agent1.request('call.hangup', { callId });
  });
});

describe('CTI switched off', () => {
  const server = useServer({ users: ['agent1'] });

  it('refuses every request, even one signed with what would be the secret', async () => {
    await server.connect('agent1');
    const res = await postCtiEvent(server.baseUrl, {
      eventId: eventId(),
      type: 'call.answered',
      ctiCallId: 'c',
      agent: 'agent1',
      callerNumber: '13800000001',
      ivrPath: [],
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(await storeRows(server.dataDir, 'SELECT event_id FROM cti_events')).toEqual([]);
  });

  // The boot is refused before any store is used: once, on SQLite.
  (pgMode() ? it.skip : it)('with CTI on, a bad IVR map stops the boot, naming the file and the JSON path', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-ivr-')), 'ivr-map.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, routes: [{ path: ['1'], flowId: 'no-such-business' }], otherwise: 'enter-service' }));
    const { status, output } = bootExpectingFailure({ CTI_SECRET, CTI_IVR_MAP_FILE: file });
    expect(status).not.toBe(0);
    expect(output).toContain(`${file}: $.routes[0].flowId: no flow 'no-such-business' is in force`);
    expect(output).not.toContain('laihua listening');
    const short = bootExpectingFailure({ CTI_SECRET: 'short' });
    expect(short.output).toContain('CTI_SECRET');
    expect(short.output).not.toContain('"short"');
  });
});
