/**
 * Several nodes on one PostgreSQL database (e2e-pg only), real server processes: each live call is
 * driven by one node at a time (its lease). An agent whose connection lands on another node takes
 * the call there at the same step; a node killed with live calls loses them to the others within its
 * lease, and their agents go on from the same step on the node they reconnect to. Every call replays
 * with an intact hash chain.
 */
import { asView, expectDeterministicReplay, login, type ViewFrame, WsClient } from '../support/client';
import { queryServerDatabase, serverDatabase } from '../support/pg-database';
import { until } from '../support/poll';
import { startServer, type TestServer } from '../support/server';

describe('call leases across two nodes on one PostgreSQL database', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  let nodeC: TestServer | undefined;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    nodeA = await startServer({ env: { NODE_ID: 'node-a' } });
    nodeB = await startServer({ env: { NODE_ID: 'node-b', DATABASE_URL: await serverDatabase(nodeA.dataDir) } });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await nodeC?.stop();
    await nodeB?.stop();
    await nodeA?.stop();
    nodeC?.cleanup();
    nodeB?.cleanup();
    nodeA?.cleanup();
  });

  const connect = async (node: TestServer, user: string) => {
    const socket = await WsClient.connect(node.port, await login(node.baseUrl, user));
    sockets.push(socket);
    return socket;
  };
  const request = async (socket: WsClient, event: string, data: Record<string, unknown>) => asView(await socket.request(event, data), event);
  const decide = (socket: WsClient, view: ViewFrame, option: string, input?: Record<string, unknown>) =>
    request(socket, 'call.decide', { callId: view.data.callId, seq: view.data.seq, option, ...(input ? { input } : {}) });
  const eventSeqs = async (callId: string) =>
    (await queryServerDatabase<{ seq: number }>(nodeA.dataDir, `SELECT seq FROM call_events WHERE call_id = $1 ORDER BY seq`, [callId])).map((r) => r.seq);
  const ownerOf = async (callId: string) =>
    (await queryServerDatabase<{ owner_node: string }>(nodeA.dataDir, `SELECT owner_node FROM calls WHERE id = $1`, [callId]))[0]?.owner_node;

  it('an agent attaching on node B takes the call there at the same step; node A’s watchers are told it moved', async () => {
    const onA = await connect(nodeA, 'agent1');
    let view = await request(onA, 'call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
    view = await decide(onA, view, 'continue');
    expect(view.data.step.id).toBe('confirm-reason');
    expect(await ownerOf(view.data.callId)).toBe('node-a');

    const onB = await connect(nodeB, 'agent1');
    const attached = await request(onB, 'call.attach', { callId: view.data.callId });
    expect(attached.data).toMatchObject({ callId: view.data.callId, seq: view.data.seq, step: { id: 'confirm-reason' } });
    expect(await ownerOf(view.data.callId)).toBe('node-b');
    expect((await onA.next((f) => f.event === 'call.moved', 5000, 'call.moved')).data).toEqual({ callId: view.data.callId });

    // The call goes on on node B, back-end steps included, to its end.
    view = await decide(onB, attached, 'continue', { reason: 'travel' });
    view = await decide(onB, view, 'acknowledged');
    view = await decide(onB, view, 'decline');
    expect((await decide(onB, view, 'password')).data.step.id).toBe('checking-password');
    const execute = await onB.nextPush((f) => f.data.step?.id === 'execute');
    expect((await decide(onB, execute, 'execute')).data.step.id).toBe('executing');
    const remind = await onB.nextPush((f) => f.data.step?.id === 'remind');
    view = await decide(onB, remind, 'acknowledged');
    view = await decide(onB, view, 'submit');
    expect(view.data.status).toBe('completed');
    await expectDeterministicReplay(nodeA.baseUrl, await login(nodeA.baseUrl, 'agent1'), view.data.callId);
  });

  it('an agent back on a node that has not yet heard its call moved sees the call where the other node took it', async () => {
    // Node D checks the calls it holds once a minute: only the attach's own look can tell it that node B took one.
    const nodeD = await startServer({
      env: { NODE_ID: 'node-d', DATABASE_URL: await serverDatabase(nodeA.dataDir), CLUSTER_HEARTBEAT_MS: '60000', CLUSTER_LEASE_MS: '120000' },
    });
    try {
      const onD = await connect(nodeD, 'agent1');
      let view = await request(onD, 'call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
      view = await decide(onD, view, 'continue');
      const callId = view.data.callId;
      expect(await ownerOf(callId)).toBe('node-d');

      const onB = await connect(nodeB, 'agent1');
      const attached = await request(onB, 'call.attach', { callId });
      const movedOn = await decide(onB, attached, 'continue', { reason: 'travel' });
      expect(movedOn.data.seq).toBeGreaterThan(view.data.seq);
      expect(await ownerOf(callId)).toBe('node-b');

      // Back on node D, whose copy is still at the step it last drove: the attach shows the call as node B left it, and takes it back.
      const back = await request(onD, 'call.attach', { callId });
      expect(back.data).toMatchObject({ callId, seq: movedOn.data.seq, step: { id: movedOn.data.step.id } });
      expect(await ownerOf(callId)).toBe('node-d');
      const ended = await request(onD, 'call.hangup', { callId });
      expect(ended.data).toMatchObject({ seq: movedOn.data.seq + 1 });
      expect(ended.data.status).not.toBe('active');
      await expectDeterministicReplay(nodeD.baseUrl, await login(nodeD.baseUrl, 'agent1'), callId);
    } finally {
      await nodeD.stop();
      nodeD.cleanup();
    }
  });

  it('the live floor is the hotline’s: a supervisor on node B sees the calls and agents of node A', async () => {
    const agentOnA = await connect(nodeA, 'agent2');
    const started = await request(agentOnA, 'call.start', { callerNumber: '13800000002', flowId: 'suspend-service' });
    const supervisorOnB = await connect(nodeB, 'supervisor1');
    await supervisorOnB.request('floor.subscribe', {});
    const seen = await supervisorOnB.next(
      (f) => f.event === 'floor.snapshot' && f.data.activeCalls.some((c: { callId: string }) => c.callId === started.data.callId),
      10_000,
      'a floor snapshot with node A’s call',
    );
    const call = seen.data.activeCalls.find((c: { callId: string }) => c.callId === started.data.callId);
    expect(call).toMatchObject({ agent: 'agent2', flowId: 'suspend-service', stepId: started.data.step.id });
    expect(seen.data.agentsOnline).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'agent2' })]));
    expect((await request(agentOnA, 'call.hangup', { callId: started.data.callId })).data.status).not.toBe('active');
    await supervisorOnB.close();
  });

  it('node A killed with live calls: node B takes them over within the lease; their agents go on there from the same step', async () => {
    const onA = await connect(nodeA, 'agent2');
    const before: ViewFrame[] = [];
    for (const number of ['13800000001', '13800000002', '13800000001']) {
      const started = await request(onA, 'call.start', { callerNumber: number, flowId: 'suspend-service' });
      before.push((started.data.step.options ?? []).some((o: { id: string }) => o.id === 'continue') ? await decide(onA, started, 'continue') : started);
    }
    const ids = before.map((v) => v.data.callId);
    const killedAt = Date.now();
    await nodeA.kill('SIGKILL');
    await until(
      'node B holds every call of node A',
      async () =>
        (await queryServerDatabase<{ owner_node: string }>(nodeA.dataDir, `SELECT owner_node FROM calls WHERE id = ANY($1)`, [ids])).map((r) => r.owner_node),
      (owners) => owners.length === ids.length && owners.every((o) => o === 'node-b'),
      20_000,
    );
    // When B declared A lost and took its calls (one transaction), by the database's clock — the same machine's as the test's.
    const [{ ms }] = await queryServerDatabase<{ ms: string }>(
      nodeA.dataDir,
      `SELECT (extract(epoch FROM lost_at) * 1000)::bigint::text AS ms FROM cluster_nodes WHERE node_id = 'node-a' AND lost_at IS NOT NULL ORDER BY incarnation DESC LIMIT 1`,
    );
    const takeoverMs = Number(ms) - killedAt;
    // By design at most the lease (3 s from A's last renewal, ≤ 1 s before the kill) + one of B's heartbeats (1 s): the bound is 5 s.
    expect(takeoverMs).toBeLessThanOrEqual(5_000);
    process.stderr.write(`call-leases: node B held node A's ${ids.length} calls ${takeoverMs} ms after SIGKILL\n`);

    const onB = await connect(nodeB, 'agent2');
    for (const view of before) {
      const attached = await request(onB, 'call.attach', { callId: view.data.callId });
      expect(attached.data).toMatchObject({ callId: view.data.callId, seq: view.data.seq, status: 'active', step: { id: view.data.step.id } });
      const ended = await request(onB, 'call.hangup', { callId: view.data.callId });
      expect(ended.data.status).not.toBe('active');
      await expectDeterministicReplay(nodeB.baseUrl, await login(nodeB.baseUrl, 'agent2'), view.data.callId);
    }
  });

  it('a node paused past its lease writes nothing once it wakes: its stale decision is refused and the call goes on where the other node took it', async () => {
    nodeC = await startServer({ env: { NODE_ID: 'node-c', DATABASE_URL: await serverDatabase(nodeA.dataDir) } });
    const onC = await connect(nodeC, 'agent1');
    let view = await request(onC, 'call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
    view = await decide(onC, view, 'continue');
    const callId = view.data.callId;

    nodeC.pause();
    try {
      await until(
        'node B holds the paused node’s call',
        () => ownerOf(callId),
        (o) => o === 'node-b',
        20_000,
      );
      const onB = await connect(nodeB, 'agent1');
      const attached = await request(onB, 'call.attach', { callId });
      expect(attached.data).toMatchObject({ seq: view.data.seq, step: { id: 'confirm-reason' } });
      await decide(onB, attached, 'continue', { reason: 'travel' });
    } finally {
      nodeC.resume();
    }
    const seqsBefore = await eventSeqs(callId);
    // Node C still shows the old step: the decision it sends for it is refused, whichever it learns first —
    // its fenced append (CALL_MOVED) or its heartbeat (the call is claimed back, and the seq is stale).
    const stale = await onC.request('call.decide', { callId, seq: view.data.seq, option: 'continue', input: { reason: 'other' } });
    expect(stale.event).toBe('call.error');
    expect(['CALL_MOVED', 'STALE_SEQ']).toContain(stale.data.code);
    expect(await eventSeqs(callId)).toEqual(seqsBefore);
    const token = await login(nodeB.baseUrl, 'agent1');
    expect((await request(await connect(nodeB, 'agent1'), 'call.hangup', { callId })).data.status).not.toBe('active');
    await expectDeterministicReplay(nodeB.baseUrl, token, callId);
  });
});
