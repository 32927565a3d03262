import Database from 'better-sqlite3';
import { ownSqlPort } from '../common/sql-port';
import { SatisfactionTableReader } from './satisfaction-source';

/** The satisfaction port over a real SQLite database: no table → no rows; the table → replies per group under the metrics filter. */
describe('satisfaction replies through the port', () => {
  const db = new Database(':memory:');
  const sql = ownSqlPort({ sqlite: db });
  db.exec(
    `CREATE TABLE metric_calls (call_id text PRIMARY KEY, day text, region text, flow_id text, flow_version integer, agent_id text, brand text, tier text)`,
  );
  db.exec(`INSERT INTO metric_calls VALUES ('c1', '2026-11-01', '北京', 'bill-inquiry', 1, 'a1', 'gotone', 'gold'),
    ('c2', '2026-11-02', '北京', 'suspend-service', 1, 'a1', 'gotone', 'gold'), ('c3', '2026-12-01', '上海', 'bill-inquiry', 1, 'a2', 'easyown', 'standard')`);
  const region = ['m.region AS "k0", ', ' GROUP BY m.region'] as const;

  it('without a satisfaction_replies table: no rows (the indicators show "no data")', async () => {
    expect(await new SatisfactionTableReader().figures(sql, {}, ...region)).toEqual([]);
  });

  it('with the table: replies, score sum on 0–100 (score × 20), replies scoring 4 or 5 — per group, filtered like the metrics', async () => {
    const reader = new SatisfactionTableReader();
    db.exec(`CREATE TABLE satisfaction_replies (id integer PRIMARY KEY, call_id text, rating integer)`);
    db.exec(`INSERT INTO satisfaction_replies (call_id, rating) VALUES ('c1', 5), ('c2', 3), ('c3', 4), ('c3', NULL), ('nope', 1)`);
    expect(await reader.figures(sql, {}, ...region)).toEqual([
      { k0: '上海', replies: 1, scoreSum: 80, satisfied: 1 },
      { k0: '北京', replies: 2, scoreSum: 160, satisfied: 1 },
    ]);
    expect(await reader.figures(sql, { from: '2026-11-02', flowId: 'suspend-service' }, '', '')).toEqual([{ replies: 1, scoreSum: 60, satisfied: 0 }]);
  });

  it('a table of another shape: no rows, not an error', async () => {
    const other = new Database(':memory:');
    other.exec(`CREATE TABLE metric_calls (call_id text, day text, region text)`);
    other.exec(`CREATE TABLE satisfaction_replies (call_id text, rating text)`);
    expect(await new SatisfactionTableReader().figures(ownSqlPort({ sqlite: other }), {}, ...region)).toEqual([]);
  });
});
