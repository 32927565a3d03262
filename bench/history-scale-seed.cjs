/* eslint-disable no-console */
// Seeds a migrated laihua.sqlite (boot the server once on a temp DATA_DIR) with a year of history:
// node bench/history-scale-seed.cjs <file.sqlite>; CALLS, WI, SF, TC, SC, PR set the row counts
// (calls 500,000, work items 300,000, step flags 60,000, training calls 20,000, scorecards 30,000,
// profile reads 200,000). No ANALYZE: the server never runs it (docs/PERFORMANCE.md, "History-scale reads").
const Database = require('better-sqlite3');
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
const N = +process.env.CALLS || 500000,
  WI = +process.env.WI || 300000;
const t0 = Date.parse('2025-12-01T00:00:00Z'),
  span = 365 * 86400000;
const agents = db.prepare('select id from users').pluck().all();
const num = (i) => '1380000' + String(i).padStart(4, '0');
const iso = (ms) => new Date(ms).toISOString();
const ins = db.prepare(
  `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, outcome, outcome_detail, state, seq, started_at, updated_at, ended_at, erased_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
);
const flows = ['bill-inquiry', 'plan-change', 'top-up', 'data-fault', 'complaint', 'vas-subscribe'];
db.transaction(() => {
  for (let i = 0; i < N; i++) {
    const s = t0 + Math.floor((i * span) / N);
    const e = s + 300000;
    ins.run(
      'c' + String(i).padStart(8, '0'),
      flows[i % 6],
      2,
      agents[i % agents.length],
      num((i * 7919) % 150000),
      'completed',
      'resolved',
      '{}',
      '"done"',
      10,
      iso(s),
      iso(e),
      iso(e),
      i < N * 0.3 ? iso(e + 86400000 * 90) : null,
    );
  }
})();
const wi = db.prepare(
  `INSERT INTO work_items (type,status,priority,call_id,source_seq,flow_id,step_id,business,caller_number,customer_tier,receipt_id,desk,assignee,rule,created_at,due_at,updated_at,resolved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
);
const desks = ['billing', 'tech', 'retention', 'general'];
db.transaction(() => {
  for (let i = 0; i < WI; i++) {
    const s = t0 + Math.floor((i * span) / WI);
    const open = i > WI - 2000;
    wi.run(
      'callback',
      open ? 'open' : 'resolved',
      i % 5 ? 'normal' : 'high',
      'c' + String(i % N).padStart(8, '0'),
      i,
      flows[i % 6],
      'step' + (i % 20),
      flows[i % 6],
      num(i % 150000),
      'gold',
      null,
      desks[i % 4],
      agents[i % agents.length],
      'r',
      iso(s),
      iso(s + 86400000),
      iso(s + 3600000),
      open ? null : iso(s + 3600000),
    );
  }
})();
const sf = db.prepare(`INSERT INTO step_flags (source,flow_id,flow_version,step_id,reason,text,call_id,call_seq,actor,at) VALUES (?,?,?,?,?,?,?,?,?,?)`);
const SF = +process.env.SF || 60000;
db.transaction(() => {
  for (let i = 0; i < SF; i++)
    sf.run(
      'agent',
      flows[i % 6],
      2,
      'step' + (i % 20),
      'unclear',
      'the script does not match what the caller asked about',
      'c' + String(i * 7).padStart(8, '0'),
      3,
      agents[0],
      iso(t0 + Math.floor((i * span) / SF)),
    );
})();
const tc = db.prepare(`INSERT INTO training_calls (call_id,trainee_id,flow_id,scenario_id,started_at,ended_at,score,passed,detail) VALUES (?,?,?,?,?,?,?,?,?)`);
const TC = +process.env.TC || 20000;
db.transaction(() => {
  for (let i = 0; i < TC; i++)
    tc.run(
      't' + i,
      agents[i % agents.length],
      flows[i % 6],
      's1',
      iso(t0 + Math.floor((i * span) / TC)),
      iso(t0 + Math.floor((i * span) / TC) + 60000),
      0.9,
      1,
      '{"followed":true}',
    );
})();
const sc = db.prepare(
  `INSERT INTO scorecards (id,call_id,agent_id,reviewer,form_version,marks,score,total,comment,revision,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
);
const SC = +process.env.SC || 30000;
db.transaction(() => {
  for (let i = 0; i < SC; i++) {
    const at = iso(t0 + Math.floor((i * span) / SC));
    sc.run('s' + i, 'c' + String(i * 13).padStart(8, '0'), agents[i % agents.length], 'qa1', 1, '{}', '{}', 80, null, 1, at, at);
  }
})();
const pr = db.prepare(`INSERT INTO profile_reads (at,user_id,username,role,msisdn,with_call) VALUES (?,?,?,?,?,?)`);
const PR = +process.env.PR || 200000;
db.transaction(() => {
  for (let i = 0; i < PR; i++)
    pr.run(iso(t0 + Math.floor((i * span) / PR)), agents[i % agents.length], 'agent1', 'agent', num((i * 31) % 150000), i % 10 ? 1 : 0);
})();
db.pragma('wal_checkpoint(TRUNCATE)');
console.log('agents', agents.length, db.prepare('select count(*) from calls').pluck().get());
