#!/usr/bin/env node
// Where the bytes that outlive a young-generation collection are allocated (docs/PERFORMANCE.md,
// thirteenth session): what a server promotes per message is what brings its mark-compacts round, and
// each mark-compact of the main thread stalls the decisions' tail. Connects over the inspector to a
// server started with `--inspect`, runs V8's sampling heap profiler without the objects a scavenge
// frees (`includeObjectsCollectedByMinorGC: false`), and prints the allocation sites (leaf < callers)
// by share of bytes. What it counts is what survived at least one scavenge (copied once, promoted at
// the second, or still young when sampling stops): about twice the bytes promoted, so a site of short
// but not instant life (XState's actor for a step waiting ~30 ms on the back end) shows up high here
// while little of it is promoted — read it beside `--trace-gc-nvp`'s `promoted=`.
//
//   node bench/open-loop.mjs --calls 2000 --idle 0 --recover 0 --replay 0 --no-baseline \
//     --node-arg=--inspect=127.0.0.1:9333 > /tmp/run.log 2>&1 &
//   node bench/promoted-sites.mjs --after-line 'laihua t=15s' --log /tmp/run.log --seconds 15 [--port 9333] [--top 40] [--depth 4]
//
// (--after-line waits for that line in the bench's log, i.e. for the load window; without it the
// sampling starts at once.) Sampled once per 4 KiB allocated on average: shares, not exact bytes.
// --all counts every byte allocated, the ones a scavenge frees included: where the scavenges' work
// comes from (docs/PERFORMANCE.md, twenty-sixth session).

import { existsSync, readFileSync } from 'node:fs';
import WebSocket from 'ws';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const PORT = Number(opt('--port', 9333));
const SECONDS = Number(opt('--seconds', 15));
const TOP = Number(opt('--top', 40));
const DEPTH = Number(opt('--depth', 4));
const AFTER_LINE = opt('--after-line', null);
const LOG = opt('--log', null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForLine() {
  if (!AFTER_LINE) return;
  if (!LOG) throw new Error('--after-line needs --log FILE');
  for (let i = 0; i < 1200; i++) {
    if (existsSync(LOG) && readFileSync(LOG, 'utf8').includes(AFTER_LINE)) return;
    await sleep(250);
  }
  throw new Error(`'${AFTER_LINE}' did not appear in ${LOG} within 5 minutes`);
}

async function inspector() {
  for (let i = 0; i < 120; i++) {
    const targets = await fetch(`http://127.0.0.1:${PORT}/json/list`)
      .then((r) => r.json())
      .catch(() => []);
    if (targets[0]?.webSocketDebuggerUrl) {
      const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let id = 0;
      const pending = new Map();
      ws.on('message', (m) => {
        const reply = JSON.parse(m);
        pending.get(reply.id)?.(reply);
        pending.delete(reply.id);
      });
      const send = (method, params = {}) =>
        new Promise((resolve, reject) => {
          pending.set(++id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result)));
          ws.send(JSON.stringify({ id, method, params }));
        });
      return { send, close: () => ws.close() };
    }
    await sleep(500);
  }
  throw new Error(`no inspector on 127.0.0.1:${PORT} (start the server with --inspect=127.0.0.1:${PORT})`);
}

/** Allocation sites, each the leaf frame and DEPTH-1 callers, with their sampled bytes. */
function sites(profile) {
  const bySite = new Map();
  let total = 0;
  const frame = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${url.replace(/.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  const walk = (node, callers) => {
    const stack = [frame(node.callFrame), ...callers].slice(0, DEPTH);
    if (node.selfSize) {
      total += node.selfSize;
      const key = stack.join(' < ');
      bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, stack);
  };
  walk(profile.head, []);
  return { total, rows: [...bySite].sort((a, b) => b[1] - a[1]) };
}

async function main() {
  await waitForLine();
  const session = await inspector();
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: args.includes('--all'),
  });
  await sleep(SECONDS * 1000);
  const { profile } = await session.send('HeapProfiler.stopSampling');
  session.close();
  const { total, rows } = sites(profile);
  const what = args.includes('--all') ? 'bytes allocated' : 'bytes surviving a young-generation collection';
  console.log(`${what}, sampled over ${SECONDS} s: ${(total / 1048576).toFixed(1)} MiB`);
  for (const [site, bytes] of rows.slice(0, TOP)) console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)} %  ${site}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
