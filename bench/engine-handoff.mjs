#!/usr/bin/env node
// What handing each message to another thread would cost the main thread (docs/PERFORMANCE.md,
// twenty-sixth session): the measure behind the fourteenth session's plan of the calls' engine on
// worker threads. Today the main thread spends ~0.29 ms per message at T1's load, ~46 % of it in the
// engine (deciding, starting, the back-end replies' steps, rendering and stringifying the views); with
// the engine on a worker it would only pass the frame's text over and take the view's text back. This
// times that passing on the main thread alone (its CPU from /proc), beside doing nothing but parsing
// the frame, for three ways of passing:
//
//   inline      the main thread parses the frame and stringifies a view itself (no thread: the floor of this bench)
//   each        one postMessage per frame, one reply message per view
//   per-turn    the frames of one turn of the event loop posted as one array, the views answered as one array
//
// A `call.decide` frame of the catalogue's size and a 1.1 KB view (T1's mean reply) are used; the
// worker does the same parse and stringify as `inline`, so only the passing differs. Frames arrive
// in bursts of --burst per turn (a TCP read holds several frames under load).
//
//   node bench/engine-handoff.mjs [--messages 200000] [--burst 8] [--rounds 5]

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const MESSAGES = opt('--messages', 200_000);
const BURST = opt('--burst', 8);
const ROUNDS = opt('--rounds', 5);

/** The main thread's own CPU seconds (its tid is the pid), from /proc. */
function mainThreadCpuSeconds() {
  const txt = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
  const f = txt.slice(txt.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const frame = JSON.stringify({
  event: 'call.decide',
  data: {
    requestId: '0f9d6c1e-6f2b-4c55-9a43-2f1f3f1b9c77',
    callId: '019af3c2-7d41-7c2e-8f00-5b1d2c3e4f50',
    seq: 3,
    option: 'confirm',
    input: { reason: 'lost' },
  },
});
const view = {
  event: 'call.view',
  data: {
    requestId: '0f9d6c1e-6f2b-4c55-9a43-2f1f3f1b9c77',
    callId: '019af3c2-7d41-7c2e-8f00-5b1d2c3e4f50',
    seq: 4,
    status: 'active',
    flow: { id: 'suspend-service', version: 3, title: '停机保号', variant: null },
    businesses: [{ flowId: 'suspend-service', version: 3, title: '停机保号', status: 'active', outcome: null }],
    betweenBusinesses: false,
    step: {
      id: 'confirm-suspend',
      title: '确认停机',
      lane: 'frontstage',
      marks: ['D', 'C'],
      script: '您好，我们将为您办理停机保号业务，停机期间号码保留，月功能费按标准收取。请问您确认办理吗？'.repeat(3),
      prompts: [{ id: 'fee', text: '停机保号每月收取功能费 5 元，恢复时无需另付费用。' }],
      inputs: [{ name: 'reason', type: 'select', label: '停机原因', required: true, values: ['lost', 'travel', 'other'].map((id) => ({ id, label: id })) }],
      options: [
        { id: 'confirm', label: '客户确认办理', inputs: ['reason'] },
        { id: 'decline', label: '客户暂不办理', inputs: [] },
      ],
    },
  },
};

/** The view's length in characters (its requestId keeps its length): every answer is checked whole. */
const VIEW_LENGTH = JSON.stringify(view).length;

const WORKER = `
const { parentPort } = require('node:worker_threads');
const view = ${JSON.stringify(view)};
const answer = (text) => { const f = JSON.parse(text); view.data.requestId = f.data.requestId; return JSON.stringify(view); };
parentPort.on('message', (m) => parentPort.postMessage(Array.isArray(m) ? m.map(answer) : answer(m)));
`;

/** Sends MESSAGES frames, BURST per turn, at most `window` unanswered; resolves with the main thread's CPU µs per message. */
async function run(mode, worker) {
  let sent = 0;
  let answered = 0;
  let bytes = 0;
  const window = 512;
  const cpu0 = mainThreadCpuSeconds();
  const t0 = performance.now();
  await new Promise((resolve) => {
    let parked = false;
    const received = (m) => {
      for (const text of Array.isArray(m) ? m : [m]) bytes += text.length;
      answered += Array.isArray(m) ? m.length : 1;
      if (answered === MESSAGES) resolve();
      else if (parked && sent - answered < window / 2) {
        parked = false;
        setImmediate(turn);
      }
    };
    worker?.on('message', received);
    function turn() {
      const batch = [];
      for (let i = 0; i < BURST && sent < MESSAGES && sent - answered < window; i++, sent++) {
        if (mode === 'inline') {
          const f = JSON.parse(frame);
          view.data.requestId = f.data.requestId;
          received(JSON.stringify(view));
        } else if (mode === 'each') worker.postMessage(frame);
        else batch.push(frame);
      }
      if (batch.length) worker.postMessage(batch);
      if (sent >= MESSAGES) return;
      // A full window waits for answers instead of turning idly: only the passing is counted.
      if (sent - answered >= window) parked = true;
      else setImmediate(turn);
    }
    turn();
  });
  worker?.removeAllListeners('message');
  const wallMs = performance.now() - t0;
  if (bytes !== MESSAGES * VIEW_LENGTH) throw new Error('the views did not come back whole');
  return { cpuUs: ((mainThreadCpuSeconds() - cpu0) * 1e6) / MESSAGES, wallMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const worker = new Worker(WORKER, { eval: true });
  console.log(
    `engine hand-off — ${MESSAGES} messages, bursts of ${BURST} per turn, ${ROUNDS} rounds after a warm-up (node ${process.version}); frame ${Buffer.byteLength(frame)} B, view ${Buffer.byteLength(JSON.stringify(view))} B`,
  );
  const modes = ['inline', 'each', 'per-turn'];
  for (const mode of modes) await run(mode, mode === 'inline' ? null : worker);
  const results = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) for (const mode of modes) results[mode].push(await run(mode, mode === 'inline' ? null : worker));
  console.log('  mode        main thread CPU µs/message (median, min–max)   wall ms per round (median)');
  for (const mode of modes) {
    const cpu = results[mode].map((r) => r.cpuUs);
    console.log(
      `  ${mode.padEnd(10)}  ${median(cpu).toFixed(2).padStart(8)} (${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)})${''.padEnd(22)}${median(results[mode].map((r) => r.wallMs)).toFixed(0)}`,
    );
  }
  await worker.terminate();
}

await main();
