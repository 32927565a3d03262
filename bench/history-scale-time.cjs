/* eslint-disable no-console */
// Times SQL on a seeded copy: node bench/history-scale-time.cjs <file.sqlite> <queries.js> — queries.js exports [[name, sql, params], …];
// prints the median of five runs and EXPLAIN QUERY PLAN (docs/PERFORMANCE.md, "History-scale reads").
const Database = require('better-sqlite3');
const db = new Database(process.argv[2], { readonly: true });
const qs = require(process.argv[3]);
for (const [name, sql, params] of qs) {
  const st = db.prepare(sql);
  const plan = db
    .prepare('EXPLAIN QUERY PLAN ' + sql)
    .all(...params)
    .map((r) => r.detail)
    .join(' | ');
  const ts = [];
  let n;
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    n = st.all(...params).length;
    ts.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ts.sort((a, b) => a - b);
  console.log(`${name}: median ${ts[2].toFixed(2)} ms, rows ${n}\n   plan: ${plan}`);
}
