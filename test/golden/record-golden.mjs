#!/usr/bin/env node
/**
 * Records the golden calls: starts the built server (dist/main.js) on a temp DATA_DIR, drives real
 * calls over the WebSocket, and writes each as test/golden/<name>.json =
 *   { call: CallRecord, events: StoredEvent[], flows: [{ id, version, definition }], matrix: { version, definition } | null }
 * (flows: every flow version the call ran in, read from flow_versions; matrix: the one in force
 * when it started, from matrix_versions), plus test/golden/tampered/<name>.json — a copy of one
 * golden call with one stored event's payload altered and the hashes left as they were.
 *
 *   npm run build && node test/golden/record-golden.mjs
 *
 * src/calls/golden-calls.spec.ts replays them (unit project, no server).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const WebSocket = require('ws');
const Database = require('better-sqlite3');

const TAMPER = { name: 'suspend-happy', note: 'the first back-end reply\'s latencyMs, +1000: the call re-executes the same, only the chain shows it' };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(dataDir) {
  const mainJs = path.join(root, 'dist', 'main.js');
  if (!fs.existsSync(mainJs)) throw new Error(`${mainJs} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_DATA: 'true', BACKEND_TIMEOUT_MS: '10000', SIM_LATENCY_MS: '5', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; ) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before it was ready`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).status === 200) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error('server not ready after 20 s');
    await sleep(100);
  }
  return { port, baseUrl, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

async function http(baseUrl, method, url, token, body) {
  const res = await fetch(baseUrl + url, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A minimal WebSocket client: requests with a requestId, and pushed views. */
class Client {
  static async connect(port, token) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return new Client(ws);
  }
  constructor(ws) {
    this.ws = ws;
    this.buffer = [];
    this.waiters = [];
    this.n = 0;
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString());
      const w = this.waiters.find((x) => x.pred(frame));
      if (w) { this.waiters = this.waiters.filter((x) => x !== w); clearTimeout(w.timer); w.resolve(frame); } else this.buffer.push(frame);
    });
  }
  next(pred, what) {
    const i = this.buffer.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.buffer.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve, timer: setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000) };
      this.waiters.push(w);
    });
  }
  async request(event, data) {
    const requestId = `golden-${++this.n}`;
    const reply = this.next((f) => f.data?.requestId === requestId, `the reply to ${event}`);
    this.ws.send(JSON.stringify({ event, data: { ...data, requestId } }));
    const frame = await reply;
    if (frame.event !== 'call.view') throw new Error(`${event} ${JSON.stringify(data)}: ${JSON.stringify(frame)}`);
    return frame.data;
  }
  close() { this.ws.close(); }
}

/** One call: start, decide, wait for pushes, with the step checked at each move. */
class Call {
  constructor(client) { this.client = client; }
  expect(view, step, what) {
    if (view.step?.id !== step) throw new Error(`${what}: expected step '${step}', got '${view.step?.id}' (${view.status})`);
    this.view = view;
    return this;
  }
  async start(callerNumber, flowId, step) {
    return this.expect(await this.client.request('call.start', { callerNumber, flowId }), step, `start ${flowId} ${callerNumber}`);
  }
  async decide(option, input, step) {
    const data = { callId: this.view.callId, seq: this.view.seq, option, ...(input ? { input } : {}) };
    return this.expect(await this.client.request('call.decide', data), step, `'${option}' at '${this.view.step.id}'`);
  }
  async pushed(step) {
    const callId = this.view.callId;
    const frame = await this.client.next((f) => f.event === 'call.view' && !f.data?.requestId && f.data?.callId === callId && f.data?.step?.id === step, `a push to '${step}'`);
    return this.expect(frame.data, step, `push to ${step}`);
  }
  async hangup() {
    this.view = await this.client.request('call.hangup', { callId: this.view.callId });
    return this;
  }
  get id() { return this.view.callId; }
}

/** check-eligibility → … → verify (upsell declined) → password → execute. */
async function suspendToExecute(c, caller) {
  await c.start(caller, 'suspend-service', 'check-eligibility');
  await c.decide('continue', undefined, 'confirm-reason');
  await c.decide('continue', { reason: 'travel' }, 'warn');
  await c.decide('acknowledged', undefined, 'upsell');
  await c.decide('decline', undefined, 'verify');
  await c.decide('password', undefined, 'checking-password');
  return c.pushed('execute');
}
async function finishFromRemind(c) {
  await c.decide('acknowledged', undefined, 'close');
  return c.decide('submit', undefined, 'completed');
}

