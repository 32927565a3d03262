import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { CallTrace } from '../calls';
import { FlowLoadError } from '../flows/flow-loader';
import { sqliteHandle } from '../common/sqlite-handle';
import { ownSqlPort } from '../common/sql-port';
import { EndOfCallProcessor } from '../end-of-call/end-of-call-processor';
import { numberPseudonym } from '../metrics/number-pseudonym';
import { loadCallChecks } from '../qa/qa-checks';
import { FLOWS_DIR } from '../simulation/file-flows';
import { entry, reply, trace } from '../testing/hand-traces';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { workItemsOf } from './items-from-trace';
import { loadServiceLevels, parseServiceLevels, ruleFor } from './service-levels';
import { canMove, isOverdue, needsNote } from './work-item-rules';

const policy = loadServiceLevels(path.join(FLOWS_DIR, 'follow-up/service-levels.json'));

describe('service levels (flows/follow-up/service-levels.json)', () => {
  it('gives each item the first matching rule: VIP complaints 12 h, VIP 24 h, complaints 24 h, the rest 48 h', () => {
    const rule = (type: 'work-order' | 'transfer', business: string, tier: string) => ruleFor(policy, { type, business, tier });
    expect(rule('transfer', 'complaint', 'diamond')).toMatchObject({ id: 'vip-complaint', hours: 12, priority: 'high' });
    expect(rule('work-order', 'suspend-service', 'gold')).toMatchObject({ id: 'vip', hours: 24, priority: 'high' });
    expect(rule('transfer', 'complaint', 'standard')).toMatchObject({ id: 'complaint', hours: 24, priority: 'normal' });
    expect(rule('work-order', 'suspend-service', 'standard')).toMatchObject({ id: 'default', hours: 48 });
  });

  it('refuses a policy without a last rule for every item, or with an unknown field, with the JSON path', () => {
    const last = { id: 'vip', when: { tiers: ['gold'] }, hours: 24, priority: 'high' };
    expect(() => parseServiceLevels({ ...policy, rules: [last] }, 'p.json')).toThrow(/\$\.rules\[0\]\.when: the last rule must match every item/);
    expect(() => parseServiceLevels({ ...policy, rules: [{ ...last, when: {}, minutes: 3 }] }, 'p.json')).toThrow(FlowLoadError);
    expect(() => parseServiceLevels({ ...policy, desks: { ...policy.desks, 'work-order': '' } }, 'p.json')).toThrow(/desks/);
  });
});

describe('the work items an ended call raised (pure, from its trace)', () => {
  it('an accepted work order: the back end’s number, the desk and due time of its rule, keyed by the reply’s seq', () => {
    const items = workItemsOf(
      trace([entry(3, { stepId: 'raising-ticket', action: reply(4, true, { action: 'raise-work-order', receiptId: 'WO-9' }) }), entry(4, { final: true })]),
      policy,
    );
    expect(items).toEqual([
      expect.objectContaining({
        type: 'work-order',
        callId: 'call-1',
        sourceSeq: 4,
        stepId: 'raising-ticket',
        business: 'suspend-service',
        receiptId: 'WO-9',
        desk: 'back-office',
        rule: 'default',
        priority: 'normal',
        createdAt: '2026-12-01T10:00:04.500Z',
        dueAt: '2026-12-03T10:00:04.500Z',
      }),
    ]);
  });

  it('nothing for a refused reply or another provisioning action; a transfer goes to the complaints desk', () => {
    expect(workItemsOf(trace([entry(3, { action: reply(4, false, { action: 'raise-work-order' }) })]), policy)).toEqual([]);
    expect(workItemsOf(trace([entry(3, { action: reply(4, true, { action: 'change-plan', receiptId: 'X' }) })]), policy)).toEqual([]);
    const transfer = workItemsOf(
      trace([entry(2, { flowId: 'complaint', action: reply(3, true, { action: 'transfer-desk', receiptId: 'TR-1' }) })], { customer: { tier: 'diamond' } }),
      policy,
    );
    expect(transfer).toEqual([
      expect.objectContaining({ type: 'transfer', desk: 'complaints-desk', rule: 'vip-complaint', priority: 'high', dueAt: '2026-12-01T22:00:03.500Z' }),
    ]);
  });

  it('a business that ended in manual follow-up is a follow-up item keyed by its final step; an unreadable trace raises nothing', () => {
    const t = trace([entry(1, {}), entry(2, { stepId: 'manual', final: true })], {
      businesses: [{ flowId: 'suspend-service', version: 2, outcome: 'manual-follow-up' }],
    });
    expect(workItemsOf(t, policy)).toEqual([expect.objectContaining({ type: 'follow-up', sourceSeq: 2, stepId: 'manual', receiptId: null })]);
    expect(workItemsOf({ ...t, notReplayable: 'no trace' }, policy)).toEqual([]);
  });
});

