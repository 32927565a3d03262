#!/usr/bin/env node
// What one idle open call costs the server, and where: N calls are started, each on its own
// WebSocket (as the open-loop bench's idle phase does), and left waiting at their first agent step.
// RSS before and after gives the whole cost per call (heap, ws buffers, fragmentation); heap
// snapshots (over the inspector) with the calls open and after they were all hung up and their
// connections closed give the bytes per call by kind of object. ~1 min for 2,000 calls.
//
//   npx nest build && node bench/idle-heap.mjs [--calls 2000] [--top 30] [--shapes] [--server dist/main.js]
//   (--shapes: plain objects by their keys, to tell which of them a call keeps;
//    --save FILE: the snapshot with the calls open, for bench/heap-dominators.mjs)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { cachedCatalogueScripts } from './lib/call-scripts.mjs';
import { DEFAULT_SERVER_ENTRY, freePort, HOST, procMem, ROOT, Server, sleep } from './lib/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const CALLS = Number(opt('--calls', 2000));
const TOP = Number(opt('--top', 30));
const SHAPES = args.includes('--shapes');
const SAVE = opt('--save', null);
const ENTRY = path.resolve(opt('--server', DEFAULT_SERVER_ENTRY));
const log = (s) => process.stderr.write(`[idle-heap] ${s}\n`);

/** The inspector of the server: heap snapshots and GC on demand. */
class Inspector {
  static async open(url) {
    const i = new Inspector();
    i.ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 2 ** 31 });
    i.next = 0;
    i.waits = new Map();
    i.chunks = [];
    i.ws.on('message', (buf) => {
      const m = JSON.parse(buf.toString('utf8'));
      if (m.method === 'HeapProfiler.addHeapSnapshotChunk') return void i.chunks.push(m.params.chunk);
      const w = m.id !== undefined && i.waits.get(m.id);
      if (w) {
        i.waits.delete(m.id);
        if (m.error) w.reject(new Error(m.error.message));
        else w.resolve(m.result);
      }
    });
    await new Promise((resolve, reject) => {
      i.ws.once('open', resolve);
      i.ws.once('error', reject);
    });
    await i.call('HeapProfiler.enable');
    return i;
  }

  call(method, params = {}) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waits.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async snapshot() {
    await this.call('HeapProfiler.collectGarbage');
    this.chunks = [];
    await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return JSON.parse(this.chunks.join(''));
  }
}

function ask(ws, frame) {
  const reply = new Promise((resolve) => ws.once('message', (b) => resolve(JSON.parse(b.toString('utf8')))));
  ws.send(JSON.stringify(frame));
  return reply;
}

/** Plain objects ("Object") by their property names: which objects an idle call keeps (--shapes). */
function objectShapes(snapshot) {
  const {
    node_fields: fields,
    node_types: [types],
    edge_fields: efields,
    edge_types: [etypes],
  } = snapshot.snapshot.meta;
  const width = fields.length;
  const ewidth = efields.length;
  const [typeAt, nameAt, sizeAt, edgesAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f));
  const [etypeAt, enameAt] = ['type', 'name_or_index'].map((f) => efields.indexOf(f));
  const out = new Map();
  const { nodes, edges, strings } = snapshot;
  let edge = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const count = nodes[i + edgesAt];
    if (types[nodes[i + typeAt]] === 'object' && strings[nodes[i + nameAt]] === 'Object') {
      const names = [];
      for (let e = edge; e < edge + count * ewidth; e += ewidth) if (etypes[edges[e + etypeAt]] === 'property') names.push(strings[edges[e + enameAt]]);
      const key = names.slice(0, 8).join(',') + (names.length > 8 ? ',…' : '');
      const entry = out.get(key) ?? { size: 0, count: 0 };
      entry.size += nodes[i + sizeAt];
      entry.count += 1;
      out.set(key, entry);
    }
    edge += count * ewidth;
  }
  return out;
}

/** Self size and count by kind of object ("Object kind: constructor name", closures by function name…). */
function byKind(snapshot) {
  const {
    node_fields: fields,
    node_types: [types],
  } = snapshot.snapshot.meta;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map();
  const nodes = snapshot.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = snapshot.strings[nodes[i + nameAt]];
    const key =
      type === 'object' || type === 'closure'
        ? `${type} ${name}`
        : type === 'string' || type === 'concatenated string' || type === 'sliced string'
          ? 'strings'
          : `${type} ${name.length > 40 ? name.slice(0, 40) + '…' : name}`;
    const e = out.get(key) ?? { size: 0, count: 0 };
    e.size += nodes[i + sizeAt];
    e.count += 1;
    out.set(key, e);
  }
  return out;
}

