// Bench only (open-loop.mjs --without-end-of-call): preloaded into the laihua server, it keeps the
// end-of-call worker thread (QA checks, metrics facts and rollups, src/end-of-call) from starting, so
// the process's CPU per message is that of the decision path alone. The main thread still inserts
// each ended call's outbox row with its last event (that is part of the decision path); the rows
// stay pending.
// Preloads run in worker threads too (execArgv is inherited): patch the main thread only.
const path = require('node:path');
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  const workerFile = path.join(path.dirname(path.resolve(process.argv[1])), 'end-of-call', 'end-of-call-worker.service.js');
  const { EndOfCallWorker } = require(workerFile);
  EndOfCallWorker.prototype.onApplicationBootstrap = function endOfCallDisabledForTheBench() {};
}
