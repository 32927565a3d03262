// The queries timed in docs/PERFORMANCE.md, "History-scale reads" (as the services send them, aliases
// included): node bench/history-scale-time.cjs <seeded file> bench/history-scale-queries.cjs
const now = new Date().toISOString();
const P = `CASE WHEN w.priority = 'high' THEN 0 ELSE 1 END`;
const OVER = `w.status IN ('open', 'in-progress') AND w.due_at < ?`;
const ONE_ASSIGNEE = `(SELECT assignee FROM work_items WHERE assignee IS NOT NULL LIMIT 1)`;
const nums = Array.from({ length: 2000 }, (_, i) => '1380000' + String((i * 31) % 150000).padStart(4, '0'));
module.exports = [
  [
    'work items, done=true, one sort (before)',
    `SELECT w.* FROM work_items w ORDER BY CASE WHEN ${OVER} THEN 0 ELSE 1 END, ${P}, w.due_at, w.id LIMIT 200`,
    [now],
  ],
  [
    'work items, desk, done=true, one sort (before)',
    `SELECT w.* FROM work_items w WHERE w.desk = ? ORDER BY CASE WHEN ${OVER} THEN 0 ELSE 1 END, ${P}, w.due_at, w.id LIMIT 200`,
    ['billing', now],
  ],
  [
    'work items, team, overdue',
    `SELECT w.* FROM work_items w WHERE ${OVER} ORDER BY CASE WHEN ${OVER} THEN 0 ELSE 1 END, ${P}, w.due_at, w.id LIMIT 200`,
    [now, now],
  ],
  ['work items, team, the rest', `SELECT w.* FROM work_items w WHERE NOT (${OVER}) ORDER BY ${P}, w.due_at, w.id LIMIT 200`, [now]],
  [
    'work items, desk, overdue',
    `SELECT w.* FROM work_items w WHERE w.desk = ? AND ${OVER} ORDER BY CASE WHEN ${OVER} THEN 0 ELSE 1 END, ${P}, w.due_at, w.id LIMIT 200`,
    ['billing', now, now],
  ],
  ['work items, desk, the rest', `SELECT w.* FROM work_items w WHERE w.desk = ? AND NOT (${OVER}) ORDER BY ${P}, w.due_at, w.id LIMIT 200`, ['billing', now]],
  [
    'work items, mine, the rest',
    `SELECT w.* FROM work_items w WHERE w.assignee = ${ONE_ASSIGNEE} AND NOT (${OVER}) ORDER BY ${P}, w.due_at, w.id LIMIT 200`,
    [now],
  ],
  ['step flags of a flow', `SELECT * FROM step_flags WHERE flow_id = ? ORDER BY id`, ['top-up']],
  ['training calls, everyone', `SELECT * FROM training_calls ORDER BY started_at DESC`, []],
  ['my scorecards', `SELECT * FROM scorecards WHERE agent_id = (SELECT agent_id FROM scorecards LIMIT 1) ORDER BY updated_at DESC`, []],
  ['profile reads, newest 5,000', `SELECT * FROM profile_reads ORDER BY id DESC LIMIT 5000`, []],
  [
    'profile reads: their numbers’ calls (2,000 numbers)',
    `SELECT agent_id, caller_number, started_at, ended_at FROM calls WHERE caller_number IN (${nums.map(() => '?').join(',')})`,
    nums,
  ],
];
