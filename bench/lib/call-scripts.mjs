// Whole-call scripts for the load bench, taken from the catalogue: every flow file's paths are
// enumerated and run by the call simulator (src/simulation, built into dist/), and each
// path a demo customer reaches becomes a script — the customer who calls, then, in order, each
// agent decision (option, raw inputs, confirmed care prompts) and each back-end reply, with the
// step the call must be at after it. No hand-written paths: a changed flow changes its scripts.

import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @typedef {{ kind: 'decide', from: string, expect: string, option: string, input?: object, confirmedPrompts?: string[] }
 *   | { kind: 'push', from: string, expect: string }} ScriptStep
 * @typedef {{ flowId: string, msisdn: string, key: string, first: string, steps: ScriptStep[], decisions: number, outcome: string }} CallScript
 */

/**
 * Scripts for every flow in `<root>/flows`, from the built call simulator.
 * Left out: paths with a timer (a back-end timeout waits BACKEND_TIMEOUT_MS, 10 s), paths that
 * end by an accepted offer (the coverage resolver ends those as `converted`; the server moves
 * the call on into the product's flow) and paths only a derived customer reaches (the server's
 * DEMO_DATA has the demo customers only).
 * @returns {Promise<CallScript[]>}
 */
export async function catalogueScripts(root) {
  const require = createRequire(path.join(root, 'package.json'));
  const dist = (p) => require(path.join(root, 'dist', p));
  const { discoverFlows, enumerateFlow, profilesOf, runCoverage } = dist('simulation/index.js');
  const { fileFlows } = dist('simulation/file-flows.js');
  const { loadCustomerFixtures } = dist('backend/simulator/customer-fixtures.js');

  const fixtures = loadCustomerFixtures(path.join(root, 'src/backend/simulator/demo-customers.json'));
  const profiles = await profilesOf(fixtures);
  const scripts = [];
  for (const file of discoverFlows(path.join(root, 'flows'))) {
    if (!file.flow) continue;
    const { id } = file.flow.definition;
    const flows = fileFlows([id]);
    const coverage = enumerateFlow(file.file, file.flow, profiles, { flows });
    await runCoverage(coverage, { fixtures, flows, settleMs: 20 });
    for (const p of coverage.paths) {
      if (p.outcome === 'converted') continue;
      for (const run of p.runs) {
        if (!run.reached || run.outcome === 'converted') continue;
        const script = toScript(id, p.key, run);
        if (script) scripts.push(script);
      }
    }
  }
  return scripts;
}

/** The run's logged events as what the agent sends and what the server must show after each. */
function toScript(flowId, key, run) {
  const [started, ...rest] = run.events;
  if (!started || started.type !== 'call.started') return null;
  const steps = [];
  for (const e of rest) {
    if (e.type === 'decision') {
      const { option, input, confirmedPrompts } = e.payload;
      steps.push({
        kind: 'decide',
        from: e.stateBefore,
        expect: e.stateAfter,
        option,
        ...(input !== undefined ? { input } : {}),
        ...(confirmedPrompts ? { confirmedPrompts } : {}),
      });
    } else if (e.type === 'backend.reply') {
      steps.push({ kind: 'push', from: e.stateBefore, expect: e.stateAfter });
    } else {
      return null; // a timer or a hang-up: not a call an agent drives at one decision a second
    }
  }
  const decisions = steps.filter((s) => s.kind === 'decide').length;
  if (!decisions) return null;
  return { flowId, msisdn: run.msisdn, key, first: started.stateAfter, steps, decisions, outcome: run.outcome };
}
