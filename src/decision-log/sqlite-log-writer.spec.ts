import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { verifyChain } from './hash-chain';
import { readEvents } from './log-rows';
import { logRow, SqliteLogWriter } from './sqlite-log-writer';

describe('logRow: what an append sends to the writer', () => {
  it("carries the call's summary with its first event and once it is no longer active, and only then", () => {
    expect(logRow(loggedEvent('c', 1), callRecord('c', 1), undefined)).toEqual({ event: loggedEvent('c', 1), call: callRecord('c', 1) });
    const midCall = logRow(loggedEvent('c', 2), callRecord('c', 2), undefined);
    expect(midCall).toEqual({ event: loggedEvent('c', 2) });
    expect(Object.keys(midCall)).toEqual(['event']);
    const ended = callRecord('c', 3, { status: 'completed', outcome: 'done' });
    expect(logRow(loggedEvent('c', 3), ended, '{"trace":1}')).toEqual({ event: loggedEvent('c', 3), call: ended, outbox: '{"trace":1}' });
  });
});

describe('SqliteLogWriter given rows without the summary', () => {
  let dataSource: DataSource;
  let writer: SqliteLogWriter;
  const row = async () => (await dataSource.query(`SELECT status, seq, state FROM calls WHERE id = 'w'`))[0];

  beforeEach(async () => {
    ({ dataSource } = await openTestDatabase());
    writer = new SqliteLogWriter(sqliteHandle(dataSource));
  });
  afterEach(() => dataSource.destroy());

  it("chains a call's events from its cached head, leaves its row alone while it goes on, and writes it in full at its end", async () => {
    const rows = [1, 2, 3].map((seq) => logRow(loggedEvent('w', seq), callRecord('w', seq), undefined));
    expect(writer.write([rows[0]])).toEqual([{ ok: true }]);
    // Two events without the summary, one of them in the same batch as the next: linked in order.
    expect(writer.write([rows[1], rows[2]])).toEqual([{ ok: true }, { ok: true }]);
    expect(await row()).toEqual({ status: 'active', seq: 1, state: 's1' });
    const ended = callRecord('w', 4, { status: 'completed', outcome: 'done', endedAt: '2026-11-23T08:00:04.000Z' });
    expect(writer.write([logRow(loggedEvent('w', 4), ended, '{}')])).toEqual([{ ok: true }]);
    expect(await row()).toEqual({ status: 'completed', seq: 4, state: 's4' });
    const events = await readEvents(dataSource, 'w');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(verifyChain(events)).toEqual({ intact: true, brokenAt: null });
  });

  it('refuses an event without the summary whose call has no row (the foreign key), and commits the rest of its batch', () => {
    const orphan = logRow(loggedEvent('none', 2), callRecord('none', 2), undefined);
    const results = writer.write([logRow(loggedEvent('w', 1), callRecord('w', 1), undefined), orphan]);
    expect(results[0]).toEqual({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
  });
});
