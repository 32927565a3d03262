// Whole-call scripts for the load bench, taken from the catalogue: every flow file's paths are
// enumerated and run by the call simulator (src/simulation, built into dist/), and each
// path a demo customer reaches becomes a script — the customer who calls, then, in order, each
// agent decision (option, raw inputs, confirmed care prompts) and each back-end reply, with the
// step the call must be at after it. No hand-written paths: a changed flow changes its scripts.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * @typedef {{ kind: 'decide', from: string, expect: string, option: string, input?: object, confirmedPrompts?: string[] }
 *   | { kind: 'push', from: string, expect: string }} ScriptStep
 * @typedef {{ flowId: string, msisdn: string, key: string, first: string, steps: ScriptStep[], decisions: number, outcome: string }} CallScript
 */

/**
 * The catalogue's scripts, cached in $TMPDIR under a hash of everything they depend on
 * (enumerating and running every catalogue path takes ~40 s).
 * @returns {Promise<CallScript[]>}
 */
export async function cachedCatalogueScripts(root, log = () => {}) {
  const hash = createHash('sha256');
  const inputs = [
    ...readdirSync(path.join(root, 'flows'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(root, 'flows', f)),
    path.join(root, 'flows/marketing/related-marketing.json'),
    path.join(root, 'src/backend/simulator/demo-customers.json'),
    ...readdirSync(path.join(root, 'dist/simulation'))
      .filter((f) => f.endsWith('.js'))
      .sort()
      .map((f) => path.join(root, 'dist/simulation', f)),
    path.join(root, 'bench/lib/call-scripts.mjs'),
  ];
  for (const f of inputs) if (existsSync(f)) hash.update(readFileSync(f));
  const cache = path.join(tmpdir(), `laihua-call-scripts-${hash.digest('hex').slice(0, 16)}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  log('building call scripts from the catalogue (call simulator, ~40 s; cached afterwards)…');
  const scripts = await catalogueScripts(root);
  writeFileSync(cache, JSON.stringify(scripts));
  return scripts;
}

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
  let decided = 0;
  for (const e of rest) {
    if (e.type === 'decision') {
      const { option, confirmedPrompts } = e.payload;
      // What the simulator sent, not the log's copy: the log keeps secret digits as '[not kept]'.
      const input = run.decisionInputs[decided++];
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
