import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { BackendRequest } from '../backend/backend.port';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { SimulatorBackend } from '../backend/simulator/simulator-backend';
import { AppError } from '../common/app-error';
import { loadConfig } from '../config/app-config';
import { sqliteHandle } from '../common/sqlite-handle';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { FlowPublicationEntity } from '../flows/flow-publication.entity';
import { FlowVersionEntity } from '../flows/flow-version.entity';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { CallLeases } from '../cluster';
import { CallEngine } from './call-engine.service';
import { VerificationLocks } from './verification-locks';
import type { LiveCall } from './live-call';
import { callTrace, replayCall } from './step';

const ROOT = path.resolve(__dirname, '../..');
const agent1: AuthUser = { sub: 'u-agent1', username: 'agent1', role: 'agent' };
const agent2: AuthUser = { sub: 'u-agent2', username: 'agent2', role: 'agent' };

/** The real simulator, with the suspension step held until the test releases it, recording its keys. */
class HeldBackend extends SimulatorBackend {
  keys: string[] = [];
  release?: () => void;
  override async executeSuspension(request: BackendRequest) {
    this.keys.push(request.idempotencyKey);
    await new Promise<void>((resolve) => (this.release = resolve));
    return super.executeSuspension(request);
  }
}

describe('CallEngine (real log, real simulator)', () => {
  let dataSource: DataSource;
  let catalog: FlowCatalog;
  const fixtures = loadCustomerFixtures(path.join(ROOT, 'src/backend/simulator/demo-customers.json'));
  const engines: CallEngine[] = [];

  const engine = (backend = new SimulatorBackend(fixtures, 0)) => {
    const log = new SqliteDecisionLog(dataSource);
    const e = new CallEngine(
      catalog,
      log,
      backend,
      new CallLeases(loadConfig({}), dataSource, log),
      loadConfig({}),
      new VerificationLocks(loadConfig({}), dataSource),
    );
    engines.push(e);
    return e;
  };
  const nextPush = (e: CallEngine) =>
    new Promise<LiveCall>((resolve) => {
      const off = e.onPush((c) => {
        off();
        resolve(c);
      });
    });
  const decide = (e: CallEngine, call: LiveCall, option: string, input?: Record<string, unknown>) =>
    e.decide(agent1, { callId: call.id, seq: call.progress.record.seq, option, input });
  const eventsOf = (callId: string) => new SqliteDecisionLog(dataSource).events(callId);

  beforeEach(async () => {
    ({ dataSource } = await openTestDatabase());
    catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: path.join(ROOT, 'flows'), BACKEND_TIMEOUT_MS: '10000' }), dataSource);
    await catalog.onModuleInit();
  });
  afterEach(async () => {
    engines.splice(0).forEach((e) => e.onApplicationShutdown());
    await dataSource.destroy();
  });

  it('has each decision in the log by the time it returns the next step', async () => {
    const e = engine();
    const call = await e.start(agent1, '13800000001', 'suspend-service');
    expect(await eventsOf(call.id)).toHaveLength(1);
    await decide(e, call, 'continue');
    const events = await eventsOf(call.id);
    expect(events.map((x) => [x.seq, x.type, x.stateAfter])).toEqual([
      [1, 'call.started', 'check-eligibility'],
      [2, 'decision', 'confirm-reason'],
    ]);
  });

  it('queues an ended call in the outbox with its last event, with the trace replaying its log builds', async () => {
    const e = engine();
    const call = await e.start(agent1, '13800000001', 'suspend-service');
    await decide(e, call, 'continue');
    const outbox = () => sqliteHandle(dataSource).prepare(`SELECT call_id AS callId, trace FROM call_outbox`).all() as { callId: string; trace: string }[];
    expect(outbox()).toEqual([]);
    await e.hangup(agent1, call.id);
    const [row] = outbox();
    expect(row.callId).toBe(call.id);
    const record = (await new SqliteDecisionLog(dataSource).findCall(call.id))!;
    const replayed = replayCall(catalog, record, await eventsOf(call.id));
    expect(JSON.parse(row.trace)).toEqual(JSON.parse(JSON.stringify(callTrace(replayed.progress!))));
    expect(JSON.parse(row.trace)).toMatchObject({ status: 'abandoned', entries: [{ seq: 1 }, { seq: 2 }, { seq: 3 }] });
  });

  it('refuses a stale seq and a double click without touching the log', async () => {
    const e = engine();
    const call = await e.start(agent1, '13800000001', 'suspend-service');
    const seq = call.progress.record.seq;
    const results = await Promise.allSettled([
      e.decide(agent1, { callId: call.id, seq, option: 'continue' }),
      e.decide(agent1, { callId: call.id, seq, option: 'continue' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(((results[1] as PromiseRejectedResult).reason as AppError).code).toBe('STALE_SEQ');
    expect(await eventsOf(call.id)).toHaveLength(2);
  });

  it("refuses another agent's decisions", async () => {
    const e = engine();
    const call = await e.start(agent1, '13800000001', 'suspend-service');
    await expect(e.decide(agent2, { callId: call.id, seq: 1, option: 'continue' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(e.attach(agent2, call.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await eventsOf(call.id)).toHaveLength(1);
  });

  it('after a crash, resumes the in-flight back-end step with the same idempotency key', async () => {
    const before = new HeldBackend(fixtures, 0);
    const e1 = engine(before);
    const call = await e1.start(agent1, '13800000001', 'suspend-service');
    for (const [option, input] of [['continue'], ['continue', { reason: 'travel' }], ['acknowledged'], ['decline'], ['password']] as const) {
      await decide(e1, call, option, input);
    }
    await nextPush(e1);
    await decide(e1, call, 'execute');
    expect(call.progress.record.state).toBe('executing');
    expect(before.keys).toEqual([`${call.id}:${call.progress.record.seq}`]);
    e1.onApplicationShutdown(); // the process dies here: the reply never reaches the log

    const after = new HeldBackend(fixtures, 0);
    const e2 = engine(after);
    await e2.onApplicationBootstrap();
    expect(after.keys).toEqual(before.keys);
    const pushed = nextPush(e2);
    after.release!();
    const resumed = await pushed;
    expect(resumed.progress.record.state).toBe('remind');
    const attached = await e2.attach(agent1, call.id);
    expect(attached.progress.record.seq).toBe(call.progress.record.seq + 1);
  });

  it('after a restart on a version that no longer loads, the call is reported and refused with FLOW_UNAVAILABLE; other calls recover', async () => {
    // suspend-service's next version, published by a supervisor; a call runs on it, another on resume-service.
    const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'flows/suspend-service.json'), 'utf8'));
    const now = new Date().toISOString();
    const next = file.version + 1;
    const stored = { ...file, version: next };
    await dataSource.getRepository(FlowVersionEntity).insert({
      flowId: 'suspend-service',
      version: next,
      hash: 'x',
      definition: JSON.stringify(stored),
      source: 'authored by supervisor1',
      createdAt: now,
      updatedAt: now,
      status: 'published',
      createdBy: 'supervisor1',
      basedOn: file.version,
    });
    await dataSource
      .getRepository(FlowPublicationEntity)
      .insert({ flowId: 'suspend-service', version: next, publishedAt: now, publishedBy: 'supervisor2', action: 'publish' });
    catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: path.join(ROOT, 'flows'), BACKEND_TIMEOUT_MS: '10000' }), dataSource);
    await catalog.onModuleInit();
    const e1 = engine();
    const lost = await e1.start(agent1, '13800000001', 'suspend-service');
    expect(lost.progress.record.flowVersion).toBe(next);
    await decide(e1, lost, 'continue');
    const kept = await e1.start(agent1, '13800000001', 'resume-service');
    e1.onApplicationShutdown();

    // An older release wrote that version with an implementation this one no longer has.
    stored.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['sendFlowers'] };
    await dataSource.getRepository(FlowVersionEntity).update({ flowId: 'suspend-service', version: next }, { definition: JSON.stringify(stored) });
    catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: path.join(ROOT, 'flows'), BACKEND_TIMEOUT_MS: '10000' }), dataSource);
    await catalog.onModuleInit();
    const e2 = engine();
    await e2.onApplicationBootstrap();
    expect(e2.liveCount).toBe(1);
    expect(e2.callsNotRecovered()).toEqual([
      expect.objectContaining({ callId: lost.id, flowId: 'suspend-service', version: next, reason: 'flow-version-does-not-load' }),
    ]);
    const refused = { code: 'FLOW_UNAVAILABLE', httpStatus: 503, details: { callId: lost.id, flowId: 'suspend-service', version: next } };
    await expect(e2.attach(agent1, lost.id)).rejects.toMatchObject(refused);
    await expect(e2.decide(agent1, { callId: lost.id, seq: 2, option: 'continue' })).rejects.toMatchObject(refused);
    await expect(e2.start(agent1, '13800000001', 'suspend-service')).rejects.toMatchObject({ code: 'FLOW_UNAVAILABLE' });
    expect((await e2.attach(agent1, kept.id)).progress.record.seq).toBe(1);
    expect(await eventsOf(lost.id)).toHaveLength(2);
  });

  it('times a back-end step out with its own timer and logs the expiry', async () => {
    catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: path.join(ROOT, 'flows'), BACKEND_TIMEOUT_MS: '50' }), dataSource);
    await catalog.onModuleInit();
    const e = engine();
    const call = await e.start(agent1, '13800000006', 'suspend-service'); // back end hangs
    for (const [option, input] of [['continue'], ['continue', { reason: 'travel' }], ['acknowledged'], ['decline'], ['password']] as const) {
      await decide(e, call, option, input);
    }
    await nextPush(e);
    await decide(e, call, 'execute');
    const failed = await nextPush(e);
    expect(failed.progress.record.state).toBe('execute-failed');
    const last = (await eventsOf(call.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'timeout', stateBefore: 'executing', stateAfter: 'execute-failed' });
  });

  describe('while the log cannot be written (read-only storage)', () => {
    /** SQLite refuses every write with SQLITE_READONLY, as on a file system remounted read-only. */
    const fillDisk = () => sqliteHandle(dataSource).pragma('query_only = ON');
    const freeSpace = () => sqliteHandle(dataSource).pragma('query_only = OFF');

    it('refuses a decision with LOG_UNAVAILABLE and keeps the call where it was; the same decision goes through once space returns', async () => {
      const e = engine();
      const call = await e.start(agent1, '13800000001', 'suspend-service');
      await decide(e, call, 'continue');
      const before = { seq: call.progress.record.seq, state: call.progress.record.state };
      fillDisk();
      const refused = await Promise.allSettled(Array.from({ length: 3 }, () => decide(e, call, 'continue', { reason: 'travel' })));
      for (const r of refused)
        expect(r).toMatchObject({
          status: 'rejected',
          reason: { code: 'LOG_UNAVAILABLE', httpStatus: 503, details: { reason: 'SQLITE_READONLY' } },
        });
      expect(call.progress.record).toMatchObject(before);
      expect((await e.attach(agent1, call.id)).progress.record).toMatchObject(before);
      expect(await eventsOf(call.id)).toHaveLength(before.seq);
      freeSpace();
      await decide(e, call, 'continue', { reason: 'travel' });
      expect(call.progress.record).toMatchObject({ seq: before.seq + 1, state: 'warn' });
      const events = await eventsOf(call.id);
      expect(events.map((x) => x.seq)).toEqual([1, 2, 3]);
    });

    it('offers a back-end reply the log refused again until it is logged', async () => {
      const held = new HeldBackend(fixtures, 0);
      const e = engine(held);
      const call = await e.start(agent1, '13800000001', 'suspend-service');
      for (const [option, input] of [['continue'], ['continue', { reason: 'travel' }], ['acknowledged'], ['decline'], ['password']] as const) {
        await decide(e, call, option, input);
      }
      await nextPush(e);
      await decide(e, call, 'execute');
      const seq = call.progress.record.seq;
      fillDisk();
      held.release!(); // the reply arrives while the storage refuses writes
      await new Promise((r) => setTimeout(r, 300));
      expect(call.progress.record).toMatchObject({ seq, state: 'executing' });
      const pushed = nextPush(e);
      freeSpace();
      expect((await pushed).progress.record).toMatchObject({ seq: seq + 1, state: 'remind' });
      expect((await eventsOf(call.id)).filter((x) => x.type === 'backend.reply' && x.stateBefore === 'executing')).toHaveLength(1);
    });
  });
});
