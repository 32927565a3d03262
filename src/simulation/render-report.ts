import * as path from 'node:path';
import type { FlowReport, UnreachablePath } from './coverage-report';

/** The coverage of each flow in one Markdown table row (docs/COVERAGE.md and the spec's console output). */
export function renderTable(reports: FlowReport[]): string {
  const rows = reports.map((r) => {
    const s = r.shortestSuccess;
    const yn = (x: boolean | null) => (x === null ? 'n/a' : x ? '**yes**' : 'no');
    const exceeds = r.exceedsTarget === null ? 'n/a (sub-blueprint)' : `${yn(r.exceedsTarget)} / ${yn(r.mainExceedsTarget)}`;
    const outcomes = Object.entries(r.outcomes)
      .map(([o, n]) => `${o} ${n}`)
      .join(', ');
    return `| ${r.id}@${r.version} | ${r.kind} | ${r.statesOnPaths}/${r.states} | ${r.paths} (${r.simplePaths}+${r.loopPaths}) | ${r.reachedByDemo} + ${r.reachedPaths - r.reachedByDemo} = ${r.reachedPaths}/${r.paths} | ${outcomes} | ${s ? `${s.agentSteps} (${s.outcome})` : '—'} | ${r.shortestMain ? `${r.shortestMain.agentSteps} (${r.shortestMain.outcome})` : '—'} | ${exceeds} |`;
  });
  return [
    '| flow | kind | states on paths / states | paths (simple+loop) | reached: demo + derived customers | outcomes (paths) | agent steps, shortest success | agent steps, main outcome | > 3 (shortest success / main) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** What the unreached paths need from a back end, over all flows: the demo customers that are missing. */
export function neededCustomers(reports: FlowReport[]): string {
  const needs = new Map<string, Map<string, number>>();
  for (const r of reports) {
    for (const u of r.unreachable) {
      const flows = needs.get(u.need) ?? new Map<string, number>();
      flows.set(r.id, (flows.get(r.id) ?? 0) + 1);
      needs.set(u.need, flows);
    }
  }
  if (!needs.size) return 'Every path is reached by a demo customer or a customer derived from one.';
  const rows = [...needs]
    .sort((a, b) => [...b[1].values()].reduce((x, y) => x + y, 0) - [...a[1].values()].reduce((x, y) => x + y, 0))
    .map(([need, flows]) => `| ${need} | ${[...flows].map(([f, n]) => `${f} (${n})`).join(', ')} |`);
  return ['| missing demo customer | flows (unreached paths) |', '|---|---|', ...rows].join('\n');
}

/** The table, the missing customers, and per flow what its paths cost the agent and which no customer reaches. */
export function renderReport(reports: FlowReport[], loadErrors: { file: string; error: string }[]): string {
  const out: string[] = [
    renderTable(reports),
    '',
    '#### Customers that would be needed (paths neither a demo nor a derived customer reaches)',
    '',
    neededCustomers(reports),
    '',
  ];
  for (const r of reports) {
    out.push(`### ${r.id}@${r.version} — ${r.title} (\`${r.file}\`)`, '');
    out.push(`- ${r.kind === 'business' ? 'agent operations' : 'agent steps'}: ${r.reason}`);
    if (r.shortestSuccess) out.push(`- shortest successful path: \`${r.shortestSuccess.key}\``);
    if (r.shortestMain && r.shortestMain.key !== r.shortestSuccess?.key) out.push(`- shortest '${r.shortestMain.outcome}' path: \`${r.shortestMain.key}\``);
    if (r.statesNeverVisited.length) out.push(`- states on no path: ${r.statesNeverVisited.join(', ')}`);
    if (r.capped.length) out.push(`- enumeration capped for: ${r.capped.join(', ')}`);
    if (r.deadEnds.length) out.push(`- transitions from which no ending is reachable: ${r.deadEnds.join(', ')}`);
    if (r.derived.length) {
      out.push(`- ${r.derived.length} path(s) reached only by a derived customer (a demo customer's record, the back end scripted per operation):`);
      for (const d of r.derived)
        out.push(`    - \`${d.key}\` — ${d.msisdn} from ${d.basedOn}, back end \`${JSON.stringify(d.backend)}\`, IVR password ${d.ivrPassword}`);
    }
    if (r.unreachable.length) {
      out.push(`- **${r.unreachable.length} path(s) no customer reaches**, by the customer they would need:`);
      const byNeed = new Map<string, UnreachablePath[]>();
      for (const u of r.unreachable) byNeed.set(u.need, [...(byNeed.get(u.need) ?? []), u]);
      for (const [need, us] of byNeed) {
        out.push(`  - ${need} — ${us.length} path(s):`);
        for (const u of us) out.push(`    - \`${u.key}\`${u.example ? ` (via \`${u.example}\`)` : ''} — back end: \`${u.signature}\``);
      }
    }
    out.push('');
  }
  if (loadErrors.length) {
    out.push('### Files that do not load', '');
    for (const e of loadErrors) out.push(`- \`${path.basename(e.file)}\`:`, '', '```', e.error, '```', '');
  }
  return out.join('\n');
}
