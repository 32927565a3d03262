/**
 * Three nodes on one PostgreSQL database under chaos (e2e-pg only; issue 16, docs/SCALE-OUT.md
 * "The chaos test"). Scripted agents drive whole calls over real WebSockets and roam
 * (test/support/roaming-agent.ts): a node that stops answering, closes their socket, refuses with
 * CALL_MOVED or pushes call.moved is left for another live node, where they attach their call and go
 * on. Meanwhile a seeded schedule SIGKILLs nodes (restarted under the same NODE_ID or a new one) and
 * SIGSTOPs nodes until they are declared lost, then SIGCONTs them.
 *
 * Each event's writer is recorded by the test in the database itself: every node connects with
 * application_name = its NODE_ID, and a trigger the test adds on call_events notes, inside the writing
 * transaction, the writer and the call row's lease as that transaction sees it (owner, incarnation,
 * token, whether that incarnation was already declared lost). At the end, from the database:
 * - every view an agent received is in the log at its seq and step, a decision's with that option, in
 *   the order the agent got them; every decision in the log is one an agent sent, for the view before it;
 * - every call's log is whole: seq 1..n, the calls row at n, the hash chain intact;
 * - every event was written by the node holding the call's lease, under a live incarnation (a paused
 *   node, once lost, wrote nothing more to its old calls), and a call's tokens only grow along its log
 *   (no older writer interleaved after a takeover);
 * - every call has ended, or is live with exactly one owner: a live incarnation of a running node;
 * - every agent's call, attached at the end, is where the agent last saw it or later (same step at the same seq);
 * - the live floor on every running node shows exactly the live calls of the log, each at its step.
 *
 *   CHAOS_SEED (default 20261204), CHAOS_AGENTS (8), CHAOS_FAULTS (6)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoredEvent } from '../../src/decision-log/decision-log';
import { verifyChain } from '../../src/decision-log/hash-chain';
import type { View } from '../support/agent-ledger';
import { login, WsClient } from '../support/client';
import { dropServerDatabase, queryServerDatabase, serverDatabase } from '../support/pg-database';
import { sleep, until } from '../support/poll';
import { type Ack, RoamingAgent, type Sent } from '../support/roaming-agent';
import { inputFor, Rng, startableFlows } from '../support/seeded-choices';
import { REPO_ROOT, startServer, type TestServer } from '../support/server';
import { callKeys, openColumn } from '../support/sealed-payloads';
import { storeSnapshot } from '../support/store';

const SEED = Number(process.env.CHAOS_SEED ?? 20261204);
const AGENTS = Number(process.env.CHAOS_AGENTS ?? 8);
const FAULTS = Number(process.env.CHAOS_FAULTS ?? 6);
const CUSTOMERS = ['13800000001', '13800000002', '13800000003', '13800000004', '13800000005', '13800000011', '13800000012', '13900000001'];
// Bots sharing two logins: the per-connection and per-user frame limits (a human's pace) would refuse them.
const SERVER_ENV = { SIM_LATENCY_MS: '25', BACKEND_TIMEOUT_MS: '800', WS_RATE_PER_CONNECTION: '0', WS_RATE_PER_USER: '0' };

/** Who wrote each event, and the call's lease as the writing transaction saw it (after the fence's row lock). */
const AUDIT_SQL = `
CREATE TABLE chaos_writes (
  call_id text NOT NULL, seq int NOT NULL, writer text NOT NULL,
  owner_node text NULL, owner_incarnation bigint NULL, owner_lost boolean NOT NULL, token bigint NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION chaos_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO chaos_writes (call_id, seq, writer, owner_node, owner_incarnation, owner_lost, token)
  SELECT NEW.call_id, NEW.seq, current_setting('application_name'), c.owner_node, c.owner_incarnation,
         coalesce(n.lost_at IS NOT NULL, false), c.lease_token
  FROM (SELECT NEW.call_id AS id) k LEFT JOIN calls c ON c.id = k.id LEFT JOIN cluster_nodes n ON n.incarnation = c.owner_incarnation;
  RETURN NULL;
END $$;
CREATE TRIGGER chaos_audit AFTER INSERT ON call_events FOR EACH ROW EXECUTE FUNCTION chaos_audit();`;

