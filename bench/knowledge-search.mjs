#!/usr/bin/env node
// Knowledge search at scale: seeds N published-article search docs (default 10,000, both locales)
// into a SQLite file with the server's own schema (the built migrations) through the server's own
// writer and search code (dist/knowledge/search-docs.js: FTS5 trigram candidates + ranking), then
// times queries — exact, typo, other word order, under 3 characters, English — median and p95 of
// several runs each. Target: < 50 ms per search.
//
//   npx nest build && node bench/knowledge-search.mjs                  # 10,000 articles, 20 runs per query
//   node bench/knowledge-search.mjs --articles 500 --runs 5            # smoke run
//   --dist DIR   the built server to use (default ./dist)

import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
};
const ARTICLES = Number(arg('articles', 10_000));
const RUNS = Number(arg('runs', 20));
const DIST = path.resolve(arg('dist', path.join(ROOT, 'dist')));
for (const f of ['database/migrations/index.js', 'knowledge/search-docs.js']) {
  if (!existsSync(path.join(DIST, f))) throw new Error(`${DIST}/${f} missing: run \`npx nest build\` first`);
}
const { DataSource } = require('typeorm');
const { MIGRATIONS } = require(path.join(DIST, 'database/migrations/index.js'));
const { candidates, rankHits, replaceDocs } = require(path.join(DIST, 'knowledge/search-docs.js'));

// Synthetic but realistic texts: topics × actions × qualifiers, so many articles share words.
const TOPICS = [
  '停机保号',
  '国际漫游',
  '套餐变更',
  '积分兑换',
  '话费账单',
  '密码重置',
  '一卡双号',
  '两城一家',
  '增值业务退订',
  '宽带报修',
  '流量包',
  '亲情号码',
];
const ACTIONS = ['办理须知', '常见问题', '资费说明', '操作步骤', '注意事项', '投诉处理', '营销话术', '政策解读'];
const QUALIFIERS = ['全球通客户', '动感地带', '神州行', '集团客户', '钻石卡', '金卡', '新入网用户', '老年用户'];
const EN = [
  'suspension',
  'roaming',
  'plan change',
  'points',
  'bill',
  'password',
  'two numbers',
  'family',
  'unsubscribe',
  'broadband',
  'data pack',
  'family numbers',
];
function article(i) {
  const topic = TOPICS[i % TOPICS.length];
  const action = ACTIONS[Math.floor(i / TOPICS.length) % ACTIONS.length];
  const who = QUALIFIERS[Math.floor(i / (TOPICS.length * ACTIONS.length)) % QUALIFIERS.length];
  const ref = `kb-${String(i).padStart(6, '0')}`;
  const body = `${who}${topic}${action}：请先核实身份，再向客户说明${topic}的资费与生效时间，第${i}号知识条目。`;
  return [
    { kind: 'article', ref, locale: 'zh-CN', title: `${who}${topic}${action}`, body },
    { kind: 'article', ref, locale: 'en', title: `${EN[i % EN.length]} note ${i}`, body: `How to explain ${EN[i % EN.length]} to the customer, article ${i}.` },
  ];
}

const QUERIES = {
  exact: '钻石卡停机保号办理须知',
  'no spaces, part': '停机保号须知',
  typo: '停机保好办理',
  'word order': '保号停机',
  'short (2 chars)': '漫游',
  english: 'roaming note',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'laihua-knowledge-'));
  const ds = new DataSource({ type: 'better-sqlite3', database: path.join(dir, 'k.sqlite'), migrations: MIGRATIONS, migrationsRun: true, entities: [] });
  await ds.initialize();
  try {
    const t0 = performance.now();
    const BATCH = 500;
    for (let n = 0; n < ARTICLES; n += BATCH) {
      const docs = [];
      for (let i = n; i < Math.min(n + BATCH, ARTICLES); i++) docs.push(...article(i));
      await ds.transaction((m) => replaceDocs(m, 'article', [], docs));
    }
    console.log(
      `seeded ${ARTICLES.toLocaleString('en')} articles (${(ARTICLES * 2).toLocaleString('en')} docs) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log('query'.padEnd(20), 'median ms'.padStart(10), 'p95 ms'.padStart(8), 'hits'.padStart(5), ' top hit');
    for (const [name, q] of Object.entries(QUERIES)) {
      const times = [];
      let hits = [];
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        hits = rankHits(q, await candidates(ds.manager, q), 10);
        times.push(performance.now() - t);
      }
      console.log(
        name.padEnd(20),
        median(times).toFixed(2).padStart(10),
        p95(times).toFixed(2).padStart(8),
        String(hits.length).padStart(5),
        ` ${hits[0]?.title ?? '-'}`,
      );
    }
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
