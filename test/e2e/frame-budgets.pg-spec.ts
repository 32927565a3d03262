/**
 * Several nodes on one PostgreSQL database (e2e-pg only), real server processes: a user's WebSocket
 * frame budget and connection cap are the hotline's, not each node's. Each node shares per user the
 * frames it accepted and the connections it holds every heartbeat (frame_usage_shares); a user
 * sending on k other nodes gets 1/(k+1) of the budget on each (src/realtime/frame-usage-shares.service.ts).
 * Without that, a user on N nodes got N budgets and N × the connection cap; with the earlier design
 * (each node charged what the user spent on the others) one node could starve the other for good.
 */
import { login, WsClient } from '../support/client';
import { serverDatabase } from '../support/pg-database';
import { until } from '../support/poll';
import { startServer, type TestServer } from '../support/server';
import { tryHandshake, wsUrl } from '../support/ws-client';

const RATE = 10;
const BURST = 20;
const LIMITS = {
  WS_RATE_PER_USER: String(RATE),
  WS_BURST_PER_USER: String(BURST),
  // The per-connection limit and the flood close stay out of the way: only the user's budget is measured.
  WS_RATE_PER_CONNECTION: '1000',
  WS_BURST_PER_CONNECTION: '1000',
  WS_FLOOD_CLOSE_AFTER: '1000000',
  WS_MAX_CONNECTIONS_PER_USER: '3',
};

describe('per-user WebSocket budgets across two nodes', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    nodeA = await startServer({ env: { NODE_ID: 'node-a', ...LIMITS } });
    nodeB = await startServer({ env: { NODE_ID: 'node-b', ...LIMITS, DATABASE_URL: await serverDatabase(nodeA.dataDir) } });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await nodeB?.stop();
    await nodeA?.stop();
    nodeB?.cleanup();
    nodeA?.cleanup();
  });

  const connect = async (node: TestServer, user: string) => {
    const socket = await WsClient.connect(node.port, await login(node.baseUrl, user));
    sockets.push(socket);
    return socket;
  };

  it('a user flooding from one socket on each node is served at one budget’s rate in all, not one per node', async () => {
    const onA = await connect(nodeA, 'agent1');
    const onB = await connect(nodeB, 'agent1');
    const sent: { socket: WsClient; id: string; at: number }[] = [];
    const start = Date.now();
    const SECONDS = 9;
    // 40 frames/s on each socket, 8× the user's rate in all.
    for (let tick = 0; Date.now() - start < SECONDS * 1000; tick++) {
      for (const [name, socket] of [
        ['a', onA],
        ['b', onB],
      ] as const) {
        for (let k = 0; k < 4; k++) {
          const id = `${name}-${tick}-${k}`;
          sent.push({ socket, id, at: Date.now() - start });
          socket.send('flow.search', { requestId: id, q: 'bill' });
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await Promise.all(sent.map(({ socket, id }) => socket.next((f) => f.data?.requestId === id, 20_000, `answer ${id}`)));
    const served = answers.map((f) => f.event === 'flow.results');
    const limited = answers.filter((f) => f.event === 'call.error' && f.data.code === 'RATE_LIMITED').length;
    expect(served.filter(Boolean).length + limited).toBe(sent.length);
    // Steady state, after both nodes have exchanged usage a few times: from 3 s to the end.
    const from = 3_000;
    const window = (sent[sent.length - 1].at - from) / 1000;
    const servedInWindow = sent.filter((s, i) => s.at >= from && served[i]).length;
    const perSecond = servedInWindow / window;
    const servedOn = (name: string) => sent.filter((s, i) => s.id.startsWith(name) && s.at >= from && served[i]).length;
    process.stderr.write(
      `frame-budgets: ${servedInWindow} frames served in ${window.toFixed(1)} s over two nodes = ${perSecond.toFixed(1)}/s (user rate ${RATE}/s): ${servedOn('a')} on a, ${servedOn('b')} on b\n`,
    );
    // One budget: about RATE per second in all (two separate budgets would serve 2 × RATE).
    expect(perSecond).toBeLessThanOrEqual(RATE * 1.5);
    expect(perSecond).toBeGreaterThanOrEqual(RATE * 0.5);
    // Each node serves its share: neither starves the other (at least a third of what the pair served).
    for (const name of ['a', 'b']) expect(servedOn(name)).toBeGreaterThanOrEqual(servedInWindow / 3);
    await Promise.all([onA.close(), onB.close()]);
  });

  it('the connection cap counts the user’s sockets on every node', async () => {
    const token = await login(nodeA.baseUrl, 'agent2');
    await connect(nodeA, 'agent2');
    await connect(nodeA, 'agent2');
    await connect(nodeB, 'agent2');
    // Within a heartbeat or two, each node knows the other's sockets: a fourth anywhere is refused.
    for (const node of [nodeB, nodeA]) {
      await until(
        `node ${node.port} refuses a fourth socket of agent2`,
        async () => (await tryHandshake(wsUrl(node.port, token))).status,
        (status) => status === 429,
        10_000,
      );
    }
  });
});
