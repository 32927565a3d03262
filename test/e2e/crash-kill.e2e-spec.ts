/**
 * Crash safety under load: scripted agents run whole calls through the catalogue flows while the
 * server is SIGKILLed at random moments and restarted on the same data, again and again. After the
 * last restart: every view that reached a client is in the log at its seq (a decision's view with
 * that decision), every call's log is whole (seq 1..n, hash chain intact, ended with its end event
 * or resumable), every active call resumes through call.attach at or after the newest view its
 * agent saw, and every finished call replays deterministically.
 *
 *   CRASH_KILLS (default 20), CRASH_AGENTS (24), CRASH_SEED (20261123); docs/RELIABILITY.md.
 */
import { verifyChain } from '../../src/decision-log/hash-chain';
import type { StoredEvent } from '../../src/decision-log/decision-log';
import type { AgentProblem, InFlight, Seen } from '../support/agent-ledger';
import { CallAgent } from '../support/call-agent';
import { sleep } from '../support/poll';
import { Rng, startableFlows } from '../support/seeded-choices';
import { http, login, WsClient } from '../support/client';
import { REPO_ROOT } from '../support/server';
import { callKeys, openColumn } from '../support/sealed-payloads';
import { storeSnapshot } from '../support/store';
import { useServer } from '../support/use-server';

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const AGENTS = Number(process.env.CRASH_AGENTS ?? 24);
const SEED = Number(process.env.CRASH_SEED ?? 20261123);
/** Subscribers with every back-end behaviour: ok, fails once, always fails, never answers. */
const CUSTOMERS = [
  '13800000001',
  '13800000002',
  '13800000003',
  '13800000004',
  '13800000005',
  '13800000006',
  '13800000007',
  '13800000008',
  '13800000011',
  '13800000012',
  '13800000013',
  '13800000014',
  '13900000001',
];
// The agents are bots that think 5–40 ms and share three logins: the per-connection and per-user
// frame limits (a human's pace, tested in ws-rate-limit.e2e-spec.ts) would refuse them.
const SERVER_ENV = { SIM_LATENCY_MS: '25', BACKEND_TIMEOUT_MS: '800', WS_RATE_PER_CONNECTION: '0', WS_RATE_PER_USER: '0' };

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

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe(`crash safety: ${KILLS} SIGKILLs under load (${AGENTS} agents, seed ${SEED})`, () => {
  // Started by the test, SIGKILLed and restarted on the same data again and again.
  const server = useServer({ lifetime: 'per-test', env: SERVER_ENV, readyTimeoutMs: 90_000 });
  const agents: CallAgent[] = [];

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
  });

  it(
    'loses no acknowledged decision, leaves no half-written call, resumes every active call and replays every finished one',
    async () => {
      const rng = new Rng(SEED);
      const ledger: Seen[] = [];
      const problems: AgentProblem[] = [];
      const inFlightAtKills: InFlight[] = [];
      const killDelays: number[] = [];
      const restartMs: number[] = [];
      let resumes = 0;

      await server.start();
      const dataDir = server.dataDir;
      // Tokens survive restarts (the JWT secret is kept in DATA_DIR): log in once.
      const tokens = {
        agent1: await login(server.baseUrl, 'agent1'),
        agent2: await login(server.baseUrl, 'agent2'),
        supervisor: await login(server.baseUrl, 'supervisor1'),
      };
      const flows = startableFlows(REPO_ROOT);
      for (let i = 0; i < AGENTS; i++) {
        agents.push(new CallAgent(`a${i}`, i % 2 ? tokens.agent2 : tokens.agent1, new Rng(SEED + 1 + i), { customers: CUSTOMERS, flows }, ledger, problems));
      }
      const newest = new Map<string, Seen>();
      let indexed = 0;
      const lastSeen = (callId: string) => {
        for (; indexed < ledger.length; indexed++) {
          const s = ledger[indexed];
          if ((newest.get(s.callId)?.seq ?? 0) < s.seq) newest.set(s.callId, s);
        }
        return newest.get(callId);
      };

      for (let round = 0; ; round++) {
        await Promise.all(agents.map((a) => a.connect(server.port)));
        const resumed = await Promise.all(agents.map((a) => a.resume(lastSeen)));
        resumes += resumed.filter(Boolean).length;
        agents.forEach((a) => a.start());
        if (round === KILLS) break;

        // Kill at a random moment of the load: requests on the wire, commits, pushes.
        const delay = rng.int(50, 700);
        killDelays.push(delay);
        await sleep(delay);
        inFlightAtKills.push(...agents.flatMap((a) => a.inFlight()));
        await server.kill('SIGKILL');
        await Promise.all(agents.map((a) => a.finished()));
        const t0 = performance.now();
        await server.restart();
        restartMs.push(performance.now() - t0);
      }
      // The last round runs a while, then the agents stop cleanly.
      await sleep(1500);
      await Promise.all(agents.map((a) => a.stop()));

      // The log as the server has it now, in one read transaction for both tables: the server is
      // still running, and a back-end reply landing between two separate reads would show a call's
      // row one event behind its log. The views checked are those received before the read began:
      // the stopped agents' sockets stay open, and a push arriving while the read is awaited (on
      // PostgreSQL it is asynchronous) was committed after the snapshot.
      const received = ledger.slice();
      const [callRows, eventRows] = await storeSnapshot(dataDir, [
        // An active call's row is left as it started (the SQLite writer does not rewrite it per
        // event): where it stands is its last event, as the server reads it too (log-rows.ts).
        // An ended call's row was written in full with its last event, so its own seq is checked.
        {
          sql: `SELECT c.id, c.status, c.ended_at,
                  CASE WHEN c.status = 'active' THEN l.seq ELSE c.seq END AS seq,
                  CASE WHEN c.status = 'active' THEN l.state_after ELSE c.state END AS state
                FROM calls c LEFT JOIN call_events l ON l.call_id = c.id AND l.seq = (SELECT MAX(m.seq) FROM call_events m WHERE m.call_id = c.id)`,
        },
        { sql: `SELECT * FROM call_events ORDER BY call_id, seq` },
      ]);
      const calls = callRows as unknown as CallRow[];
      const keys = await callKeys(dataDir);
      const optionOf = (e: EventRow) => openColumn(keys, e.call_id, e.seq, e.payload).option;
      const eventsOf = new Map<string, EventRow[]>();
      for (const e of eventRows as unknown as EventRow[]) {
        if (!eventsOf.has(e.call_id)) eventsOf.set(e.call_id, []);
        eventsOf.get(e.call_id)!.push(e);
      }

      // 1. Every view that reached a client is in the log, at its seq, on its step; a decision's view with that decision.
      const lost: string[] = [];
      for (const s of received) {
        const e = eventsOf.get(s.callId)?.[s.seq - 1];
        if (!e || e.seq !== s.seq) lost.push(`${s.kind} view seq ${s.seq} of call ${s.callId} ('${s.step}') is not in the log`);
        else if (e.state_after !== s.step) lost.push(`${s.kind} view seq ${s.seq} of call ${s.callId} shows '${s.step}', the log '${e.state_after}'`);
        else if (s.kind === 'decide' && (e.type !== 'decision' || optionOf(e) !== s.option)) {
          lost.push(
            `decision '${s.option}' acknowledged at seq ${s.seq} of call ${s.callId}; the log has ${e.type} ${JSON.stringify(openColumn(keys, e.call_id, e.seq, e.payload))}`,
          );
        } else if (s.kind === 'start' && (s.seq !== 1 || e.type !== 'call.started'))
          lost.push(`start view of call ${s.callId} is seq ${s.seq}, the log ${e.type}`);
        else if (s.kind === 'hangup' && s.status === 'abandoned' && e.type !== 'call.hangup')
          lost.push(`hang-up acknowledged at seq ${s.seq} of call ${s.callId}; the log has ${e.type}`);
      }

      // 2. No half-written call: seq 1..n with no gap, the summary row at n, the chain intact, ended calls closed by their end event.
      const halfWritten: string[] = [];
      for (const call of calls) {
        const events = eventsOf.get(call.id) ?? [];
        if (!events.length || events.some((e, i) => e.seq !== i + 1)) halfWritten.push(`call ${call.id}: seqs ${events.map((e) => e.seq).join(',')}`);
        else if (events.length !== call.seq) halfWritten.push(`call ${call.id}: summary at seq ${call.seq}, log has ${events.length}`);
        else if (events[0].type !== 'call.started') halfWritten.push(`call ${call.id}: starts with ${events[0].type}`);
        const chain = verifyChain(events.map(toStored));
        if (!chain.intact) halfWritten.push(`call ${call.id}: hash chain broken at ${JSON.stringify(chain.brokenAt)}`);
        if (call.status !== 'active' && !call.ended_at) halfWritten.push(`call ${call.id}: ${call.status} without ended_at`);
        if (call.status === 'abandoned' && events.at(-1)?.type !== 'call.hangup')
          halfWritten.push(`call ${call.id}: abandoned, last event ${events.at(-1)?.type}`);
        if (call.status === 'active' && call.ended_at) halfWritten.push(`call ${call.id}: active with ended_at`);
      }
      for (const callId of eventsOf.keys()) if (!calls.some((c) => c.id === callId)) halfWritten.push(`events of call ${callId} without a calls row`);

      // 3. Every active call in the log resumes through call.attach (a supervisor watching), at or after its logged seq.
      const active = calls.filter((c) => c.status === 'active');
      const notResumed: string[] = [];
      const watcher = await WsClient.connect(server.port, tokens.supervisor);
      try {
        await inBatches(active, 16, async (call) => {
          const reply = await watcher.request('call.attach', { callId: call.id }, 15_000);
          if (reply.event !== 'call.view') notResumed.push(`call ${call.id}: ${JSON.stringify(reply.data)}`);
          else if (reply.data.seq < call.seq) notResumed.push(`call ${call.id}: attach at seq ${reply.data.seq}, log at ${call.seq}`);
          else if (reply.data.seq === call.seq && reply.data.step.id !== call.state)
            notResumed.push(`call ${call.id}: attach on '${reply.data.step.id}', log '${call.state}'`);
        });
      } finally {
        await watcher.close();
      }

      // 4. Every finished call replays deterministically through the replay API, chain intact.
      const finished = calls.filter((c) => c.status !== 'active');
      const notReplayed: string[] = [];
      await inBatches(finished, 8, async (call) => {
        const res = await http(server.baseUrl, 'POST', `/api/calls/${call.id}/replay`, { token: tokens.supervisor });
        const r = res.body;
        if (res.status !== 200 || !r.deterministic || !r.chain?.intact || r.eventsReplayed !== call.seq)
          notReplayed.push(`call ${call.id}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      });

      // Where the kills landed: a decision on the wire when the server died was either committed (its reply lost) or not.
      const decidesInFlight = inFlightAtKills.filter((f) => f.kind === 'decide');
      const committedUnanswered = decidesInFlight.filter((f) => {
        const e = eventsOf.get(f.callId!)?.[f.seq!];
        return e?.type === 'decision' && optionOf(e) === f.option;
      }).length;
      const acknowledged = ledger.filter((s) => s.kind === 'decide').length;
      const report = {
        kills: KILLS,
        agents: AGENTS,
        seed: SEED,
        calls: calls.length,
        finished: finished.length,
        active: active.length,
        events: [...eventsOf.values()].reduce((n, e) => n + e.length, 0),
        viewsReceived: ledger.length,
        decisionsAcknowledged: acknowledged,
        resumesChecked: resumes,
        requestsInFlightAtKills: inFlightAtKills.length,
        decisionsInFlightAtKills: decidesInFlight.length,
        committedButUnanswered: committedUnanswered,
        killDelayMs: { min: Math.min(...killDelays), max: Math.max(...killDelays) },
        restartMsMedian: restartMs.length ? Math.round([...restartMs].sort((a, b) => a - b)[Math.floor(restartMs.length / 2)]) : null,
        lost: lost.length,
        halfWritten: halfWritten.length,
        notResumed: notResumed.length,
        notReplayed: notReplayed.length,
        agentProblems: problems.length,
      };
      // eslint-disable-next-line no-console
      console.log(`crash-kill report ${JSON.stringify(report)}`);

      expect(problems).toEqual([]);
      expect(lost).toEqual([]);
      expect(halfWritten).toEqual([]);
      expect(notResumed).toEqual([]);
      expect(notReplayed).toEqual([]);
      // The run did what it claims: real load, every round resumed calls, some kills caught decisions on the wire.
      expect(acknowledged).toBeGreaterThan(KILLS * 5);
      expect(finished.length).toBeGreaterThan(KILLS);
      expect(resumes).toBeGreaterThan(KILLS);
      expect(decidesInFlight.length).toBeGreaterThan(0);
    },
    120_000 + KILLS * 20_000,
  );
});
