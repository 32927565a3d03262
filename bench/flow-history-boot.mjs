/* eslint-disable no-console */
// What a hotline's flow history costs a boot (and so crash recovery, target 3 of issue 15):
// node bench/flow-history-boot.mjs [--versions 2000] [--runs 5] — after `npm run build`.
// A data directory is migrated once; a copy gets VERSIONS more stored versions, spread over the
// catalogue's flows (each a catalogue definition under a new version number, retired, and published
// once long ago: a version calls may have run on, which the boot keeps). The two copies are then
// booted alternately, spawn → first health answer, with the server's RSS at that answer
// (docs/PERFORMANCE.md, twenty-second session).
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { versions: { type: 'string', default: '2000' }, runs: { type: 'string', default: '5' } } });
const VERSIONS = Number(values.versions);
const RUNS = Number(values.runs);
const PORT = 39150;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function boot(dataDir) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_DATA: 'true', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) on ${dataDir}`);
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  const ms = performance.now() - t0;
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { ms, rssMb };
}

/** VERSIONS more versions of the catalogue's flows, each published once before the files' versions were. */
function addHistory(dataDir) {
  const db = new Database(path.join(dataDir, 'laihua.sqlite'));
  const flows = readdirSync(path.join(ROOT, 'flows'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(ROOT, 'flows', f), 'utf8')));
  const insertVersion = db.prepare(
    `INSERT INTO flow_versions (flow_id, version, hash, definition, source, created_at, status, created_by, based_on, updated_at)
     VALUES (?, ?, ?, ?, 'bench', ?, 'retired', 'bench', NULL, ?)`,
  );
  const insertPublication = db.prepare(
    `INSERT INTO flow_publications (flow_id, version, published_at, published_by, action) VALUES (?, ?, ?, 'bench', 'publish')`,
  );
  db.transaction(() => {
    for (let i = 0; i < VERSIONS; i++) {
      const flow = flows[i % flows.length];
      const definition = { ...flow, version: 1000 + Math.floor(i / flows.length) };
      const text = JSON.stringify(definition);
      const at = new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString();
      insertVersion.run(flow.id, definition.version, createHash('sha256').update(text).digest('hex'), text, at, at);
      insertPublication.run(flow.id, definition.version, at);
    }
  })();
  db.close();
}

const base = mkdtempSync(path.join(tmpdir(), 'laihua-flow-history-'));
const plain = path.join(base, 'plain');
const history = path.join(base, 'history');
try {
  await boot(plain); // migrations, demo data
  cpSync(plain, history, { recursive: true });
  addHistory(history);
  const runs = { plain: [], history: [] };
  for (let r = 0; r < RUNS; r++) {
    runs.plain.push(await boot(plain));
    runs.history.push(await boot(history));
  }
  for (const [name, list] of Object.entries(runs)) {
    console.log(
      `${name.padEnd(8)} spawn → health ms: ${list.map((x) => x.ms.toFixed(0)).join(', ')} (median ${median(list.map((x) => x.ms)).toFixed(0)});` +
        ` RSS at health MB: median ${median(list.map((x) => x.rssMb)).toFixed(0)}`,
    );
  }
  const extra = median(runs.history.map((x) => x.ms)) - median(runs.plain.map((x) => x.ms));
  console.log(`${VERSIONS} stored versions more: +${extra.toFixed(0)} ms (${((extra / VERSIONS) * 1000).toFixed(0)} µs per version)`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
