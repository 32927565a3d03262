// Bench only (open-loop.mjs --without-end-of-call): preloaded into the laihua server, it stops the
// work that follows an ended call (QA checks, metrics facts and rollups, which subscribe through
// CallEngine.onEnded) from starting, so the server's CPU per message is that of the decision path
// alone — what the main thread carries once end-of-call work runs elsewhere (issue 15).
const path = require('node:path');

const engineFile = path.join(path.dirname(path.resolve(process.argv[1])), 'calls', 'call-engine.service.js');
const { CallEngine } = require(engineFile);
CallEngine.prototype.onEnded = function onEndedDisabledForTheBench() {
  return () => undefined;
};