interface EventRow {
  call_id: string;
  seq: number;
  type: StoredEvent['type'];
  payload: string;
  agent_id: string;
  flow_id: string;
  flow_version: number;
  state_before: string | null;
  flow_id_after: string | null;
  flow_version_after: number | null;
  state_after: string;
  at: string;
  prev_hash: string;
  hash: string;
}
interface CallRow {
  id: string;
  status: string;
  seq: number;
  state: string;
  ended_at: string | null;
  owner_node: string | null;
  owner_incarnation: string | null;
}
interface WriteRow {
  call_id: string;
  seq: number;
  writer: string;
  owner_node: string | null;
  owner_incarnation: string | null;
  owner_lost: boolean;
  token: string | null;
}
interface NodeRow {
  incarnation: string;
  node_id: string;
  lost_at: string | null;
  live: boolean;
}

const toStored = (r: EventRow): StoredEvent => ({
  callId: r.call_id,
  seq: r.seq,
  type: r.type,
  payload: JSON.parse(r.payload),
  agentId: r.agent_id,
  flowId: r.flow_id,
  flowVersion: r.flow_version,
  stateBefore: r.state_before,
  flowIdAfter: r.flow_id_after,
  flowVersionAfter: r.flow_version_after,
  stateAfter: r.state_after,
  at: r.at,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** One of the three node slots: a data directory, the NODE_ID it runs under now, its current process. */
interface Slot {
  index: number;
  dataDir: string;
  nodeId: string;
  server?: TestServer;
  state: 'up' | 'paused' | 'down';
}

describe(`three nodes on one PostgreSQL database under chaos (seed ${SEED}, ${AGENTS} agents, ${FAULTS} faults)`, () => {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-chaos-'));
  const slots: Slot[] = [];
  const servers: TestServer[] = [];
  const agents: RoamingAgent[] = [];
  let databaseUrl = '';

  const sql = <T>(text: string, params: unknown[] = []) => queryServerDatabase<T>(baseDir, text, params);
  const boot = async (slot: Slot) => {
    const server = await startServer({
      dataDir: slot.dataDir,
      readyTimeoutMs: 60_000,
      env: { ...SERVER_ENV, NODE_ID: slot.nodeId, DATABASE_URL: `${databaseUrl}?application_name=${slot.nodeId}` },
    });
    servers.push(server);
    slot.server = server;
    slot.state = 'up';
  };
  const health = async (slot: Slot) => {
    const res = await fetch(`${slot.server!.baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
    return ((await res.json()) as { node: { id: string; incarnation: string; callsHeld: number } }).node;
  };

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    for (const s of servers) {
      if (!s.exited) await s.stop();
    }
    if (!process.env.E2E_KEEP_DATA) {
      await dropServerDatabase(baseDir).catch(() => undefined);
      fs.rmSync(baseDir, { recursive: true, force: true });
    }
  });

  it('every acknowledged decision is in the log once and in order, written only under the current lease; every live call has one live owner', async () => {
    const started = performance.now();
    const rng = new Rng(SEED);
    process.stderr.write(`cluster-chaos: seed ${SEED} (CHAOS_SEED=${SEED} to repeat), ${AGENTS} agents, ${FAULTS} faults\n`);
    databaseUrl = await serverDatabase(baseDir);
    for (let i = 0; i < 3; i++) {
      const dataDir = path.join(baseDir, `node-${i}`);
      fs.mkdirSync(dataDir);
      slots.push({ index: i, dataDir, nodeId: `chaos-${i}`, state: 'down' });
    }
    // The first node migrates the database; the audit trigger goes on before anything is written to the log.
    await boot(slots[0]);
    await sql(AUDIT_SQL);
    await Promise.all(slots.slice(1).map(boot));

    const acks: Ack[] = [];
    const sent: Sent[] = [];
    const problems: string[] = [];
    const ports = () => slots.filter((s) => s.state === 'up').map((s) => s.server!.port);
    const tokens = [await login(slots[0].server!.baseUrl, 'agent1'), await login(slots[1].server!.baseUrl, 'agent2')];
    const flows = startableFlows(REPO_ROOT);
    for (let i = 0; i < AGENTS; i++) {
      agents.push(new RoamingAgent(`a${i}`, tokens[i % 2], new Rng(SEED + 1 + i), { customers: CUSTOMERS, flows, ports }, acks, sent, problems));
    }
    agents.forEach((a) => a.start());

    const stale: string[] = [];
    const staleRefused = new Map<string, number>();
    /** A socket per agent login on the node, each of the calls it holds attached there (its view as the node has it). */
    const attachProbes = async (slot: Slot, incarnation: string) => {
      const held = await sql<{ id: string; username: string }>(
        `SELECT c.id, u.username FROM calls c JOIN users u ON u.id = c.agent_id WHERE c.status = 'active' AND c.owner_incarnation = $1`,
        [incarnation],
      );
      const probes: { socket: WsClient; view: View }[] = [];
      const sockets = new Map<string, WsClient>();
      for (const { id, username } of held) {
        if (!sockets.has(username)) sockets.set(username, await WsClient.connect(slot.server!.port, tokens[username === 'agent1' ? 0 : 1]));
        const socket = sockets.get(username)!;
        const reply = await socket.request('call.attach', { callId: id });
        if (reply.event === 'call.view' && reply.data.status === 'active') probes.push({ socket, view: reply.data as View });
      }
      return probes;
    };

    // The fault schedule: at least one kill and one pause, the rest drawn; at most one node down at a time.
    const kinds: ('kill' | 'pause')[] = ['kill', 'pause', ...Array.from({ length: Math.max(0, FAULTS - 2) }, () => rng.pick(['kill', 'pause'] as const))];
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
    }
    const faults: string[] = [];
    const pauses: { nodeId: string; incarnation: string; lostAfterMs?: number }[] = [];
    for (const [n, kind] of kinds.entries()) {
      await sleep(rng.int(800, 2000)); // load between faults
      const slot = rng.pick(slots.filter((s) => s.state === 'up'));
      const t0 = performance.now();
      if (kind === 'kill') {
        const was = slot.nodeId;
        await slot.server!.kill('SIGKILL');
        slot.state = 'down';
        const renamed = rng.next() < 0.5;
        const waitForTakeover = rng.next() < 0.5;
        // Restarted at once under the same name, it takes its calls back at boot; otherwise the others take them after its lease.
        if (waitForTakeover) await sleep(rng.int(500, 3500));
        if (renamed) slot.nodeId = `chaos-${slot.index}-r${n}`;
        await boot(slot);
        faults.push(`${n}: SIGKILL ${was}, restarted as ${slot.nodeId} ${Math.round(performance.now() - t0)} ms later`);
      } else {
        const { incarnation } = await health(slot);
        // Stale screens on the node to be paused: each of its calls attached (it holds them: no move), and
        // after the SIGSTOP a decision for that view sent to it — read by the node only when it wakes, lost.
        const probes = await attachProbes(slot, incarnation);
        slot.server!.pause();
        slot.state = 'paused';
        const replies = probes.map(async (p) => {
          const option = p.view.step.options.map((o) => ({ id: o.id, input: inputFor(rng, p.view, o) })).find((o) => o.input !== null);
          if (!option) return null;
          sent.push({ agent: 'probe', callId: p.view.callId, seq: p.view.seq, option: option.id });
          const data: Record<string, unknown> = { callId: p.view.callId, seq: p.view.seq, option: option.id };
          if (option.input && Object.keys(option.input).length) data.input = option.input;
          const reply = await p.socket.request('call.decide', data, 60_000).catch((e: Error) => ({ event: 'failed', data: { code: e.message } }));
          return { probe: p, option: option.id, reply };
        });
        const movedOn = new Set<string>();
        let lostAfterMs: number | undefined;
        try {
          // Held past its lease: the others declare it lost and take its calls.
          await until(
            `${slot.nodeId}#${incarnation} declared lost`,
            async () => (await sql<{ lost: boolean }>(`SELECT lost_at IS NOT NULL AS lost FROM cluster_nodes WHERE incarnation = $1`, [incarnation]))[0]?.lost,
            (lost) => lost === true,
            20_000,
          );
          await until(
            `the calls of ${slot.nodeId}#${incarnation} taken over`,
            async () =>
              (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM calls WHERE status = 'active' AND owner_incarnation = $1`, [incarnation]))[0].n,
            (left) => left === 0,
            20_000,
          );
          lostAfterMs = Math.round(performance.now() - t0);
          // Their agents go on elsewhere: a probed view is stale once its call moved past it (as far as that happens in a few seconds).
          const probed = probes.map((p) => p.view.callId);
          const deadline = Date.now() + 8000;
          for (;;) {
            const rows = await sql<{ id: string; seq: number; status: string }>(`SELECT id, seq, status FROM calls WHERE id = ANY($1)`, [probed]);
            movedOn.clear();
            for (const r of rows) if (r.status !== 'active' || r.seq > probes.find((p) => p.view.callId === r.id)!.view.seq) movedOn.add(r.id);
            if (movedOn.size === probed.length || Date.now() > deadline) break;
            await sleep(100);
          }
          await sleep(rng.int(0, 1000));
        } finally {
          slot.server!.resume();
        }
        for (const r of await Promise.all(replies)) {
          if (!r) continue;
          const { probe, option, reply } = r;
          const callId = probe.view.callId;
          if (reply.event === 'call.view') {
            // Accepted: only possible for a call that had not moved on (the woken node moved it back, as for any agent's screen).
            if (movedOn.has(callId))
              stale.push(`stale decision '${option}' for seq ${probe.view.seq} of call ${callId} accepted by ${slot.nodeId} after it was lost`);
            acks.push({ agent: 'probe', callId, seq: reply.data.seq, step: reply.data.step.id, status: reply.data.status, kind: 'decide', option });
          } else if (reply.data.code === 'CALL_MOVED' || reply.data.code === 'STALE_SEQ') {
            staleRefused.set(reply.data.code, (staleRefused.get(reply.data.code) ?? 0) + 1);
          } else stale.push(`stale decision for call ${callId} on ${slot.nodeId}: ${JSON.stringify(reply.data)}`);
        }
        await Promise.all(probes.map((p) => p.socket.close()));
        pauses.push({ nodeId: slot.nodeId, incarnation, lostAfterMs });
        // Awake, it finds itself lost at its next heartbeat and joins again as a new incarnation.
        await until(
          `${slot.nodeId} back as a new incarnation`,
          () => health(slot).catch(() => null),
          (node) => !!node && node.incarnation !== incarnation,
          20_000,
        );
        slot.state = 'up';
        faults.push(
          `${n}: SIGSTOP ${slot.nodeId}#${incarnation}, declared lost and its calls taken ${lostAfterMs} ms after it, SIGCONT; rejoined ${Math.round(performance.now() - t0)} ms after the stop`,
        );
      }
    }
    await sleep(1500); // the calm after: load on three nodes
    await Promise.all(agents.map((a) => a.stop()));
    const faultsDone = performance.now();

    // Every live call with exactly one owner, a live incarnation of a running node (each node answers its health with its incarnation).
    const liveIncarnations = async () => new Set(await Promise.all(slots.map(async (s) => (await health(s)).incarnation)));
    const orphans = await until(
      'every live call held by a running node',
      async () => {
        const running = await liveIncarnations();
        const rows = await sql<{ id: string; owner_incarnation: string | null; node_id: string | null; lost_at: string | null; owner_node: string | null }>(
          `SELECT c.id, c.owner_incarnation::text AS owner_incarnation, c.owner_node, n.node_id, n.lost_at::text AS lost_at
               FROM calls c LEFT JOIN cluster_nodes n ON n.incarnation = c.owner_incarnation WHERE c.status = 'active'`,
        );
        return rows.filter((r) => !r.owner_incarnation || !running.has(r.owner_incarnation) || r.lost_at !== null || r.node_id !== r.owner_node);
      },
      (rows) => rows.length === 0,
      20_000,
    );
    expect(orphans).toEqual([]);

    // Each agent attaches its call once more (on whichever node it lands): the server shows it where the agent last saw it, or later.
    const finalViews = new Map<string, View>();
    for (const a of agents) {
      const view = await a.attachFinally();
      if (view) finalViews.set(a.name, view);
    }

    const received = acks.slice();
    const [callRows, eventRows, writeRows, nodeRows] = await storeSnapshot(baseDir, [
      { sql: `SELECT id, status, seq, state, ended_at, owner_node, owner_incarnation::text AS owner_incarnation FROM calls` },
      { sql: `SELECT * FROM call_events ORDER BY call_id, seq` },
      {
        sql: `SELECT call_id, seq, writer, owner_node, owner_incarnation::text AS owner_incarnation, owner_lost, token::text AS token FROM chaos_writes ORDER BY call_id, seq`,
      },
      {
        sql: `SELECT incarnation::text AS incarnation, node_id, lost_at::text AS lost_at, (lost_at IS NULL AND expires_at > now()) AS live FROM cluster_nodes`,
      },
    ]);
    const calls = callRows as unknown as CallRow[];
    const callById = new Map(calls.map((c) => [c.id, c]));
    const eventsOf = new Map<string, EventRow[]>();
    for (const e of eventRows as unknown as EventRow[]) {
      if (!eventsOf.has(e.call_id)) eventsOf.set(e.call_id, []);
      eventsOf.get(e.call_id)!.push(e);
    }
    const keys = await callKeys(baseDir);
    const optionOf = (e: EventRow) => openColumn(keys, e.call_id, e.seq, e.payload).option;
    const writes = writeRows as unknown as WriteRow[];
    const nodes = nodeRows as unknown as NodeRow[];

    // 1. Every view an agent received is in the log at its seq and step; a decision's with its option; per call in the order acknowledged.
    const lost: string[] = [];
    const lastAckedDecision = new Map<string, number>();
    for (const s of received) {
      const e = eventsOf.get(s.callId)?.[s.seq - 1];
      if (!e || e.seq !== s.seq) lost.push(`${s.agent} ${s.kind} view seq ${s.seq} of call ${s.callId} ('${s.step}') is not in the log`);
      else if (e.state_after !== s.step) lost.push(`${s.agent} ${s.kind} view seq ${s.seq} of call ${s.callId} shows '${s.step}', the log '${e.state_after}'`);
      else if (s.kind === 'decide' && (e.type !== 'decision' || optionOf(e) !== s.option))
        lost.push(`${s.agent}: decision '${s.option}' acknowledged at seq ${s.seq} of call ${s.callId}; the log has ${e.type} option ${String(optionOf(e))}`);
      else if (s.kind === 'start' && (s.seq !== 1 || e.type !== 'call.started')) lost.push(`start view of call ${s.callId} is seq ${s.seq}, the log ${e.type}`);
      if (s.kind === 'decide') {
        const key = `${s.agent} ${s.callId}`;
        if ((lastAckedDecision.get(key) ?? 0) >= s.seq)
          lost.push(`${key}: decision acknowledged at seq ${s.seq} after one at seq ${lastAckedDecision.get(key)}`);
        lastAckedDecision.set(key, s.seq);
      }
    }
    // Exactly once: every decision in the log was sent by an agent, for the view just before it.
    const sentKeys = new Set(sent.map((d) => `${d.callId}@${d.seq}:${d.option}`));
    const phantom: string[] = [];
    for (const [callId, events] of eventsOf) {
      for (const e of events) {
        if (e.type === 'decision' && !sentKeys.has(`${callId}@${e.seq - 1}:${String(optionOf(e))}`))
          phantom.push(`call ${callId} seq ${e.seq}: decision ${String(optionOf(e))} no agent sent for view ${e.seq - 1}`);
      }
    }

    // 2. Every call's log is whole: seq 1..n, the row at n, the chain intact, ended calls closed.
    const broken: string[] = [];
    for (const call of calls) {
      const events = eventsOf.get(call.id) ?? [];
      if (!events.length || events.some((e, i) => e.seq !== i + 1)) broken.push(`call ${call.id}: seqs ${events.map((e) => e.seq).join(',')}`);
      else if (events.length !== call.seq) broken.push(`call ${call.id}: row at seq ${call.seq}, log has ${events.length}`);
      else if (events[0].type !== 'call.started') broken.push(`call ${call.id}: starts with ${events[0].type}`);
      const chain = verifyChain(events.map(toStored));
      if (!chain.intact) broken.push(`call ${call.id}: hash chain broken at ${JSON.stringify(chain.brokenAt)}`);
      if (call.status !== 'active' && !call.ended_at) broken.push(`call ${call.id}: ${call.status} without ended_at`);
    }
    for (const callId of eventsOf.keys()) if (!callById.has(callId)) broken.push(`events of call ${callId} without a calls row`);

    // 3. Every event written by the lease holder, under a live incarnation; a call's tokens only grow along its log.
    const fenced: string[] = [];
    const writesOf = new Map<string, WriteRow[]>();
    for (const w of writes) {
      if (!writesOf.has(w.call_id)) writesOf.set(w.call_id, []);
      writesOf.get(w.call_id)!.push(w);
      if (w.owner_incarnation === null) {
        // A new call's first event: the batch makes it the writer's after the insert.
        if (w.seq !== 1) fenced.push(`call ${w.call_id} seq ${w.seq} written by ${w.writer} while no node held it`);
      } else if (w.writer !== w.owner_node)
        fenced.push(`call ${w.call_id} seq ${w.seq} written by ${w.writer}; the lease was ${w.owner_node}#${w.owner_incarnation}`);
      else if (w.owner_lost) fenced.push(`call ${w.call_id} seq ${w.seq} written by ${w.writer} under ${w.owner_incarnation}, already declared lost`);
    }
    for (const [callId, events] of eventsOf) {
      const ws = writesOf.get(callId) ?? [];
      if (ws.length !== events.length || ws.some((w, i) => w.seq !== events[i].seq))
        fenced.push(`call ${callId}: ${events.length} events, ${ws.length} recorded writes`);
      let token = 0n;
      for (const w of ws) {
        if (w.token === null) continue;
        if (BigInt(w.token) < token) fenced.push(`call ${callId} seq ${w.seq}: written under token ${w.token} after token ${token}`);
        else token = BigInt(w.token);
      }
    }
    // The paused nodes: declared lost, and nothing written under those incarnations after (3 covers every write; this names them).
    const pausedIncarnations = new Set(pauses.map((p) => p.incarnation));
    const writesAfterLost = writes.filter((w) => w.owner_lost && pausedIncarnations.has(w.owner_incarnation ?? ''));
    expect(nodes.filter((n) => pausedIncarnations.has(n.incarnation) && n.lost_at === null)).toEqual([]);

    // 4. Every call ended, or live with one owner: a live incarnation of its node.
    const liveByIncarnation = new Map(nodes.filter((n) => n.live).map((n) => [n.incarnation, n.node_id]));
    const unowned = calls
      .filter((c) => c.status === 'active' && (!c.owner_incarnation || liveByIncarnation.get(c.owner_incarnation) !== c.owner_node))
      .map((c) => `call ${c.id}: owner ${c.owner_node}#${c.owner_incarnation}`);

    // 5. Each agent's call, attached at the end, where the agent saw it last (or later, if a back-end reply landed since).
    const displaced: string[] = [];
    for (const [agent, view] of finalViews) {
      const call = callById.get(view.callId);
      if (!call) displaced.push(`${agent}: call ${view.callId} not in the calls table`);
      else if (call.seq < view.seq) displaced.push(`${agent}: attached at seq ${view.seq}, the log ends at ${call.seq}`);
      else if (call.seq === view.seq && (call.state !== view.step.id || call.status !== view.status))
        displaced.push(`${agent}: attached on '${view.step.id}'/${view.status}, the log '${call.state}'/${call.status}`);
    }

    // 6. The floor's totals equal the log's: a supervisor on every running node sees exactly the live calls of the calls table, each at its step.
    const floorMismatch: string[] = [];
    for (const slot of slots.filter((s) => s.state === 'up')) {
      const supervisor = await WsClient.connect(slot.server!.port, await login(slot.server!.baseUrl, 'supervisor1'));
      await supervisor.request('floor.subscribe', {});
      let last: string;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const snapshot = await supervisor.next((f) => f.event === 'floor.snapshot', 10_000, 'a floor snapshot');
        const onFloor = (snapshot.data.activeCalls as { callId: string; stepId: string }[]).map((c) => `${c.callId}@${c.stepId}`).sort();
        const inLog = (await sql<{ id: string; state: string }>(`SELECT id, state FROM calls WHERE status = 'active'`)).map((c) => `${c.id}@${c.state}`).sort();
        if (JSON.stringify(onFloor) === JSON.stringify(inLog)) break;
        last = `${slot.nodeId}: floor ${JSON.stringify(onFloor)}, log ${JSON.stringify(inLog)}`;
        if (Date.now() > deadline) {
          floorMismatch.push(last);
          break;
        }
      }
      await supervisor.close();
    }

    const sum = (m: Map<string, number>[]) => m.reduce<Record<string, number>>((acc, x) => (x.forEach((v, k) => (acc[k] = (acc[k] ?? 0) + v)), acc), {});
    const movedCalls = [...writesOf.values()].filter((ws) => new Set(ws.map((w) => w.writer)).size > 1).length;
    const report = {
      seed: SEED,
      agents: AGENTS,
      faults,
      calls: calls.length,
      ended: calls.filter((c) => c.status !== 'active').length,
      live: calls.filter((c) => c.status === 'active').length,
      events: writes.length,
      callsWrittenByMoreThanOneNode: movedCalls,
      decisionsAcknowledged: received.filter((s) => s.kind === 'decide').length,
      decisionsSent: sent.length,
      agentMoves: sum(agents.map((a) => a.moves)),
      refusals: sum(agents.map((a) => a.refusals)),
      staleDecisionsRefused: Object.fromEntries(staleRefused),
      staleProblems: stale.length,
      lost: lost.length,
      phantom: phantom.length,
      broken: broken.length,
      fenced: fenced.length,
      writesAfterLost: writesAfterLost.length,
      unowned: unowned.length,
      displaced: displaced.length,
      floorMismatch: floorMismatch.length,
      problems: problems.length,
      faultsMs: Math.round(faultsDone - started),
      totalMs: Math.round(performance.now() - started),
    };
    process.stderr.write(`cluster-chaos report ${JSON.stringify(report, null, 1)}\n`);

    expect(problems).toEqual([]);
    expect(stale).toEqual([]);
    expect(lost).toEqual([]);
    expect(phantom).toEqual([]);
    expect(broken).toEqual([]);
    expect(fenced).toEqual([]);
    expect(writesAfterLost).toEqual([]);
    expect(unowned).toEqual([]);
    expect(displaced).toEqual([]);
    expect(floorMismatch).toEqual([]);
    // The run did what it claims: real load, calls that changed hands, every agent checked at the end.
    expect(report.decisionsAcknowledged).toBeGreaterThan(AGENTS * 5);
    expect(report.ended).toBeGreaterThan(AGENTS);
    expect(movedCalls).toBeGreaterThan(0);
    expect(faults.length).toBe(FAULTS);
    expect(pauses.length).toBeGreaterThan(0);
    // Stale decisions reached the woken nodes and were refused (none accepted: `stale` above). Which refusal
    // depends on what the node runs first after SIGCONT: the queued frame (its write fenced: CALL_MOVED) or
    // its heartbeat (it finds itself lost and drops its calls; the frame then finds the call further on in
    // the log: STALE_SEQ). The fence alone is asserted deterministically in call-fencing.pg-spec.ts.
    expect((staleRefused.get('CALL_MOVED') ?? 0) + (staleRefused.get('STALE_SEQ') ?? 0)).toBeGreaterThan(0);
    expect(finalViews.size).toBe(agents.filter((a) => a.current).length);
  }, 150_000);
});
