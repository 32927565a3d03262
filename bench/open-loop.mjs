#!/usr/bin/env node
// Open-loop load bench for laihua: calls arrive at a set rate and run whole scripted paths
// through the catalogue flows, each agent deciding about once a second; the same load is then
// run against the floor (bench/baseline-server.mjs: bare `ws` + SQLite group commit) and the
// results are given as ratios to it. An idle phase then holds many open calls waiting on an
// agent step and weighs them. Ends with one verdict line per target.
//
//   npm run bench:open-loop                           # build, then --calls 2000 --idle 10000
//   node bench/open-loop.mjs --calls 200 --duration 10 --idle 500   # smoke run after `npx nest build`
//
// Open loop: each call's sends are scheduled in advance (arrival, then one decision per think
// time after the previous one's *intended* time); a late reply delays the send that needs it, and
// that wait counts: decision latency is from the intended send time to the view carrying its
// requestId (coordinated omission corrected). The service time (from the actual send) is printed
// beside it. See docs/PERFORMANCE.md.

import { loadavg } from 'node:os';

import { optionsOrExit } from './lib/cli-options.mjs';
import { round, sleep } from './lib/harness.mjs';
import { parseArgs } from './lib/open-loop-cli.mjs';
import { idlePhase, loadPhase } from './lib/open-loop-phases.mjs';
import { nodeLossPhase, printNodeLoss } from './lib/node-loss-phase.mjs';
import { printRecovery, recoveryPhase } from './lib/recovery-phase.mjs';
import { printReplay, replayPhase } from './lib/replay-phase.mjs';
import { printComparison, printIdle, printLoad, printTopologies, verdicts } from './lib/open-loop-report.mjs';
import { loadScripts, schedule } from './lib/open-loop-schedule.mjs';

async function main() {
  const opts = optionsOrExit(parseArgs, 'npm run bench:open-loop builds');
  console.log(
    `laihua open-loop bench — ${new Date().toISOString()}, node ${process.version}, load average ${loadavg()
      .map((x) => round(x, 2))
      .join(' ')}, args: ${process.argv.slice(2).join(' ') || '(defaults)'}`,
  );
  let scripts = await loadScripts();
  if (opts.flows) scripts = scripts.filter((s) => opts.flows.includes(s.flowId));
  const res = {};
  const endS = opts.ramp + 5 + opts.duration;
  // The plan is fixed once the laihua run has calibrated which scripts it takes; the baseline reuses it.
  const plan = {
    valid: scripts,
    schedule: null,
    ready(valid) {
      this.valid = valid;
      this.schedule = schedule(valid, opts, endS);
    },
  };
  plan.ready(scripts);
  if (opts.calls > 0) {
    if (opts.laihua) {
      res.topologies = {};
      for (const topology of opts.topologies) {
        if (Object.keys(res.topologies).length) await sleep(2000);
        res.topologies[topology.name] = await loadPhase('laihua', scripts, plan, opts, {}, topology);
        printLoad(res.topologies[topology.name]);
      }
      // The targets and the comparison with the floor are one node's (SQLite when it ran).
      res.laihua = res.topologies.sqlite ?? Object.values(res.topologies)[0];
    }
    if (opts.baseline) {
      await sleep(2000);
      res.baseline = await loadPhase('baseline', scripts, plan, opts, { REPLY_BYTES: String(res.laihua?.replyBytesMean ?? 1500) });
      printLoad(res.baseline);
    }
    if (res.laihua && res.baseline) printComparison(res.laihua, res.baseline);
    if (opts.topologies.length > 1 && res.baseline) printTopologies(res.topologies, res.baseline);
  }
  if (opts.idle > 0) {
    if (opts.laihua) {
      await sleep(2000);
      res.idleLaihua = await idlePhase('laihua', plan.valid, opts);
      printIdle(res.idleLaihua);
    }
    if (opts.baseline) {
      await sleep(2000);
      res.idleBaseline = await idlePhase('baseline', plan.valid, opts);
      printIdle(res.idleBaseline);
    }
  }
  if (opts.laihua && opts.recover > 0) {
    await sleep(2000);
    if (opts.recoverOn === 'pg-node-loss') {
      res.nodeLoss = await nodeLossPhase(plan.valid, opts);
      printNodeLoss(res.nodeLoss);
    } else {
      res.recovery = await recoveryPhase(plan.valid, opts);
      printRecovery(res.recovery);
    }
  }
  if (opts.laihua && opts.replay > 0) {
    await sleep(2000);
    res.replay = await replayPhase(plan.valid, opts);
    printReplay(res.replay);
  }
  console.log('');
  for (const v of verdicts(opts, res)) console.log(v);
  if (opts.json) console.log(JSON.stringify({ bench: 'open-loop', date: new Date().toISOString(), opts, ...res }));
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