async function main() {
  const scripts = (await cachedCatalogueScripts(ROOT, log)).filter((s) => s.steps[0]?.kind === 'decide');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'laihua-idle-heap-'));
  const server = new Server({
    port: await freePort(),
    dataDir,
    latency: 0,
    backendTimeout: null,
    verbose: false,
    nodeArgs: ['--inspect=127.0.0.1:0'],
    entry: ENTRY,
  });
  const sockets = [];
  try {
    await server.waitHealthy(60000);
    const token = await server.login();
    const inspector = await Inspector.open(server.inspectorUrl);
    await sleep(1000);
    await inspector.call('HeapProfiler.collectGarbage');
    // RSS before any heap snapshot: taking one grows the process for good.
    const rssBefore = procMem(server.pid).rssKiB;
    log(`opening ${CALLS} idle calls…`);
    let next = 0;
    const calls = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < CALLS) {
          const script = scripts[next++ % scripts.length];
          const ws = new WebSocket(`ws://${HOST}:${server.port}/ws?token=${token}&locale=zh-CN`, { perMessageDeflate: false });
          sockets.push(ws);
          await new Promise((resolve, reject) => {
            ws.once('open', resolve);
            ws.once('error', reject);
          });
          const frame = await ask(ws, { event: 'call.start', data: { requestId: `r${next}`, callerNumber: script.msisdn, flowId: script.flowId } });
          if (frame.event === 'call.view') calls.push({ ws, callId: frame.data.callId });
        }
      }),
    );
    const open = calls.length;
    await sleep(3000);
    await inspector.call('HeapProfiler.collectGarbage');
    const rssAfter = procMem(server.pid).rssKiB;
    const afterSnapshot = await inspector.snapshot();
    if (SAVE) writeFileSync(SAVE, JSON.stringify(afterSnapshot));
    const after = byKind(afterSnapshot);
    const shapesAfter = SHAPES ? objectShapes(afterSnapshot) : null;
    // The same server without them: every call hung up, every connection closed.
    log('hanging up…');
    for (let i = 0; i < calls.length; i += 64) {
      await Promise.all(calls.slice(i, i + 64).map(({ ws, callId }) => ask(ws, { event: 'call.hangup', data: { requestId: 'h', callId } })));
    }
    for (const ws of sockets) ws.close();
    await sleep(5000);
    const beforeSnapshot = await inspector.snapshot();
    const before = byKind(beforeSnapshot);
    const shapesBefore = SHAPES ? objectShapes(beforeSnapshot) : null;
    inspector.ws.close();
    const rows = [...after]
      .map(([k, a]) => {
        const b = before.get(k) ?? { size: 0, count: 0 };
        return [k, (a.size - b.size) / open, (a.count - b.count) / open];
      })
      .sort((x, y) => y[1] - x[1]);
    const heapPerCall = rows.reduce((n, [, s]) => n + s, 0);
    console.log(
      `${open} idle calls open (node ${process.version}): RSS ${((rssAfter - rssBefore) / open).toFixed(1)} KiB per call, heap ${(heapPerCall / 1024).toFixed(1)} KiB per call`,
    );
    console.log(`  ${'bytes/call'.padStart(10)} ${'objects/call'.padStart(12)}  kind`);
    for (const [k, size, count] of rows.slice(0, TOP)) console.log(`  ${size.toFixed(0).padStart(10)} ${count.toFixed(2).padStart(12)}  ${k}`);
    if (SHAPES) {
      console.log('plain objects by their keys:');
      const shapes = [...shapesAfter].map(([k, a]) => [
        k,
        (a.size - (shapesBefore.get(k)?.size ?? 0)) / open,
        (a.count - (shapesBefore.get(k)?.count ?? 0)) / open,
      ]);
      for (const [k, size, count] of shapes.sort((x, y) => y[1] - x[1]).slice(0, TOP))
        console.log(`  ${size.toFixed(0).padStart(10)} ${count.toFixed(2).padStart(12)}  {${k}}`);
    }
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
