#!/usr/bin/env node
// Metrics at scale: generates N ended calls' metric facts and rollups (default 1,000,000) into a
// SQLite file with the server's own schema (the built migrations) and writer (dist/metrics), then
// times each dashboard query (dist/metrics/metrics-queries.js) — median of several runs.
//
//   npx nest build && node bench/metrics-1m.mjs                 # 1,000,000 calls, 7 runs per query
//   node bench/metrics-1m.mjs --calls 50000 --runs 5 --keep     # smaller; keep the file
//   node bench/metrics-1m.mjs --db /tmp/metrics.sqlite --reuse  # time queries on an existing file
//   --single N   the last N calls are written one transaction each, as the server does (default 2000): writer cost per ended call
//   --single-batch B   … B calls per transaction instead of one (the end-of-call worker takes up to END_OF_CALL_BATCH at a time)
//   --skip-queries  only generate (and report the writer's cost)
//   --dist DIR   the built server to use (default ./dist), e.g. a build of an older commit to compare
//
// The facts are synthetic (no timelines are replayed): one year of calls over 60 agents in 8
// regions, 8 flows (two versions each, v2 from day 200), 3 brands, 4 tiers, 400,000 callers (so
// repeat calls exist), ~10 step visits per business, W waits, F failures, abandoned calls, offers.
// Also the evaluation model's queries (scores per grouping — the quadrant reads "by business" —, other
// needs), the satisfaction report over survey replies for 1 call in 10, the redesign backlog's numbers.
// See docs/PERFORMANCE.md § "Metrics over 1 million calls".

import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { callFacts, STEPS } from './lib/synthetic-facts.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
};
const flag = (name) => process.argv.includes(`--${name}`);
const CALLS = Number(arg('calls', 1_000_000));
const RUNS = Number(arg('runs', 7));
const BATCH = 2000;
const SINGLE = Math.min(CALLS, Number(arg('single', 2000)));
/** Calls per transaction on the server's path (the end-of-call worker's END_OF_CALL_BATCH under load; 1 when calls end one at a time). */
const SINGLE_BATCH = Number(arg('single-batch', 1));
const DIST = path.resolve(arg('dist', path.join(ROOT, 'dist')));

// The schema's migrations: database/migrations/index.js (older builds exported them from database/schema.js or database.module.js).
const SCHEMA =
  ['database/migrations/index.js', 'database/schema.js', 'database/database.module.js'].find((f) => existsSync(path.join(DIST, f))) ??
  'database/migrations/index.js';
for (const f of [SCHEMA, 'metrics/metrics-writer.js', 'metrics/metrics-queries.js', 'common/sql-port.js', 'evaluation/evaluation-queries.js']) {
  if (!existsSync(path.join(DIST, f))) throw new Error(`${DIST}/${f} missing: run \`npx nest build\` first`);
}
const Database = require('better-sqlite3');
const { DataSource } = require('typeorm');
const { MIGRATIONS } = require(path.join(DIST, SCHEMA));
const { MetricsWriter } = require(path.join(DIST, 'metrics/metrics-writer.js'));
const { MetricsQueries } = require(path.join(DIST, 'metrics/metrics-queries.js'));
// The writer and the queries take a SqlPort (both stores); builds older than it took the better-sqlite3 handle itself.
const { ownSqlPort } = require(path.join(DIST, 'common/sql-port.js'));
// The evaluation model's queries (src/evaluation): one query per source per grouping; survey replies for 1 call in 10 (addSurveyReplies).
const { EvaluationQueries } = require(path.join(DIST, 'evaluation/evaluation-queries.js'));
const { SatisfactionTableReader } = require(path.join(DIST, 'evaluation/satisfaction-source.js'));
// The satisfaction report (src/satisfaction) and the redesign backlog's numbers (src/redesign), where the build has them.
const optional = (f) => (existsSync(path.join(DIST, f)) ? require(path.join(DIST, f)) : {});
const { SatisfactionQueries } = optional('satisfaction/satisfaction-queries.js');
const { satisfactionBackfill } = optional('metrics/satisfaction-rollups.js');
const { backlogNumbers } = optional('redesign/backlog-numbers.js');
const portOf = (db) => ownSqlPort({ sqlite: db });

const dir = arg('db', null) ? null : mkdtempSync(path.join(tmpdir(), 'laihua-metrics-'));
const file = arg('db', null) ?? path.join(dir, 'metrics.sqlite');

