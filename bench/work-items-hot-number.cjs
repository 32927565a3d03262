/* eslint-disable no-console */
// The screen pop's work items for a number raised thousands of them (an auto-dialler's, a switchboard's):
// node bench/work-items-hot-number.cjs <file.sqlite> [--before] — on a migrated laihua.sqlite (boot the
// server once on a temp DATA_DIR). Adds HOT (50,000) items of one number, nearly all finished long ago, a
// few still to do and a few finished in the 7-day window, among OTHERS (450,000) of other numbers, then
// times the screen pop's reads (median of 7) with EXPLAIN QUERY PLAN. --before: the one read and the index
// as they were before migration 1765780000000 (number, status) (docs/PERFORMANCE.md, 21st session).
const Database = require('better-sqlite3');
const db = new Database(process.argv[2]);
const before = process.argv.includes('--before');
const HOT = +process.env.HOT || 50000;
const OTHERS = +process.env.OTHERS || 450000;
const NUMBER = '13900000000';
const now = Date.now();
const HOUR = 3600000;
const iso = (ms) => new Date(ms).toISOString();
if (!db.prepare(`SELECT 1 FROM work_items WHERE caller_number = ? LIMIT 1`).get(NUMBER)) {
  db.pragma('synchronous = OFF');
  const ins = db.prepare(
    `INSERT INTO work_items (type, status, priority, call_id, source_seq, caller_number, desk, rule, created_at, due_at, updated_at, resolved_at)
     VALUES ('follow-up', ?, 'normal', ?, 1, ?, 'back-office', 'default', ?, ?, ?, ?)`,
  );
  const every = Math.round((HOT + OTHERS) / HOT);
  db.transaction(() => {
    for (let i = 0; i < HOT + OTHERS; i++) {
      const hot = i % every === 0;
      // A year of items, oldest first; the newest few of the hot number still to do.
      const created = now - 365 * 24 * HOUR + Math.floor((i * 365 * 24 * HOUR) / (HOT + OTHERS));
      const status = hot && i > HOT + OTHERS - 10 * every ? 'open' : i % 2 ? 'resolved' : 'closed';
      const updated = status === 'open' ? created : created + 2 * HOUR;
      ins.run(
        status,
        `c-${i}`,
        hot ? NUMBER : '138' + String(i).padStart(8, '0'),
        iso(created),
        iso(created + 48 * HOUR),
        iso(updated),
        status === 'open' ? null : iso(updated),
      );
    }
  })();
}
if (before) {
  db.exec(`DROP INDEX IF EXISTS idx_work_items_caller_updated; CREATE INDEX IF NOT EXISTS idx_work_items_caller ON work_items (caller_number, status)`);
}
const since = iso(now - 7 * 24 * HOUR);
// src/work-items/work-items.service.ts, forCaller (TypeORM selects every column).
const reads = before
  ? [
      [
        `SELECT * FROM work_items w WHERE w.caller_number = ? AND (w.status IN ('open', 'in-progress') OR w.updated_at >= ?)
         ORDER BY CASE WHEN w.status IN ('open', 'in-progress') THEN 0 ELSE 1 END ASC, w.due_at ASC LIMIT 20`,
        [NUMBER, since],
      ],
    ]
  : [
      [`SELECT * FROM work_items w WHERE w.caller_number = ? AND w.status IN ('open', 'in-progress') ORDER BY w.due_at ASC, w.id ASC LIMIT 20`, [NUMBER]],
      [
        `SELECT * FROM work_items w WHERE w.caller_number = ? AND w.status IN ('resolved', 'closed') AND w.updated_at >= ? ORDER BY w.due_at ASC, w.id ASC LIMIT ?`,
        [NUMBER, since],
      ],
    ];
const statements = reads.map(([sql]) => db.prepare(sql));
const ms = [];
let rows = 0;
for (let i = 0; i < 7; i++) {
  const t = process.hrtime.bigint();
  // The finished ones fill what the backlog left of the 20.
  rows = statements.reduce((n, st, j) => n + st.all(...reads[j][1], ...(j ? [20 - n] : [])).length, 0);
  ms.push(Number(process.hrtime.bigint() - t) / 1e6);
}
ms.sort((a, b) => a - b);
const items = db.prepare(`SELECT COUNT(*) FROM work_items WHERE caller_number = ?`).pluck().get(NUMBER);
console.log(`work items of a number with ${items} items (${before ? 'before' : 'after'}): median ${ms[3].toFixed(3)} ms, ${rows} rows`);
for (const [sql, params] of reads) {
  console.log(
    `  plan: ${db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params, ...(sql.includes('LIMIT ?') ? [20] : []))
      .map((r) => r.detail)
      .join(' | ')}`,
  );
}
