// The open-loop bench's printed results and verdicts (bench/open-loop.mjs).

import { counts, round } from './harness.mjs';
import { breakdownLines } from './server-breakdown.mjs';
import { tailLine } from './tail-windows.mjs';
import { stallCause, stallLines } from './stall-attribution.mjs';
import { drainLines } from './end-of-call-drain.mjs';

// ---------------------------------------------------------------------------------------------
// Output

const ratio = (a, b) => (a !== null && b !== null && b > 0 ? round(a / b, 2) : null);

export function printLoad(r) {
  const d = r.latency.decide;
  const s = r.latency.decideService;
  const lines = [
    '',
    `== ${r.kind}: load, ${r.windowS} s measured`,
    `concurrent calls      mean ${r.concurrent.mean} (min ${r.concurrent.min}, max ${r.concurrent.max}); arrivals λ ${r.lambda}/s, mean call ${r.meanCallS} s`,
    `agents                ${r.preconnect.conns} connections opened before the load in ${r.preconnect.s} s (connect p99 ${r.preconnect.connectP99} ms)`,
    `calls                 started ${r.counts.started}, completed ${r.counts.completed}, abandoned ${r.counts.abandoned}; connections ${r.counts.connectOk} (failed ${r.counts.connectFail}), connect p99 ${r.latency.connect.p99} ms`,
    `messages/s            ${r.decisionsPerS} (starts + decisions answered in the window; decisions only ${r.decidesPerS}); pushed views ${r.counts.pushes}; mean reply ${r.replyBytesMean} B`,
    `decide latency (ms)   from intended send: p50 ${d.p50}  p90 ${d.p90}  p99 ${d.p99}  p99.9 ${d.p999}  max ${d.max}  (n=${d.n})`,
    `                      from actual send:   p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  p99.9 ${s.p999}  max ${s.max}`,
    ...tailLine(r.latency.decideTail),
    ...stallLines(r.tailStalls),
    `start latency (ms)    p50 ${r.latency.start.p50}  p99 ${r.latency.start.p99}  (includes SIM_LATENCY_MS lookup on laihua)`,
    `errors                ${counts(r.errors)}`,
  ];
  for (const [k, v] of Object.entries(r.errorSamples)) for (const x of v) lines.push(`    ${k}: ${x}`);
  lines.push(
    `server                CPU ${r.server.cpuPct}% of a core (main thread ${r.server.mainThreadPct}%), ${r.server.cpuMsPerMessage} ms CPU per message; RSS ${r.server.rssEndMiB} MiB (before load ${r.server.rssBeforeMiB}, peak ${r.server.rssPeakMiB}), ≈${r.server.kibPerActiveCall} KiB per active call`,
    ...breakdownLines(r.breakdown),
    ...drainLines(r.endOfCall),
    `client                CPU ${r.client.cpuPct}%, event-loop lag p99 ${r.client.eventLoopLagP99Ms} ms`,
    `machine               other CPU ${r.otherCpuPct}% of a core (the kernel's threads and interrupts ${r.kernelCpuPct}%, not counted), steal ${r.stealPct}%${r.otherCpuPct > 10 ? '  — INVALID RUN: the machine was not quiet' : ''}`,
  );
  if (r.db)
    lines.push(
      `database rows         calls ${r.db.calls}, call_events ${r.db.call_events}${r.db.messages !== undefined ? `, messages ${r.db.messages}` : ''}${
        r.db.call_outbox_pending !== undefined ? `; end-of-call backlog at stop ${r.db.call_outbox_pending} of ${r.db.call_outbox} ended calls` : ''
      }`,
    );
  if (r.calibration) {
    lines.push(
      `script mix            ${r.calibration.valid} of ${r.calibration.of} catalogue scripts ran as scripted${
        Object.keys(r.calibration.dropped).length
          ? '; dropped: ' +
            Object.entries(r.calibration.dropped)
              .map(([k, v]) => `${k} ×${v}`)
              .join(', ')
          : ''
      }`,
    );
  }
  if (r.outputTail) for (const x of r.outputTail) lines.push(`    ${x.slice(0, 300)}`);
  if (r.cpuProfile) {
    lines.push(`cpu profile           ${r.cpuProfile.file} (${r.cpuProfile.samples} samples); self:`);
    for (const [pct, k] of r.cpuProfile.self) lines.push(`    ${String(pct).padStart(5)}%  ${k}`);
    lines.push('  inclusive:');
    for (const [pct, k] of r.cpuProfile.inclusive) lines.push(`    ${String(pct).padStart(5)}%  ${k}`);
  }
  console.log(lines.join('\n'));
}