describe('the life of an item', () => {
  it('moves open → in progress → resolved → closed, reopens from resolved or closed, never skips back to in progress', () => {
    expect(canMove('open', 'in-progress')).toBe(true);
    expect(canMove('in-progress', 'resolved')).toBe(true);
    expect(canMove('resolved', 'closed')).toBe(true);
    expect(canMove('closed', 'open')).toBe(true);
    expect(canMove('resolved', 'in-progress')).toBe(false);
    expect(canMove('closed', 'resolved')).toBe(false);
    expect([needsNote('resolved'), needsNote('closed'), needsNote('in-progress')]).toEqual([true, true, false]);
  });

  it('is overdue past its due time only while still to do', () => {
    expect(isOverdue({ status: 'open', dueAt: '2026-12-01T00:00:00.000Z' }, '2026-12-02T00:00:00.000Z')).toBe(true);
    expect(isOverdue({ status: 'resolved', dueAt: '2026-12-01T00:00:00.000Z' }, '2026-12-02T00:00:00.000Z')).toBe(false);
    expect(isOverdue({ status: 'in-progress', dueAt: '2026-12-03T00:00:00.000Z' }, '2026-12-02T00:00:00.000Z')).toBe(false);
  });
});

describe('raised by the end-of-call work, exactly once', () => {
  let dataSource: DataSource;
  afterAll(() => dataSource?.destroy());

  it('writes the item and its created entry with the call’s facts; processing the call again changes nothing', async () => {
    ({ dataSource } = await openTestDatabase());
    const db = sqliteHandle(dataSource);
    const t = trace([
      entry(3, { stepId: 'raising-ticket', action: reply(4, true, { action: 'raise-work-order', receiptId: 'WO-9' }) }),
      entry(4, { final: true }),
    ]);
    const processor = new EndOfCallProcessor(
      ownSqlPort({ sqlite: db }),
      loadCallChecks(path.join(FLOWS_DIR, 'qa/call-checks.json')),
      'k'.repeat(64),
      undefined,
      undefined,
      policy,
    );
    db.prepare(`INSERT INTO call_outbox (call_id, trace, created_at) VALUES (?, ?, ?)`).run(t.callId, JSON.stringify(t), t.startedAt);
    expect(await processor.processBatch(10)).toBe(1);
    // The same call processed again (a crash after commit, a second worker): same key, nothing new.
    db.prepare(`UPDATE call_outbox SET processed_at = NULL, trace = ?`).run(JSON.stringify(t));
    expect(await processor.processBatch(10)).toBe(1);
    expect(db.prepare(`SELECT type, status, call_id, source_seq, receipt_id, desk, due_at FROM work_items`).all()).toEqual([
      { type: 'work-order', status: 'open', call_id: 'call-1', source_seq: 4, receipt_id: 'WO-9', desk: 'back-office', due_at: '2026-12-03T10:00:04.500Z' },
    ]);
    expect(db.prepare(`SELECT actor, action, to_status FROM work_item_history`).all()).toEqual([
      { actor: 'system:call', action: 'created', to_status: 'open' },
    ]);
  });

  it('a call erased while its outbox row waited raises its items under the number’s pseudonym; a call kept, under the number', async () => {
    ({ dataSource } = await openTestDatabase());
    const db = sqliteHandle(dataSource);
    const key = 'k'.repeat(64);
    const processor = new EndOfCallProcessor(
      ownSqlPort({ sqlite: db }),
      loadCallChecks(path.join(FLOWS_DIR, 'qa/call-checks.json')),
      key,
      undefined,
      undefined,
      policy,
    );
    const raising = [
      entry(3, { stepId: 'raising-ticket', action: reply(4, true, { action: 'raise-work-order', receiptId: 'WO-9' }) }),
      entry(4, { final: true }),
    ];
    const calls = [trace(raising, { callId: 'erased', callerNumber: '13800000005' }), trace(raising, { callId: 'kept', callerNumber: '13800000006' })];
    for (const t of calls) {
      db.prepare(`INSERT INTO call_outbox (call_id, trace, created_at) VALUES (?, ?, ?)`).run(t.callId, JSON.stringify(t), t.startedAt);
      db.prepare(`INSERT INTO call_keys (call_id, key, created_at, erased_at) VALUES (?, NULL, ?, ?)`).run(
        t.callId,
        t.startedAt,
        t.callId === 'erased' ? '2026-12-01T11:00:00.000Z' : null,
      );
    }
    expect(await processor.processBatch(10)).toBe(2);
    expect(db.prepare(`SELECT call_id AS id, caller_number AS n FROM work_items ORDER BY call_id`).all()).toEqual([
      { id: 'erased', n: numberPseudonym(key, '13800000005') },
      { id: 'kept', n: '13800000006' },
    ]);
  });

  it('an outbound callback call settles its item once: a completed call resolves it, one cut off leaves it to call again', async () => {
    const db = sqliteHandle(dataSource);
    const processor = new EndOfCallProcessor(ownSqlPort({ sqlite: db }), loadCallChecks(path.join(FLOWS_DIR, 'qa/call-checks.json')), 'k'.repeat(64));
    db.prepare(
      `INSERT INTO work_items (type, status, priority, call_id, source_seq, caller_number, desk, assignee, rule, created_at, due_at, updated_at, parent_id, callback_flow_id, outbound_call_id)
       VALUES ('callback', 'in-progress', 'normal', 'call-1', -7, '13800000005', 'back-office', 'agent-1', 'scheduled-callback', 't0', 't1', 't0', 1, 'bill-inquiry', 'out-1')`,
    ).run();
    const { id } = db.prepare(`SELECT MAX(id) AS id FROM work_items`).get() as { id: number };
    const traces: CallTrace[] = [];
    const run = async (callId: string, status: CallTrace['status']) => {
      const t = trace([entry(1, { final: true })], { callId, status, outcome: status === 'completed' ? 'completed' : null, callback: { workItemId: id } });
      traces.push(t);
      db.prepare(`INSERT INTO call_outbox (call_id, trace, created_at) VALUES (?, ?, ?)`).run(callId, JSON.stringify(t), t.startedAt);
      await processor.processBatch(10);
    };
    const item = () => db.prepare(`SELECT status, resolved_at IS NOT NULL AS resolved FROM work_items WHERE id = ?`).get(id);
    const notes = () =>
      (db.prepare(`SELECT action, to_status, note FROM work_item_history WHERE item_id = ? ORDER BY id`).all(id) as { note: string }[]).map((h) =>
        Object.values(h).join(' '),
      );

    // Another call naming the item (not the one linked to it) settles nothing.
    await run('someone-else', 'completed');
    expect(item()).toEqual({ status: 'in-progress', resolved: 0 });
    await run('out-1', 'abandoned');
    expect(item()).toEqual({ status: 'in-progress', resolved: 0 });
    db.prepare(`UPDATE work_items SET outbound_call_id = 'out-2' WHERE id = ?`).run(id);
    await run('out-2', 'completed');
    // Every call processed again (a crash after commit): nothing settles twice.
    for (const t of traces) db.prepare(`UPDATE call_outbox SET processed_at = NULL, trace = ? WHERE call_id = ?`).run(JSON.stringify(t), t.callId);
    expect(await processor.processBatch(10)).toBe(3);
    expect(item()).toEqual({ status: 'resolved', resolved: 1 });
    expect(notes()).toEqual(['called in-progress outbound call out-1 did not complete: call again', 'status resolved called back on call out-2: completed']);
  });
});