const SCENARIOS = {
  /** suspend-service, the happy path: upsell declined, IVR password, executed, reminded, closed. */
  'suspend-happy': async (c) => {
    await suspendToExecute(c, '13800000001');
    await c.decide('execute', undefined, 'executing');
    await c.pushed('remind');
    await finishFromRemind(c);
  },
  /** suspend-service, reason travel: 两城一家 accepted at the upsell, which opens two-cities-one-home and runs it. */
  'suspend-accepted-offer': async (c) => {
    await c.start('13800000001', 'suspend-service', 'check-eligibility');
    await c.decide('continue', undefined, 'confirm-reason');
    await c.decide('continue', { reason: 'travel' }, 'warn');
    await c.decide('acknowledged', undefined, 'upsell');
    await c.decide('accept', { offerId: 'two-cities-one-home' }, 'explain-product');
    await c.decide('interested', undefined, 'confirm');
    await c.decide('confirm', { secondCity: '上海' }, 'opening');
    await c.pushed('remind');
    await finishFromRemind(c);
  },
  /** A hotline call: enter-service → the hub → bill-inquiry → finish-call → hang-up with the SMS. */
  'hotline-bill-inquiry': async (c) => {
    await c.start('13800000001', 'enter-service', 'ivr-transfer');
    await c.pushed('greeting');
    await c.decide('greeted', undefined, 'ask-need');
    await c.decide('identified', { need: 'bill' }, 'need-identified');
    await c.decide('another-business', { flowId: 'bill-inquiry' }, 'query-bills');
    await c.pushed('explain-bill');
    await c.decide('explained', undefined, 'next-need');
    await c.decide('done', undefined, 'close');
    await c.decide('submit', undefined, 'completed');
    await c.decide('finish-call', undefined, 'service-request');
    await c.decide('submit', { resolution: 'resolved' }, 'closing');
    await c.decide('goodbye', undefined, 'sending-sms');
    await c.pushed('closed');
  },
  /** The back end fails once (13800000004, 浙江): execute-failed → retry → remind → completed. */
  'backend-fails-once-retry': async (c) => {
    await suspendToExecute(c, '13800000004');
    await c.decide('execute', undefined, 'executing');
    await c.pushed('execute-failed');
    await c.decide('retry', undefined, 'executing');
    await c.pushed('remind');
    await finishFromRemind(c);
  },
  /** The back end always fails (13800000005, 江苏): execute-failed twice → raise-ticket. */
  'backend-fails-ticket': async (c) => {
    await suspendToExecute(c, '13800000005');
    await c.decide('execute', undefined, 'executing');
    await c.pushed('execute-failed');
    await c.decide('retry', undefined, 'executing');
    await c.pushed('execute-failed');
    await c.decide('raise-ticket', undefined, 'execution-failed');
  },
  /** Abandoned: the agent hangs up (call.hangup) at the warning. */
  'abandoned-hangup': async (c) => {
    await c.start('13800000001', 'suspend-service', 'check-eligibility');
    await c.decide('continue', undefined, 'confirm-reason');
    await c.decide('continue', { reason: 'travel' }, 'warn');
    await c.hangup();
    if (c.view.status !== 'abandoned') throw new Error(`hang-up left the call ${c.view.status}`);
  },
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-golden-'));
const server = await startServer(dataDir);
const recorded = {};
try {
  const token = (await http(server.baseUrl, 'POST', '/api/auth/login', null, { username: 'agent1', password: 'demo' })).token;
  const client = await Client.connect(server.port, token);
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const c = new Call(client);
    await scenario(c);
    const { events, ...call } = await http(server.baseUrl, 'GET', `/api/calls/${c.id}`, token);
    const replay = await http(server.baseUrl, 'POST', `/api/calls/${c.id}/replay`, token);
    if (!replay.deterministic || !replay.chain.intact) throw new Error(`${name} does not replay: ${JSON.stringify(replay)}`);
    recorded[name] = { call, events };
    console.log(`${name}: call ${c.id}, ${events.length} events, ${call.status}/${call.outcome}`);
  }
  client.close();
} finally {
  await server.stop();
}

const db = new Database(path.join(dataDir, 'laihua.sqlite'), { readonly: true });
try {
  const flowRow = db.prepare('SELECT definition FROM flow_versions WHERE flow_id = ? AND version = ?');
  const matrices = db.prepare('SELECT version, definition, created_at FROM matrix_versions ORDER BY version').all();
  const write = (file, fixture) => fs.writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  for (const [name, { call, events }] of Object.entries(recorded)) {
    const used = new Map();
    for (const e of events) {
      used.set(`${e.flowId}@${e.flowVersion}`, [e.flowId, e.flowVersion]);
      if (e.flowIdAfter !== null) used.set(`${e.flowIdAfter}@${e.flowVersionAfter}`, [e.flowIdAfter, e.flowVersionAfter]);
    }
    const flows = [...used.values()].map(([id, version]) => {
      const row = flowRow.get(id, version);
      if (!row) throw new Error(`${name}: flow ${id}@${version} is not in flow_versions`);
      return { id, version, definition: JSON.parse(row.definition) };
    });
    const inForce = matrices.filter((m) => m.created_at <= call.startedAt).at(-1);
    const matrix = inForce ? { version: inForce.version, definition: JSON.parse(inForce.definition) } : null;
    const fixture = { call, events, flows, matrix };
    write(path.join(here, `${name}.json`), fixture);
    if (name === TAMPER.name) {
      const tampered = structuredClone(fixture);
      const reply = tampered.events.find((e) => e.type === 'backend.reply');
      reply.payload.latencyMs = Number(reply.payload.latencyMs) + 1000;
      write(path.join(here, 'tampered', `${name}.json`), tampered);
      console.log(`tampered/${name}: seq ${reply.seq} altered (${TAMPER.note})`);
    }
  }
} finally {
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
