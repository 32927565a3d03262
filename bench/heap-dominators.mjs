#!/usr/bin/env node
// What an object of a class keeps alive: retained sizes (dominator tree) in a V8 heap snapshot,
// averaged over every object of that class and broken down by the property it holds them through.
//
//   node bench/heap-dominators.mjs SNAPSHOT.heapsnapshot [--class LiveCall] [--depth 2] [--top 15]
//   (bench/idle-heap.mjs --save FILE writes the snapshot with the idle calls open)

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const FILE = args[0];
const CLASSES = opt('--class', 'LiveCall,WebSocket').split(',');
const DEPTH = Number(opt('--depth', 2));
const TOP = Number(opt('--top', 15));

const snap = JSON.parse(readFileSync(FILE, 'utf8'));
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const [nodeTypes] = meta.node_types;
const [edgeTypes] = meta.edge_types;
const nTypeOff = meta.node_fields.indexOf('type');
const nNameOff = meta.node_fields.indexOf('name');
const nSizeOff = meta.node_fields.indexOf('self_size');
const nEdgesOff = meta.node_fields.indexOf('edge_count');
const eTypeOff = meta.edge_fields.indexOf('type');
const eNameOff = meta.edge_fields.indexOf('name_or_index');
const eToOff = meta.edge_fields.indexOf('to_node');
const { nodes, edges, strings } = snap;
const N = nodes.length / NF;
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdgesOff] * EF;
  firstEdge[i + 1] = e;
}
const weak = edgeTypes.indexOf('weak');
const shortcut = edgeTypes.indexOf('shortcut');
const skip = (e) => edges[e + eTypeOff] === weak || edges[e + eTypeOff] === shortcut;
const target = (e) => edges[e + eToOff] / NF;
const edgeName = (e) => {
  const t = edgeTypes[edges[e + eTypeOff]];
  const v = edges[e + eNameOff];
  return t === 'element' || t === 'hidden' ? `[${t}]` : strings[v];
};
const nodeName = (i) => `${nodeTypes[nodes[i * NF + nTypeOff]]} ${strings[nodes[i * NF + nNameOff]]}`.slice(0, 80);

// Postorder from the root (node 0).
const post = new Int32Array(N).fill(-1);
const order = new Uint32Array(N);
let count = 0;
{
  const stack = [0];
  const cursor = new Uint32Array(N);
  const seen = new Uint8Array(N);
  seen[0] = 1;
  cursor[0] = firstEdge[0];
  while (stack.length) {
    const n = stack[stack.length - 1];
    let pushed = false;
    while (cursor[n] < firstEdge[n + 1]) {
      const e = cursor[n];
      cursor[n] += EF;
      if (skip(e)) continue;
      const t = target(e);
      if (!seen[t]) {
        seen[t] = 1;
        cursor[t] = firstEdge[t];
        stack.push(t);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      post[n] = count;
      order[count++] = n;
    }
  }
}
// Predecessors (reachable only).
const predCount = new Uint32Array(N + 1);
for (let n = 0; n < N; n++) {
  if (post[n] < 0) continue;
  for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) if (!skip(e)) predCount[target(e) + 1]++;
}
for (let i = 0; i < N; i++) predCount[i + 1] += predCount[i];
const preds = new Uint32Array(predCount[N]);
{
  const fill = predCount.slice();
  for (let n = 0; n < N; n++) {
    if (post[n] < 0) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) if (!skip(e)) preds[fill[target(e)]++] = n;
  }
}
// Cooper-Harvey-Kennedy: idom by postorder numbers.
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a, b) => {
  while (a !== b) {
    while (post[a] < post[b]) a = idom[a];
    while (post[b] < post[a]) b = idom[b];
  }
  return a;
};
for (let changed = true; changed;) {
  changed = false;
  for (let k = count - 2; k >= 0; k--) {
    const n = order[k];
    let d = -1;
    for (let p = predCount[n]; p < predCount[n + 1]; p++) {
      const q = preds[p];
      if (idom[q] < 0) continue;
      d = d < 0 ? q : intersect(q, d);
    }
    if (d >= 0 && idom[n] !== d) {
      idom[n] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(N);
for (let k = 0; k < count; k++) {
  const n = order[k];
  retained[n] += nodes[n * NF + nSizeOff];
  if (n !== 0) retained[idom[n]] += retained[n];
}

function breakdown(owners, depth, indent) {
  const groups = new Map();
  for (const o of owners) {
    for (let e = firstEdge[o]; e < firstEdge[o + 1]; e += EF) {
      const t = target(e);
      if (skip(e) || idom[t] !== o) continue;
      const key = `${edgeName(e)} → ${nodeName(t)}`;
      const g = groups.get(key) ?? { size: 0, nodes: [] };
      g.size += retained[t];
      g.nodes.push(t);
      groups.set(key, g);
    }
  }
  const rows = [...groups.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, TOP);
  for (const [key, g] of rows) {
    console.log(`${indent}${(g.size / owners.length).toFixed(0).padStart(7)} B  ${key}`);
    if (depth > 1 && g.size / owners.length > 64) breakdown(g.nodes, depth - 1, indent + '    ');
  }
}

for (const cls of CLASSES) {
  const owners = [];
  for (let n = 0; n < N; n++) if (strings[nodes[n * NF + nNameOff]] === cls && nodeTypes[nodes[n * NF + nTypeOff]] === 'object' && post[n] >= 0) owners.push(n);
  if (!owners.length) continue;
  const total = owners.reduce((s, n) => s + retained[n], 0);
  console.log(`${cls}: ${owners.length} objects, ${(total / owners.length).toFixed(0)} B retained each`);
  breakdown(owners, DEPTH, '  ');
}

// The biggest holders: objects retaining more than --holders MB, deepest first (what they hold through).
const HOLDERS = Number(opt('--holders', 0));
if (HOLDERS > 0) {
  const big = [];
  for (let n = 0; n < N; n++) if (retained[n] >= HOLDERS * 1048576 && post[n] >= 0) big.push(n);
  // A holder whose children are all small is where the memory sits.
  const leaf = big.filter((n) => {
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) if (!skip(e) && idom[target(e)] === n && retained[target(e)] >= HOLDERS * 1048576) return false;
    return true;
  });
  console.log(`holders of ≥ ${HOLDERS} MB whose parts are each smaller:`);
  for (const n of leaf.sort((a, b) => retained[b] - retained[a])) {
    const chain = [];
    for (let p = n, k = 0; p !== 0 && k < 6; p = idom[p], k++) chain.push(nodeName(p).slice(0, 40));
    console.log(`  ${(retained[n] / 1048576).toFixed(1).padStart(6)} MB  ${chain.join(' ← ')}`);
  }
}