export function printIdle(r) {
  console.log(
    [
      '',
      `== ${r.kind}: ${r.requested} idle calls (opened in ${r.openedInS} s)`,
      `open and waiting      ${r.open}; errors ${Object.keys(r.errors).length ? JSON.stringify(r.errors) : 'none'}${Object.entries(r.errorSamples)
        .flatMap(([k, v]) => v.map((x) => `\n    ${k}: ${x}`))
        .join('')}`,
      `server RSS            ${r.rssMiB} MiB (before ${r.rssBeforeMiB}, peak ${r.rssPeakMiB}); ≈${r.kibPerCall} KiB per open call (connection included)`,
      `machine               other CPU ${r.otherCpuPct}% of a core (the kernel's threads and interrupts ${r.kernelCpuPct}%, not counted)`,
    ].join('\n'),
  );
}

export function verdicts(opts, res) {
  const out = [];
  const L = res.laihua;
  const B = res.baseline;
  if (L) {
    const d = L.latency.decide;
    const expected = opts.calls * (1000 / opts.think);
    const ratioP99 = B ? ratio(d.p99, B.latency.decide.p99) : null;
    const checks = [
      [`${opts.calls} concurrent calls held`, L.concurrent.mean >= 0.95 * opts.calls, `mean ${L.concurrent.mean}`],
      [`≥ ${round(0.95 * expected, 0)} messages/s`, L.decisionsPerS >= 0.95 * expected, `${L.decisionsPerS}/s`],
      ['decide p99 < 25 ms', d.p99 !== null && d.p99 < 25, `p99 ${d.p99} ms`],
      ['decide p99 ≤ 2× baseline p99', ratioP99 !== null && ratioP99 <= 2, B ? `${ratioP99}× (baseline p99 ${B.latency.decide.p99} ms)` : 'no baseline run'],
      [
        'no errors',
        Object.keys(L.errors).length === 0,
        Object.keys(L.errors).length
          ? Object.entries(L.errors)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')
          : 'none',
      ],
    ];
    const failed = checks.filter(([, ok]) => !ok);
    const causes = [];
    if (L.otherCpuPct > 10) causes.push(`machine not quiet (other CPU ${L.otherCpuPct}% of a core)`);
    if (L.server.mainThreadPct >= 85)
      causes.push(`laihua's main thread saturated (${L.server.mainThreadPct}% of a core, ${L.server.cpuMsPerMessage} ms CPU per message)`);
    if (L.client.cpuPct >= 85) causes.push(`load client saturated (${L.client.cpuPct}%)`);
    if (L.server.cpuPct + L.client.cpuPct + (L.otherCpuPct ?? 0) >= 180)
      causes.push(`both cores busy (server ${L.server.cpuPct}% + client ${L.client.cpuPct}% + other ${L.otherCpuPct}%)`);
    const tail = L.latency.decideTail;
    const stalls = stallCause(L.tailStalls);
    if (!causes.length && failed.length && tail && tail.halfIn <= 3 && stalls)
      causes.push(`tail latency from stalls: half the decisions above p99 fall in ${tail.halfIn} window(s) of ${tail.windowMs} ms, ${stalls}`);
    if (!causes.length && failed.length && tail && tail.halfIn <= 3)
      causes.push(
        `tail latency from stalls: half the decisions above p99 fall in ${tail.halfIn} window(s) of ${tail.windowMs} ms (the main thread at ${L.server.mainThreadPct}%) — see the decide tail and main thread GC lines`,
      );
    if (!causes.length && failed.length)
      causes.push(`tail latency with the main thread at ${L.server.mainThreadPct}%: queueing behind bursts — see --cpu-profile`);
    out.push(
      `TARGET 1 (${opts.calls} calls × 1 decision/s, p99 < 25 ms, ≤ 2× baseline p99): ${failed.length ? 'GAP' : 'MET'} — ${checks.map(([n, ok, v]) => `${n}: ${ok ? 'yes' : 'NO'} (${v})`).join('; ')}${failed.length ? `. Cause: ${causes.join('; ')}` : ''}`,
    );
  }
  const I = res.idleLaihua;
  if (I) {
    const floorKiB = res.idleBaseline?.kibPerCall ?? null;
    const ok = I.open >= opts.idle && I.rssMiB < 1024 && floorKiB !== null && I.kibPerCall <= 2 * floorKiB;
    out.push(
      `TARGET 2 (${opts.idle} open idle calls under 1 GB RSS, ≤ 2× the baseline's KiB per connection): ${ok ? 'MET' : 'GAP'} — ${I.open} open, RSS ${I.rssMiB} MiB, ≈${I.kibPerCall} KiB per call${floorKiB !== null ? ` (baseline: ${floorKiB} KiB per connection, ${ratio(I.kibPerCall, floorKiB)}×)` : ' (no baseline run)'}${I.open < opts.idle ? `; ${opts.idle - I.open} calls did not open: ${JSON.stringify(I.errors)}` : ''}`,
    );
  }
  const R = res.recovery;
  if (R) {
    const ok = R.live >= 0.99 * opts.recover && R.attachedSameStep === R.live && R.attachedMs < 5000;
    out.push(
      `TARGET 3 (a server SIGKILLed with ${opts.recover} live calls: every call attachable at its step < 5 s after start): ${ok ? 'MET' : 'GAP'} — ${R.live} live, healthy after ${R.healthyMs} ms, all attached after ${R.attachedMs} ms, ${R.attachedSameStep} at their step (engine: reading ${R.readMs} ms, rebuilding ${R.rebuildMs} ms)`,
    );
  }
  const P = res.replay;
  if (P) {
    const ok = P.callsPerS >= 2000 && P.deterministic === P.calls && P.chainIntact === P.calls && P.calls >= 0.95 * opts.replay;
    out.push(
      `TARGET 4 (replay ≥ 2,000 logged calls/s from the log, every one deterministic with an intact chain): ${ok ? 'MET' : 'GAP'} — ${P.callsPerS} calls/s over ${P.calls} calls (${P.events} events), deterministic ${P.deterministic}, chain intact ${P.chainIntact}`,
    );
  }
  const others = [L, B, I, res.idleBaseline].filter(Boolean).map((r) => r.otherCpuPct ?? 0);
  const worst = Math.max(0, ...others);
  out.push(
    worst > 10
      ? `VALIDITY: INVALID — other processes used up to ${worst}% of a core during a phase; rerun on a quiet machine`
      : `VALIDITY: ok (other CPU ≤ ${worst}% of a core in every phase)`,
  );
  return out;
}

