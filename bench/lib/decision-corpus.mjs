// The decision-path bench's material (bench/decision-path.mjs): the catalogue as the built server
// has it after boot, and the corpus — every catalogue script run once through the server's own
// step code from dist/, keeping its inputs, events, progresses and `call.decide` frames.

import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { cachedCatalogueScripts } from './call-scripts.mjs';
import { ROOT } from './harness.mjs';

/** The flows, registry, matrix and resolver of the built server (`dist(p)` loads a file of the build). */
export function loadCatalogue(dist) {
  const { loadFlowDirectory } = dist('flows/flow-loader.js');
  const { createRegistry } = dist('flows/registry/registry.js');
  const { flowForRegion } = dist('flows/regional-variant.js');
  const { loadMatrixFile } = dist('flows/marketing-matrix.js');
  const registry = createRegistry({ backendTimeout: 10_000 });
  const compiled = loadFlowDirectory(path.join(ROOT, 'flows'), registry);
  const matrix = loadMatrixFile(path.join(ROOT, 'flows/marketing/related-marketing.json')).matrix;
  const byId = new Map(compiled.map((f) => [f.definition.id, f]));
  /** Every file version "published since the epoch", as the server has them after boot. */
  const resolver = {
    exact: (id, version, region) =>
      flowForRegion(
        compiled.find((f) => f.definition.id === id && f.definition.version === version),
        region,
        registry,
      ),
    at: (id, _at, region) => (byId.has(id) ? flowForRegion(byId.get(id), region, registry) : null),
    hangUp: (_at, region) => {
      const flow = compiled.find((f) => f.definition.kind === 'hang-up');
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    matrix: () => matrix,
  };
  const businesses = compiled
    .map((f) => f.definition)
    .filter((d) => (d.kind ?? 'business') === 'business')
    .sort((a, b) => a.id.localeCompare(b.id));
  const titleOf = (id) => byId.get(id)?.definition.title ?? null;
  return { registry, resolver, businesses, titleOf };
}

/** Every catalogue script run once as the engine runs it (back-end replies from the simulator, no latency). */
export async function buildCorpus(dist, { registry, resolver }, log) {
  const { operationNamed } = dist('flows/registry/registry.js');
  const { advance, beginCall } = dist('calls/step/index.js');
  const { SimulatorBackend } = dist('backend/simulator/simulator-backend.js');
  const { loadCustomerFixtures } = dist('backend/simulator/customer-fixtures.js');
  const scripts = await cachedCatalogueScripts(ROOT, log);
  const backend = new SimulatorBackend(loadCustomerFixtures(path.join(ROOT, 'src/backend/simulator/demo-customers.json')), 0);
  const calls = [];
  let clock = Date.parse('2026-11-23T10:00:00.000Z');
  const at = () => new Date((clock += 1000)).toISOString();
  let dropped = 0;
  for (const script of scripts) {
    const customer = await backend.lookupCustomer(script.msisdn);
    const start = { callId: randomUUID(), agentId: 'bench-agent', callerNumber: script.msisdn, customer, at: at() };
    let step = beginCall(resolver.at(script.flowId, start.at, customer.region), start);
    const call = { start, flowId: script.flowId, inputs: [], events: [step.event], progresses: [step.progress], decideFrames: [] };
    let ok = step.event.stateAfter === script.first;
    for (const s of script.steps) {
      if (!ok) break;
      let input;
      const progress = step.progress;
      if (s.kind === 'decide') {
        const payload = { option: s.option };
        if (s.input !== undefined) payload.input = s.input;
        if (s.confirmedPrompts !== undefined) payload.confirmedPrompts = s.confirmedPrompts;
        input = { type: 'decision', payload, at: at() };
        call.decideFrames.push(
          JSON.stringify({ event: 'call.decide', data: { requestId: `r-${progress.record.seq}`, callId: start.callId, seq: progress.record.seq, ...payload } }),
        );
      } else {
        const effect = progress.effects.find((e) => e.kind === 'operation');
        if (!effect) {
          ok = false;
          break;
        }
        const idempotencyKey = `${progress.record.id}:${progress.record.seq}`;
        let reply;
        try {
          const output = await operationNamed(registry, effect.src)(backend, {
            callId: progress.record.id,
            idempotencyKey,
            customer: progress.snapshot.context.customer,
            context: progress.snapshot.context,
            input: effect.input,
          });
          reply = { ok: true, output: output ?? null };
        } catch (e) {
          reply = { ok: false, error: { code: e.code ?? 'BACKEND_FAILURE', message: e.message } };
        }
        input = { type: 'backend.reply', payload: { operation: effect.src, invokeId: effect.invokeId, idempotencyKey, ...reply, latencyMs: 30 }, at: at() };
      }
      step = advance(progress, input, resolver);
      ok = step.event.stateAfter === s.expect;
      call.inputs.push(input);
      call.events.push(step.event);
      call.progresses.push(step.progress);
    }
    if (ok) calls.push(call);
    else dropped++;
  }
  return { calls, scripts: scripts.length, dropped };
}