async function generate() {
  const ds = new DataSource({ type: 'better-sqlite3', database: file, migrations: MIGRATIONS, migrationsRun: true, entities: [] });
  await ds.initialize();
  await ds.destroy();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const writer = new MetricsWriter(portOf(db));
  const t0 = performance.now();
  const bulk = CALLS - SINGLE;
  for (let n = 0; n < bulk; n += BATCH) {
    const batch = [];
    for (let i = n; i < Math.min(n + BATCH, bulk); i++) batch.push(callFacts(i, CALLS));
    await writer.writeMany(batch);
    if ((n / BATCH) % 50 === 0) process.stderr.write(`\r  ${n.toLocaleString('en')} calls written, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  // The server writes each ended call in its own transaction: time that path on the full file.
  const single = [];
  let cpuMs = 0;
  for (let n = bulk; n < CALLS; n += SINGLE_BATCH) {
    const facts = [];
    for (let i = n; i < Math.min(n + SINGLE_BATCH, CALLS); i++) facts.push(callFacts(i, CALLS));
    const [t, cpu] = [performance.now(), process.cpuUsage()];
    await writer.writeMany(facts);
    for (let i = 0; i < facts.length; i++) single.push((performance.now() - t) / facts.length);
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return { seconds: (performance.now() - t0) / 1000, single, singleCpuMs: cpuMs / Math.max(1, single.length) };
}

/**
 * Survey replies (docs/SATISFACTION.md) for 1 call in 10, rated 1–5 in turn, 1 in 3 of them by IVR:
 * written straight into satisfaction_replies (the facts' generator knows no surveys), once per file.
 */
function addSurveyReplies() {
  const db = new Database(file);
  try {
    const has = db.prepare("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'satisfaction_replies'").get();
    if (!has || db.prepare('SELECT COUNT(*) AS n FROM satisfaction_replies').get().n > 0) return;
    const t0 = performance.now();
    const added = db
      .prepare(
        `INSERT INTO satisfaction_replies (message_id, channel, call_id, rating, answer, reference, replied_at, received_at)
         SELECT 'BENCH-' || call_id, CASE WHEN n % 30 = 0 THEN 'ivr' ELSE 'sms' END, call_id, 1 + (n / 10) % 5, '', NULL, day || 'T12:00:00.000Z', day || 'T12:00:00.000Z'
         FROM (SELECT call_id, day, ROW_NUMBER() OVER (ORDER BY call_id) AS n FROM metric_calls) WHERE n % 10 = 0`,
      )
      .run().changes;
    console.log(`survey replies added: ${added.toLocaleString('en')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Their satisfaction rollups, as the migration that made the table fills them (the replies came after the facts).
    if (satisfactionBackfill) {
      const t1 = performance.now();
      db.transaction(() => {
        for (const statement of satisfactionBackfill(false)) db.prepare(statement).run();
      })();
      console.log(`satisfaction rollups backfilled in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    }
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const reuse = flag('reuse') && existsSync(file);
  console.log(`metrics bench: ${reuse ? 'reusing' : `generating ${CALLS.toLocaleString('en')} calls into`} ${file}`);
  const gen = reuse ? null : await generate();
  if (gen !== null) {
    console.log(
      `\ngenerated in ${gen.seconds.toFixed(0)} s (${Math.round(CALLS / gen.seconds).toLocaleString('en')} calls/s through MetricsWriter, ${BATCH} calls per transaction)`,
    );
    if (gen.single.length) {
      const mean = gen.single.reduce((a, b) => a + b, 0) / gen.single.length;
      const p90 = [...gen.single].sort((a, b) => a - b)[Math.floor(gen.single.length * 0.9)];
      console.log(
        `${SINGLE_BATCH} call(s) per transaction (last ${gen.single.length.toLocaleString('en')} calls): median ${median(gen.single).toFixed(3)} ms, mean ${mean.toFixed(3)} ms, p90 ${p90.toFixed(3)} ms per ended call; CPU ${gen.singleCpuMs.toFixed(3)} ms per call (less sensitive to other load)`,
      );
    }
  }
  addSurveyReplies();
  const db = new Database(file, { readonly: true });
  const count = (t) => db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get().n;
  const sizes = Object.fromEntries(
    [
      'metric_calls',
      'metric_segments',
      'metric_step_visits',
      'metric_offers',
      'metric_rollup_flows',
      'metric_rollup_steps',
      'metric_rollup_causes',
      'metric_rollup_offers',
      'metric_other_needs',
      'satisfaction_replies',
      'metric_rollup_satisfaction',
    ].map((t) => [t, count(t)]),
  );
  console.log('rows:', sizes, `file: ${(statSync(file).size / 1e6).toFixed(0)} MB`);
  const q = new MetricsQueries(portOf(db), () => STEPS.map((s) => s[0]));
  const cleanup = () => {
    db.close();
    if (dir && !flag('keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${file}`);
  };
  if (flag('skip-queries')) return cleanup();
  const month = { from: '2026-06-01', to: '2026-06-30' };
  const ev = new EvaluationQueries(portOf(db), new SatisfactionTableReader());
  const teamOf = (agentId) => `team-${Number(agentId.replace(/\D/g, '')) % 6}`;
  const TEAM = Array.from({ length: 10 }, (_, i) => `agent-${String(i * 6).padStart(3, '0')}`);
  const sat = SatisfactionQueries ? new SatisfactionQueries(portOf(db)) : null;
  const cases = [
    ['summary, no filter', () => q.summary({}, 7)],
    ['summary, one month', () => q.summary(month, 7)],
    ['summary, flow + version', () => q.summary({ flowId: 'suspend-service', version: 2 }, 7)],
    ['summary, region + brand + tier', () => q.summary({ region: '广东', brand: 'gotone', tier: 'gold' }, 7)],
    ['summary, tier only', () => q.summary({ tier: 'gold' }, 7)],
    ['summary, agent', () => q.summary({ agentId: 'agent-007' }, 7)],
    ['summary, agent + one month + flow', () => q.summary({ ...month, agentId: 'agent-007', flowId: 'bill-inquiry' }, 30)],
    ['steps, flow', () => q.steps({ flowId: 'suspend-service' })],
    ['steps, flow + region + one month', () => q.steps({ flowId: 'suspend-service', region: '上海', ...month })],
    ['steps, flow + agent', () => q.steps({ flowId: 'suspend-service', agentId: 'agent-007' })],
    ['offers, no filter', () => q.offers({})],
    ['offers, brand', () => q.offers({ brand: 'mzone' })],
    // Worst case for month rollups: both edge months nearly whole, read from the day rows.
    ['offers, brand, 2nd Jan – 30th Mar', () => q.offers({ brand: 'mzone', from: '2026-01-02', to: '2026-03-30' })],
    ['summary, tier, 2nd Jan – 30th Mar', () => q.summary({ tier: 'gold', from: '2026-01-02', to: '2026-03-30' }, 7)],
    ['compare v1 / v2, no filter', () => q.compare({}, 'suspend-service', 1, 2, 7)],
    ['compare v1 / v2, region', () => q.compare({ region: '北京' }, 'suspend-service', 1, 2, 7)],
    ['evaluation, whole filter', () => ev.figures({}, 'total', 7, teamOf)],
    ['evaluation by business', () => ev.figures({}, 'business', 7, teamOf)],
    ['evaluation by version', () => ev.figures({}, 'version', 7, teamOf)],
    ['evaluation by region', () => ev.figures({}, 'region', 7, teamOf)],
    ['evaluation by team', () => ev.figures({}, 'team', 7, teamOf)],
    ['evaluation by month', () => ev.figures({}, 'month', 7, teamOf)],
    ['evaluation by region, flow + one month', () => ev.figures({ ...month, flowId: 'suspend-service' }, 'region', 7, teamOf)],
    ['evaluation by month, agent', () => ev.figures({ agentId: 'agent-007' }, 'month', 7, teamOf)],
    // A supervisor of some teams: their agents' calls only (10 of the 60 agents).
    ['evaluation by business, a team of 10', () => ev.figures({ agentIds: TEAM }, 'business', 7, teamOf)],
    ['other needs, newest 100', () => ev.otherNeeds({}, 100)],
    ['other needs, region + one month', () => ev.otherNeeds({ region: '上海', ...month }, 100)],
    ...(SatisfactionQueries
      ? [
          ['satisfaction report, no filter', () => sat.report({})],
          ['satisfaction report, one month', () => sat.report(month)],
          ['satisfaction report, one business', () => sat.report({ flowId: 'suspend-service' })],
          ['satisfaction report, a team of 10', () => sat.report({ agentIds: TEAM })],
        ]
      : []),
    ...(backlogNumbers ? [['backlog numbers, suspend-service', () => backlogNumbers(portOf(db), 'suspend-service')]] : []),
  ];
  const results = [];
  for (const [name, run] of cases) {
    await run(); // warm the statement and page cache once
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    results.push({ query: name, medianMs: Number(median(times).toFixed(1)), maxMs: Number(Math.max(...times).toFixed(1)) });
  }
  console.table(results);
  const s = await q.summary({}, 7);
  console.log('sanity: calls', s.calls, 'avg handle', s.handleTime.avgMs, 'ms, p90', s.handleTime.p90Ms, 'ms;', s.businesses.length, 'business rows');
  const whole = (await ev.figures({}, 'total', 7, teamOf)).get('*');
  console.log('sanity: need coverage', (whole.flows.needs_matched / whole.flows.needs_asked).toFixed(4), '(synthetic: 7 in 9)');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, ${new Date().toISOString()}`);
  cleanup();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
