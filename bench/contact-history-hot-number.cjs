/* eslint-disable no-console */
// The screen pop's contact history for a number that calls all day (an auto-dialler, a prank caller):
// node bench/contact-history-hot-number.cjs <file.sqlite> [--before] — on a migrated laihua.sqlite (boot
// the server once on a temp DATA_DIR). Adds HOT (50,000) ended calls of one number inside the 90 days the
// history looks at, among OTHERS (450,000) of other numbers, then times the history's query (median of
// 7) with EXPLAIN QUERY PLAN. --before: with the index as it was before migration 1765770000000 (the
// number alone) in place of idx_calls_caller_started (docs/PERFORMANCE.md, twentieth session).
const Database = require('better-sqlite3');
const db = new Database(process.argv[2]);
const HOT = +process.env.HOT || 50000;
const OTHERS = +process.env.OTHERS || 450000;
const NUMBER = '13900000000';
const now = Date.parse('2026-12-01T00:00:00Z');
const iso = (ms) => new Date(ms).toISOString();
if (!db.prepare(`SELECT 1 FROM calls WHERE caller_number = ? LIMIT 1`).get(NUMBER)) {
  db.pragma('synchronous = OFF');
  const ins = db.prepare(
    `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, outcome, outcome_detail, state, seq, started_at, updated_at, ended_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const span = 89 * 86400000;
  db.transaction(() => {
    for (let i = 0; i < HOT + OTHERS; i++) {
      const hot = i % Math.round((HOT + OTHERS) / HOT) === 0;
      const s = now - span + Math.floor((i * span) / (HOT + OTHERS));
      const detail = JSON.stringify({ businesses: [{ flowId: 'bill-inquiry', outcome: 'resolved' }] });
      ins.run(
        `hot-${i}`,
        'bill-inquiry',
        1,
        'a',
        hot ? NUMBER : '138' + String(i).padStart(8, '0'),
        'completed',
        'resolved',
        detail,
        'done',
        5,
        iso(s),
        iso(s + 300000),
        iso(s + 300000),
      );
    }
  })();
}
if (process.argv.includes('--before')) {
  db.exec(`DROP INDEX IF EXISTS idx_calls_caller_started; CREATE INDEX IF NOT EXISTS idx_calls_caller_number ON calls (caller_number)`);
}
// src/customers/contact-history.service.ts, recentEndedCalls (TypeORM selects every column).
const sql = `SELECT * FROM calls c WHERE c.caller_number = ? AND c.ended_at IS NOT NULL AND c.started_at >= ?
  AND NOT EXISTS (SELECT 1 FROM training_calls t WHERE t.call_id = c.id) ORDER BY c.started_at DESC LIMIT 5`;
const params = [NUMBER, iso(now - 90 * 86400000)];
const st = db.prepare(sql);
const ms = [];
let rows = 0;
for (let i = 0; i < 7; i++) {
  const t = process.hrtime.bigint();
  rows = st.all(...params).length;
  ms.push(Number(process.hrtime.bigint() - t) / 1e6);
}
ms.sort((a, b) => a - b);
const calls = db.prepare(`SELECT COUNT(*) FROM calls WHERE caller_number = ?`).pluck().get(NUMBER);
console.log(`contact history of a number with ${calls} calls: median ${ms[3].toFixed(3)} ms, ${rows} rows`);
console.log(
  `  plan: ${db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail)
    .join(' | ')}`,
);