export function printComparison(L, B) {
  const rows = [
    '',
    '| | laihua | baseline | ratio |',
    '|---|---:|---:|---:|',
    ['messages/s', L.decisionsPerS, B.decisionsPerS],
    ['decide p50 ms', L.latency.decide.p50, B.latency.decide.p50],
    ['decide p99 ms', L.latency.decide.p99, B.latency.decide.p99],
    ['decide p99.9 ms', L.latency.decide.p999, B.latency.decide.p999],
    ['decide max ms', L.latency.decide.max, B.latency.decide.max],
    ['server CPU % of a core', L.server.cpuPct, B.server.cpuPct],
    ['server CPU ms per message', L.server.cpuMsPerMessage, B.server.cpuMsPerMessage],
    ['server RSS MiB', L.server.rssEndMiB, B.server.rssEndMiB],
    ['concurrent calls (mean)', L.concurrent.mean, B.concurrent.mean],
  ].map((r) => (Array.isArray(r) ? `| ${r[0]} | ${r[1]} | ${r[2]} | ${ratio(r[1], r[2]) ?? '—'}× |` : r));
  console.log(rows.join('\n'));
}

/** The topologies side by side (--topologies), under the same load, with the floor's figures beside them. */
export function printTopologies(byName, B) {
  const names = Object.keys(byName);
  const all = names.map((n) => byName[n]);
  const cell = (r, f) => {
    const v = f(r);
    return v === null || v === undefined ? '—' : v;
  };
  const rows = [
    ['messages/s answered', (r) => r.decisionsPerS],
    ['decide p50 / p99 ms (intended send)', (r) => `${r.latency.decide.p50} / ${r.latency.decide.p99}`],
    ['errors', (r) => Object.values(r.errors).reduce((a, b) => a + b, 0)],
    ['laihua CPU ms per message (all nodes)', (r) => r.server.cpuMsPerMessage],
    ['… per node', (r) => (r.server.nodes.length > 1 ? r.server.nodes.map((n) => n.cpuMsPerMessage).join(' + ') : r.server.cpuMsPerMessage)],
    ['… main threads % of a core', (r) => (r.server.nodes.length > 1 ? r.server.nodes.map((n) => n.mainPct).join(' + ') : r.server.mainThreadPct)],
    ['PostgreSQL CPU ms per message', (r) => r.database?.cpuMsPerMessage ?? null],
    ['laihua + database CPU ms per message', (r) => Math.round((r.server.cpuMsPerMessage + (r.database?.cpuMsPerMessage ?? 0)) * 1000) / 1000],
    ['× the floor (CPU per message)', (r) => ratio(r.server.cpuMsPerMessage + (r.database?.cpuMsPerMessage ?? 0), B.server.cpuMsPerMessage)],
    ['RSS MiB (all nodes)', (r) => r.server.rssEndMiB],
    ['other CPU % (quiet ≤ 10)', (r) => r.otherCpuPct],
  ];
  const lines = [
    '',
    `| same load, ${B.decisionsPerS} messages/s offered | ${names.join(' | ')} | floor |`,
    `|---|${names.map(() => '---:|').join('')}---:|`,
    ...rows.map(([label, f]) => `| ${label} | ${all.map((r) => cell(r, f)).join(' | ')} | ${label.startsWith('×') ? '1' : cell(B, f)} |`),
  ];
  console.log(lines.join('\n'));
}
