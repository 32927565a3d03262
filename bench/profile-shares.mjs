#!/usr/bin/env node
// Where a server CPU profile's time goes, by piece of the decision path (docs/PERFORMANCE.md,
// "The decision path"). Reads a .cpuprofile written by `open-loop.mjs --cpu-profile FILE`.
//
//   node bench/profile-shares.mjs FILE                 # shares by piece (each sample counted once)
//   node bench/profile-shares.mjs FILE --under advance # what the frames named `advance` spend their time in
//   node bench/profile-shares.mjs FILE --self          # top self time
//
// A sample goes to the first piece (in the order below) that any frame of its stack belongs to,
// so the pieces add up to 100 %: end-of-call work first (it is leaving the main thread), then the
// decision path from the inside out.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--under');
const under = args.includes('--under') ? args[args.indexOf('--under') + 1] : null;
if (!file) {
  console.error('usage: node bench/profile-shares.mjs FILE [--under FUNCTION] [--self]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const short = (n) => {
  const url = n.callFrame.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'}${url ? ` ${url}:${n.callFrame.lineNumber + 1}` : ''}`;
};
const stackOf = (id) => {
  const frames = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur));
  return frames; // leaf first
};

/** [piece, test on one frame] — the first piece any frame of a sample's stack matches takes it. */
const PIECES = [
  ['(idle)', (f) => f.callFrame.functionName === '(idle)'],
  ['(program)', (f) => f.callFrame.functionName === '(program)'],
  ['end of call: QA + metrics (worker-bound)', (f) => /\/dist\/(qa|metrics)\//.test(f.callFrame.url)],
  ['garbage collector', (f) => f.callFrame.functionName === '(garbage collector)'],
  ['hash chain (canonical JSON + sha256)', (f) => /hash-chain\.js$/.test(f.callFrame.url)],
  ['decision log commit (SQLite statements, fsync)', (f) => /sqlite-decision-log\.js$/.test(f.callFrame.url)],
  ['call recovery / rebuild (replay)', (f) => /calls\/step\/replay\.js$/.test(f.callFrame.url)],
  ['advance (step function + XState transition)', (f) => /calls\/step\/call-progress\.js$/.test(f.callFrame.url) && f.callFrame.functionName === 'advance'],
  ['call start (beginCall)', (f) => /calls\/step\/call-progress\.js$/.test(f.callFrame.url) && f.callFrame.functionName === 'beginCall'],
  ['view rendering (renderView)', (f) => f.callFrame.functionName === 'renderView'],
  ['sending frames (JSON + ws send)', (f) => /realtime\/frames\.js$/.test(f.callFrame.url)],
  [
    'validation (shape check, class-transformer/validator)',
    (f) => /json-shape\.js$|common\/validation\.js$|frame-validators|class-validator|class-transformer/.test(f.callFrame.url),
  ],
  ['back-end simulator + operations', (f) => /dist\/backend\/|flows\/registry\/operations/.test(f.callFrame.url)],
  ['ws receive / parse (ws, adapter)', (f) => /node_modules\/ws\/|app-ws-adapter\.js$/.test(f.callFrame.url)],
  ['Nest / rxjs dispatch', (f) => /@nestjs\/|node_modules\/rxjs\//.test(f.callFrame.url)],
  ['call engine / gateway glue', (f) => /dist\/(calls|realtime)\//.test(f.callFrame.url)],
  ['TypeORM', (f) => /node_modules\/typeorm\//.test(f.callFrame.url)],
  ['node internals (timers, net, streams)', (f) => /^node:/.test(f.callFrame.url)],
];

const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = profile.samples.length;
const pct = (v) => ((100 * v) / total).toFixed(1).padStart(5) + ' %';

if (under) {
  // Inclusive time of each frame below the highest frame named `under`, per direct child and per function.
  const children = new Map();
  const incl = new Map();
  let inside = 0;
  for (const [id, c] of counts) {
    const stack = stackOf(id).reverse(); // root first
    const at = stack.findIndex((f) => f.callFrame.functionName === under);
    if (at < 0) continue;
    inside += c;
    const child = stack[at + 1] ? short(stack[at + 1]) : '(self)';
    children.set(child, (children.get(child) ?? 0) + c);
    const seen = new Set();
    for (const f of stack.slice(at + 1)) {
      const k = short(f);
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + c);
      }
    }
  }
  console.log(`${under}: ${pct(inside)} of ${total} samples`);
  console.log('direct children:');
  for (const [k, v] of [...children].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(v)}  ${k}`);
  console.log('inclusive below it:');
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${pct(v)}  ${k}`);
} else if (args.includes('--self')) {
  const self = new Map();
  for (const [id, c] of counts) self.set(short(byId.get(id)), (self.get(short(byId.get(id))) ?? 0) + c);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${pct(v)}  ${k}`);
} else {
  const shares = new Map(PIECES.map(([p]) => [p, 0]));
  let other = 0;
  for (const [id, c] of counts) {
    const stack = stackOf(id);
    const piece = PIECES.find(([, test]) => stack.some(test));
    if (piece) shares.set(piece[0], shares.get(piece[0]) + c);
    else other += c;
  }
  const busy = total - shares.get('(idle)');
  console.log(`${total} samples (${busy} busy); share of all samples, and of the busy ones without end-of-call work:`);
  const endOfCall = shares.get('end of call: QA + metrics (worker-bound)');
  for (const [p, v] of [...shares, ['other', other]]) {
    const path = p === '(idle)' || p.startsWith('end of call') ? '' : ((100 * v) / (busy - endOfCall)).toFixed(1).padStart(5) + ' %';
    console.log(`  ${pct(v)}  ${path.padStart(7)}  ${p}`);
  }
}
