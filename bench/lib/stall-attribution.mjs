// What each thread was doing in the decisions' worst tail windows (bench/open-loop.mjs --probe): the
// notes of bench/lib/stall-probe.cjs lined up with bench/lib/tail-windows.mjs's windows, on the wall
// clock. A decision sent in a window is late because of what held the server from a little before
// that window to its end, so each window is read with LEAD_MS before it.

/** A decision waits behind work that began before it was sent: a stall this much earlier still delays it. */
export const LEAD_MS = 300;

/** One probe line's JSON (`STALL-PROBE {…}`), or null for any other line. */
export function probeNote(line) {
  const at = line.indexOf('STALL-PROBE ');
  if (at < 0) return null;
  try {
    return JSON.parse(line.slice(at + 'STALL-PROBE '.length));
  } catch {
    return null;
  }
}

/**
 * `notes`: the probe's notes; `tail`: tailWindows(…)'s result. For each of the worst windows, per
 * thread (named by its script where the main thread said which): the longest gap of its event loop,
 * and its collections by kind (count, longest) overlapping [epoch − LEAD_MS, epoch + windowMs).
 */
export function stallsInTail(notes, tail) {
  if (!tail?.worst?.length || !notes?.length) return null;
  const names = new Map([['main', 'main']]);
  for (const n of notes) if (n.kind === 'thread') names.set(`thread-${n.id}`, n.script.replace(/\.(worker\.)?js$/, ''));
  const windows = tail.worst.map((w) => {
    const from = w.epoch - LEAD_MS;
    const to = w.epoch + tail.windowMs;
    const threads = new Map();
    for (const n of notes) {
      if (n.kind !== 'gap' && n.kind !== 'gc') continue;
      if (n.from + n.ms < from || n.from >= to) continue;
      const name = names.get(n.thread) ?? n.thread;
      const t = threads.get(name) ?? { thread: name, longestGapMs: 0, gc: {} };
      if (n.kind === 'gap') t.longestGapMs = Math.max(t.longestGapMs, n.ms);
      else {
        const g = (t.gc[n.gc] ??= { count: 0, longestMs: 0, firstAtMs: Math.round(n.from - w.epoch) });
        g.count++;
        g.longestMs = Math.max(g.longestMs, n.ms);
      }
      threads.set(name, t);
    }
    return { atS: w.atS, epoch: w.epoch, over: w.over, threads: [...threads.values()] };
  });
  const withMarkCompact = windows.filter((w) => w.threads.some((t) => t.thread === 'main' && t.gc['mark-compact'])).length;
  return { leadMs: LEAD_MS, windows, withMarkCompact };
}

/** The report's lines: one per worst window. */
export function stallLines(s) {
  if (!s) return [];
  return s.windows.map((w, i) => {
    const threads = w.threads
      .sort((a, b) => (a.thread === 'main' ? -1 : b.thread === 'main' ? 1 : b.longestGapMs - a.longestGapMs))
      .map((t) => {
        const gcs = Object.entries(t.gc).map(
          ([kind, g]) => `${kind} ${g.count} × ≤ ${g.longestMs} ms (first at ${g.firstAtMs >= 0 ? '+' : ''}${g.firstAtMs} ms)`,
        );
        // A thread noted only for a collection held its loop under the probe's 20 ms.
        const held = t.longestGapMs ? [`loop held ≤ ${t.longestGapMs} ms`] : [];
        return `${t.thread}: ${[...held, ...gcs].join(', ')}`;
      });
    const head = i === 0 ? `tail stalls (probe)   ` : '                      ';
    return `${head}t=${w.atS} s, ${s.leadMs} ms before to its end: ${threads.length ? threads.join('; ') : 'no thread held over 20 ms, no collection over 4 ms'}`;
  });
}

/** A cause for the verdict, when the probe saw one: how many worst windows a mark-compact of the main thread fell in. */
export function stallCause(s) {
  if (!s || !s.withMarkCompact) return null;
  return `a mark-compact of the main thread in ${s.withMarkCompact} of the ${s.windows.length} worst tail windows (probe: see the tail stalls lines)`;
}
