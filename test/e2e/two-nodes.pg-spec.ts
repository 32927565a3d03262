/**
 * Two nodes on one PostgreSQL database (e2e-pg only): a flow version published on node A — and a
 * rollback — is in force on node B as soon as the publication commits (PostgreSQL notifies every
 * listening node; src/flows/flow-sync.service.ts), without restarting B; and a token from either
 * node is good on both (the generated signing key is stored once in the database); logging out on
 * one node ends the user's sessions on the other too.
 */
import { http, login, WsClient } from '../support/client';
import { serverDatabase } from '../support/pg-database';
import { until } from '../support/poll';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, startServer, type TestServer } from '../support/server';

const A = '/api/authoring';
/** The version of flows/hang-up.json: in force on a fresh cluster, and what the rollback returns to. */
const HANG_UP_FILE_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows', 'hang-up.json'), 'utf8')) as { version: number }).version;

describe('two nodes on one PostgreSQL database', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    nodeA = await startServer({ env: { NODE_ID: 'node-a' } });
    // B's safety poll is off for the test (an hour): only PostgreSQL's notification can bring a publication to it.
    nodeB = await startServer({ env: { NODE_ID: 'node-b', DATABASE_URL: await serverDatabase(nodeA.dataDir), FLOW_SYNC_POLL_MS: '3600000' } });
  });
  afterAll(async () => {
    await nodeB?.stop();
    await nodeA?.stop();
    nodeB?.cleanup();
    nodeA?.cleanup();
  });

  const inForceOn = async (node: TestServer, flowId: string): Promise<number | null> => {
    const flows = (await http(node.baseUrl, 'GET', `${A}/flows`, { token: await login(node.baseUrl, 'supervisor1') })).body as {
      id: string;
      inForce: number | null;
    }[];
    return flows.find((f) => f.id === flowId)?.inForce ?? null;
  };

  it('a token signed by one node is accepted by the other (the signing key is shared through the database)', async () => {
    const fromA = await login(nodeA.baseUrl, 'agent1');
    const fromB = await login(nodeB.baseUrl, 'agent1');
    expect((await http(nodeB.baseUrl, 'GET', '/api/flows', { token: fromA })).status).toBe(200);
    expect((await http(nodeA.baseUrl, 'GET', '/api/flows', { token: fromB })).status).toBe(200);
    expect(
      (await http(nodeB.baseUrl, 'GET', '/api/flows', { token: `${fromA.slice(0, -3)}${fromA.at(-3) === 'x' ? 'y' : 'x'}${fromA.slice(-2)}` })).status,
    ).toBe(401);
  });

  it('logging out on node A ends the user’s sessions on node B: its socket closes with 4401, its token is refused', async () => {
    const token = await login(nodeA.baseUrl, 'agent2');
    const socket = await WsClient.connect(nodeB.port, token);
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    expect((await http(nodeA.baseUrl, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    expect(await closed).toBe(4401);
    expect((await http(nodeB.baseUrl, 'GET', '/api/flows', { token })).status).toBe(401);
    expect((await http(nodeB.baseUrl, 'GET', '/api/flows', { token: await login(nodeB.baseUrl, 'agent2') })).status).toBe(200);
  });

  it('a version published on node A, and a rollback, come into force on node B', async () => {
    const sup1 = await login(nodeA.baseUrl, 'supervisor1');
    const sup2 = await login(nodeA.baseUrl, 'supervisor2');
    expect(await inForceOn(nodeB, 'hang-up')).toBe(HANG_UP_FILE_VERSION);
    const draft = (await http(nodeA.baseUrl, 'POST', `${A}/flows/hang-up/versions`, { token: sup1, body: {} })).body as { version: number };
    for (const [token, step] of [
      [sup1, 'submit'],
      [sup2, 'approve'],
      [sup2, 'publish'],
    ] as const) {
      expect((await http(nodeA.baseUrl, 'POST', `${A}/flows/hang-up/versions/${draft.version}/${step}`, { token, body: {} })).status).toBe(200);
    }
    expect(await inForceOn(nodeA, 'hang-up')).toBe(draft.version);
    await until(
      'the new version in force on node B',
      () => inForceOn(nodeB, 'hang-up'),
      (v) => v === draft.version,
    );
    // New calls on node B get it too (the agents' flow list is the version in force).
    const flows = (await http(nodeB.baseUrl, 'GET', '/api/flows', { token: await login(nodeB.baseUrl, 'agent1') })).body as { id: string; version: number }[];
    expect(flows.find((f) => f.id === 'hang-up')?.version).toBe(draft.version);

    // Rollback on node A: the file's version again, on both.
    expect((await http(nodeA.baseUrl, 'POST', `${A}/flows/hang-up/versions/${HANG_UP_FILE_VERSION}/publish`, { token: sup2, body: {} })).status).toBe(200);
    await until(
      'the rollback in force on node B',
      () => inForceOn(nodeB, 'hang-up'),
      (v) => v === HANG_UP_FILE_VERSION,
    );
  });

  it('a node started with a newer marketing matrix brings it into force on every node, at the same moment, after they all know it', async () => {
    const health = async (node: TestServer) => (await http(node.baseUrl, 'GET', '/api/health', {})).body as { matrixVersion: number | null };
    const before = (await health(nodeA)).matrixVersion!;
    expect((await health(nodeB)).matrixVersion).toBe(before);
    // The same matrix under a new version number, as a deployment of a new file would bring.
    const file = path.join(nodeA.dataDir, 'newer-matrix.json');
    const matrix = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows/marketing/related-marketing.json'), 'utf8')) as { version: number };
    fs.writeFileSync(file, JSON.stringify({ ...matrix, version: before + 1 }));
    const nodeC = await startServer({ env: { NODE_ID: 'node-c', DATABASE_URL: await serverDatabase(nodeA.dataDir), MATRIX_FILE: file } });
    try {
      // Not yet in force, even on C (another node could still be starting calls under the old one: it
      // takes effect a safety poll, 5 s, and a second after it was frozen)…
      expect((await health(nodeC)).matrixVersion).toBe(before);
      // …then in force on all three, including B, which never read the file and does not poll (only
      // PostgreSQL's notification of the new matrix_versions row tells it).
      for (const node of [nodeA, nodeB, nodeC])
        await until(
          `matrix ${before + 1} in force on ${node.port}`,
          () => health(node),
          (h) => h.matrixVersion === before + 1,
          20_000,
        );
    } finally {
      await nodeC.stop();
      nodeC.cleanup();
    }
  });
});
