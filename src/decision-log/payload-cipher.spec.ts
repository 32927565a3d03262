import type { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { sqliteHandle } from '../common/sqlite-handle';
import { sqlPort } from '../common/sql-port';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { chainEvents, GENESIS, hashEvent, verifyChain } from './hash-chain';
import { readEventsPage } from './log-rows';
import { newCallKey, openPayload, SEALED, sealedOf, sealPayload } from './payload-cipher';
import { SqliteDecisionLog } from './sqlite-decision-log';

describe('payload cipher', () => {
  const key = newCallKey();
  const payload = { customer: { name: '张三', msisdn: '13800000001' }, digits: '1234' };

  it('opens what it sealed, and the sealed form shows nothing of the payload', () => {
    const sealed = sealPayload(key, 'c1', 3, payload);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('13800000001');
    expect(openPayload(key, 'c1', 3, sealed)).toEqual(payload);
    // A fresh IV each time: the same payload never seals the same.
    expect(sealPayload(key, 'c1', 3, payload)).not.toBe(sealed);
  });

  it("every IV differs, across the pool's refills (GCM must never reuse one under a key)", () => {
    const key = newCallKey();
    const ivs = new Set<string>();
    for (let seq = 1; seq <= 10_000; seq++) ivs.add(sealPayload(key, 'call-iv', seq, { seq }).split('.')[1]);
    expect(ivs.size).toBe(10_000);
    for (const iv of ivs) expect(Buffer.from(iv, 'base64url').length).toBe(12);
  });

  it('refuses an altered ciphertext, another key, and a ciphertext moved to another event', () => {
    const sealed = sealPayload(key, 'c1', 3, payload);
    const [v, iv, body] = sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 1;
    expect(() => openPayload(key, 'c1', 3, `${v}.${iv}.${bytes.toString('base64url')}`)).toThrow(/does not decrypt/);
    expect(() => openPayload(newCallKey(), 'c1', 3, sealed)).toThrow(/does not decrypt/);
    expect(() => openPayload(key, 'c1', 4, sealed)).toThrow(/does not decrypt/);
    expect(() => openPayload(key, 'c2', 3, sealed)).toThrow(/does not decrypt/);
    expect(() => openPayload(key, 'c1', 3, 'v9.x.y')).toThrow(/no known format/);
  });

  it('an event read with a sealed payload hashes as stored: the same hash with the ciphertext in place of the payload', () => {
    const event = loggedEvent('c1', 1);
    const sealed = sealPayload(key, 'c1', 1, event.payload);
    const read = { ...event, [SEALED]: sealed };
    expect(sealedOf({ ...read })).toBe(sealed); // spreads keep it
    expect(JSON.stringify(read)).toBe(JSON.stringify(event)); // JSON never shows it
    expect(hashEvent(GENESIS, read)).toBe(hashEvent(GENESIS, { ...event, payload: sealed as never }));
    expect(hashEvent(GENESIS, read)).not.toBe(hashEvent(GENESIS, event));
  });
});

describe('the log stores payloads sealed (SQLite)', () => {
  let dataSource: DataSource;
  let log: SqliteDecisionLog;
  beforeEach(async () => {
    ({ dataSource } = await openTestDatabase());
    log = new SqliteDecisionLog(dataSource);
  });
  afterEach(() => dataSource.destroy());

  const ended = (id: string, seq: number) => ({ ...callRecord(id, seq), status: 'completed' as const, outcome: 'done', endedAt: '2026-11-20T10:00:02.000Z' });
  const withName = (id: string, seq: number) => ({ ...loggedEvent(id, seq), payload: { customer: { name: '李雷' }, n: seq } });

  it('one key per call, written with its first event; payloads stored as ciphertext; read back in clear; chain intact with and without the key', async () => {
    await log.append(withName('c1', 1), callRecord('c1', 1));
    await log.append(withName('c1', 2), ended('c1', 2));
    const db = sqliteHandle(dataSource);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM call_keys WHERE call_id = 'c1' AND key IS NOT NULL`).get()).toEqual({ n: 1 });
    const raw = db.prepare(`SELECT payload FROM call_events WHERE call_id = 'c1'`).all() as { payload: string }[];
    expect(raw.map((r) => r.payload).join()).not.toContain('李雷');
    const events = await log.events('c1');
    expect(events.map((e) => e.payload)).toEqual([withName('c1', 1).payload, withName('c1', 2).payload]);
    expect(verifyChain(events)).toEqual({ intact: true, brokenAt: null });
    // The offline verifier reads the rows as stored (no key).
    const stored = await readEventsPage(sqlPort(dataSource), '', 10);
    expect(typeof stored[0].payload).toBe('string');
    expect(verifyChain(stored)).toEqual({ intact: true, brokenAt: null });
  });

  it('rows written in clear before encryption still read and verify beside sealed ones', async () => {
    const clear = chainEvents([loggedEvent('old', 1), loggedEvent('old', 2)]);
    const db = sqliteHandle(dataSource);
    db.prepare(
      `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, state, seq, started_at, updated_at) VALUES ('old', 'f', 1, 'a', '13800000001', 'active', 's2', 2, '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z')`,
    ).run();
    for (const e of clear) {
      db.prepare(
        `INSERT INTO call_events (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
        e.prevHash,
        e.hash,
      );
    }
    // The call goes on after the upgrade: its next events are sealed under a key made then.
    await log.append(loggedEvent('old', 3), callRecord('old', 3));
    const events = await log.events('old');
    expect(events.slice(0, 2)).toEqual(clear);
    expect(events[2].payload).toEqual(loggedEvent('old', 3).payload);
    expect(sealedOf(events[2])).toBeDefined();
    expect(verifyChain(events)).toEqual({ intact: true, brokenAt: null });
    expect(verifyChain(await readEventsPage(sqlPort(dataSource), '', 10))).toEqual({ intact: true, brokenAt: null });
  });

  it('a tampered ciphertext is refused on read and breaks the chain as stored', async () => {
    await log.append(withName('t', 1), callRecord('t', 1));
    const db = sqliteHandle(dataSource);
    const { payload } = db.prepare(`SELECT payload FROM call_events WHERE call_id = 't'`).get() as { payload: string };
    const sealed = JSON.parse(payload) as string;
    // The third character from the end always carries ciphertext bits (the last may be padding bits).
    const tampered = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(tampered).not.toBe(sealed);
    // Someone with the file: the append-only triggers dropped first.
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'call_events'`).all() as { name: string }[]) {
      db.prepare(`DROP TRIGGER "${name}"`).run();
    }
    db.prepare(`UPDATE call_events SET payload = ? WHERE call_id = 't'`).run(JSON.stringify(tampered));
    await expect(log.events('t')).rejects.toThrow(/does not decrypt/);
    expect(verifyChain(await readEventsPage(sqlPort(dataSource), '', 10)).intact).toBe(false);
  });

  it('a call whose key is destroyed answers CALL_ERASED; its chain as stored still verifies', async () => {
    await log.append(withName('e', 1), callRecord('e', 1));
    await log.append(withName('e', 2), ended('e', 2));
    sqliteHandle(dataSource).prepare(`UPDATE call_keys SET key = NULL, erased_at = '2026-12-01T00:00:00.000Z' WHERE call_id = 'e'`).run();
    const refused = await log.events('e').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'CALL_ERASED', details: { callId: 'e', erasedAt: '2026-12-01T00:00:00.000Z' } });
    expect(await log.erasedAt('e')).toBe('2026-12-01T00:00:00.000Z');
    await expect(log.callLogs(['e'])).rejects.toMatchObject({ code: 'CALL_ERASED' });
    expect(verifyChain(await readEventsPage(sqlPort(dataSource), '', 10))).toEqual({ intact: true, brokenAt: null });
  });
});
