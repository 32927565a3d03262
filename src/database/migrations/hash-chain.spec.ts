import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { chainEvents, verifyChain } from '../../decision-log/hash-chain';
import { SqliteDecisionLog } from '../../decision-log/sqlite-decision-log';
import type { LoggedEvent } from '../../decision-log/decision-log';
import { callRecord, loggedEvent } from '../../testing/log-records';
import { openTestDatabase } from '../../testing/sqlite-data-source';
import { ENTITIES, MIGRATIONS } from '../../testing/schema';
import { HashChain1764230400000 } from './1764230400000-hash-chain';

const event = (callId: string, seq: number): LoggedEvent =>
  loggedEvent(callId, seq, {
    payload: { option: 'x', input: { b: 2, a: [1, 'é'] }, n: seq },
    flowIdAfter: seq === 1 ? null : 'f',
    flowVersionAfter: seq === 1 ? null : 1,
    at: `2026-11-23T08:00:0${seq}.000Z`,
  });

describe('migration HashChain1764230400000', () => {
  it('chains the events logged before it, per call in seq order, and keeps the log append-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-spec-'));
    const before = new DataSource({
      type: 'better-sqlite3',
      database: path.join(dir, 'laihua.sqlite'),
      entities: [],
      migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(HashChain1764230400000)),
      migrationsRun: true,
    });
    await before.initialize();
    for (const callId of ['c2', 'c1']) {
      await before.query(
        `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, state, seq, started_at, updated_at)
        VALUES (?, 'f', 1, 'a', '13800000001', 'active', 's3', 3, 'x', 'x')`,
        [callId],
      );
    }
    // Inserted out of order: the backfill must follow seq within each call.
    for (const [callId, seq] of [
      ['c1', 2],
      ['c2', 1],
      ['c1', 1],
      ['c1', 3],
      ['c2', 2],
    ] as const) {
      const e = event(callId, seq);
      await before.query(
        `INSERT INTO call_events (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          e.callId,
          e.seq,
          e.type,
          JSON.stringify(e.payload),
          e.agentId,
          e.flowId,
          e.flowVersion,
          e.stateBefore,
          e.flowIdAfter,
          e.flowVersionAfter,
          e.stateAfter,
          e.at,
        ],
      );
    }
    await before.destroy();

    const { dataSource } = await openTestDatabase(dir);
    try {
      expect(ENTITIES.length).toBeGreaterThan(0);
      const log = new SqliteDecisionLog(dataSource);
      const c1 = await log.events('c1');
      expect(c1).toEqual(chainEvents([1, 2, 3].map((seq) => event('c1', seq))));
      expect(verifyChain(c1)).toEqual({ intact: true, brokenAt: null });
      expect(verifyChain(await log.events('c2'))).toEqual({ intact: true, brokenAt: null });
      // New appends continue the backfilled chain.
      await log.append(event('c1', 4), callRecord('c1', 4, { startedAt: 'x', updatedAt: 'x' }));
      expect(verifyChain(await log.events('c1')).intact).toBe(true);
      await expect(dataSource.query(`UPDATE call_events SET hash = 'x'`)).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM call_events`)).rejects.toThrow(/append-only/);
      const triggers = await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'call_events' ORDER BY name`);
      expect(triggers.map((t: { name: string }) => t.name)).toEqual(['call_events_no_delete', 'call_events_no_update']);
    } finally {
      await dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
