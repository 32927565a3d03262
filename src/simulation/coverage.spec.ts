import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CustomerProfile } from '../backend/customer';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { NOT_KEPT, replayCall } from '../calls/step';
import { chainEvents } from '../decision-log/hash-chain';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { openTestDatabase } from '../testing/sqlite-data-source';
import type { DataSource } from 'typeorm';
import { fileFlows } from './file-flows';
import type { FlowResolver } from '../flows/flow-resolver';
import { type FlowReport, outcomesOf, reportOf } from './coverage-report';
import { renderCoverageDoc } from './coverage-doc';
import { enumeratePaths } from './enumerate-paths';
import { type CoveredPath, enumerateFlow, profilesOf } from './flow-coverage';
import { discoverFlows, type LoadedFile } from './flow-files';
import { probeBackEnd } from './probe-backend';
import { renderReport } from './render-report';
import { runCoverage } from './run-coverage';
import { runPath } from './run-path';

/**
 * Generated path coverage: every flow file's paths come from its machine (XState's graph
 * utilities, enumerate-paths.ts) — no hand-listed path table — and each path is run end to end through the
 * real step function against the real simulator for the demo customers whose profile allows it
 * (run-path.ts). Every path must be reached by at least one demo customer, end where it says,
 * and replay deterministically from the events the run produced — and, for the first customer
 * reaching each path, from those events as written to and read back from the real SQLite log.
 *
 * `WRITE_COVERAGE_DOC=1` also writes docs/COVERAGE.md from the same run.
 */
const ROOT = path.resolve(__dirname, '../..');
const FLOWS_DIR = path.join(ROOT, 'flows');
const fixtures = loadCustomerFixtures(path.join(ROOT, 'src/backend/simulator/demo-customers.json'));
const files: LoadedFile[] = discoverFlows(FLOWS_DIR);
const reports: FlowReport[] = [];
const loadErrors: { file: string; error: string }[] = [];

const describePath = (p: CoveredPath) => `${p.kind} path ${p.key}${p.kind === 'simple' ? ` (${p.outcome})` : ''}`;

function resolverFor(f: LoadedFile & { flow: object }): FlowResolver {
  const { id } = f.flow!.definition;
  if (path.basename(f.file) !== `${id}.json`) {
    throw new Error(
      `${path.basename(f.file)}: flow id '${id}' does not match the file name (docs/FLOWS.md §12: flows/<id>.json), so the file-flows resolver cannot load it`,
    );
  }
  // Only this flow: an accepted offer ends the call as `converted` instead of moving into another business.
  return fileFlows([id]);
}

describe('the coverage harness on suspend-service (the reference flow)', () => {
  const flows = fileFlows(['suspend-service']);
  const flow = flows.get('suspend-service');
  let profiles: CustomerProfile[];
  beforeAll(async () => {
    profiles = await profilesOf(fixtures);
  });
  const profile = (msisdn: string) => profiles.find((p) => p.msisdn === msisdn)!;

  it('enumerates the blueprint main path, the lock after three failures and the retry loop from the machine', () => {
    const { paths } = enumeratePaths(flow, profile('13800000003'), { flows });
    const keys = paths.map((p) => p.key);
    expect(keys).toContain(
      'check-eligibility[continue] → confirm-reason[continue] → warn[acknowledged] → upsell[decline] → verify[password] → checking-password[done:ivr-check] → ' +
        'execute[execute] → executing[done:suspend-line] → remind[acknowledged] → close[submit] → completed',
    );
    expect(paths.filter((p) => p.outcome === 'locked').map((p) => p.steps.filter((s) => s.state.startsWith('checking-')).length)).toContain(3);
    expect(paths.find((p) => p.edge === 'execute-failed[retry]→executing')).toMatchObject({ kind: 'loop', next: 'executing' });
    // An ineligible customer has exactly one path.
    expect(enumeratePaths(flow, profile('13800000002'), { flows }).paths.map((p) => p.key)).toEqual(['check-eligibility[end-not-eligible] → not-eligible']);
  });

  it('runs a path through the real step function and simulator: a customer whose back end hangs reaches the timeout path, others do not', async () => {
    const { paths } = enumeratePaths(flow, profile('13800000006'), { flows });
    const timeout = paths.find(
      (p) => p.key.includes('executing[after:backendTimeout]') && p.key.includes('raising-ticket[after:backendTimeout]') && p.kind === 'simple',
    )!;
    const run = (msisdn: string) => runPath(timeout, { flow, flows, fixtures, msisdn, callId: `harness-${msisdn}` });
    const hangs = await run('13800000006');
    // Its work-order request hangs too: no ticket is announced, the call ends with a manual follow-up.
    expect(hangs).toMatchObject({ reached: true, outcome: 'manual-follow-up', final: 'manual-follow-up' });
    expect(hangs.events.filter((e) => e.type === 'timeout')).toEqual([
      expect.objectContaining({ stateBefore: 'executing', stateAfter: 'execute-failed' }),
      expect.objectContaining({ stateBefore: 'raising-ticket', stateAfter: 'ticket-failed' }),
    ]);
    expect(replayCall(flows, hangs.record!, chainEvents(hangs.events)).deterministic).toBe(true);
    const answers = await run('13800000001');
    expect(answers.reached).toBe(false);
    expect(answers.failure!.reason).toMatch(/executeSuspension answered ok .* before the timer/);
  });

  it("feeds the real simulator answer: the ID check passes with the caller's own digits, the sample digits fail", async () => {
    const { paths } = enumeratePaths(flow, profile('13800000001'), { flows });
    const byDocument = paths.find(
      (p) =>
        p.key.startsWith(
          'check-eligibility[continue] → confirm-reason[continue] → warn[acknowledged] → upsell[decline] → verify[id-document] → checking-document[done:document-check] → execute',
        ) && p.outcome === 'completed',
    )!;
    const run = await runPath(byDocument, { flow, flows, fixtures, msisdn: '13800000001', callId: 'harness-doc' });
    expect(run).toMatchObject({ reached: true, outcome: 'completed', attempts: 2 });
    // The check passed with the caller's own digits; the log keeps the decision, not the digits.
    expect(run.events.find((e) => e.stateAfter === 'checking-document')!.payload).toMatchObject({
      option: 'id-document',
      input: { idLast4: NOT_KEPT },
    });
  });
});

describe('generated path coverage of every flow file', () => {
  let profiles: CustomerProfile[];
  let dataSource: DataSource;
  let log: SqliteDecisionLog;
  beforeAll(async () => {
    profiles = await profilesOf(fixtures);
    ({ dataSource } = await openTestDatabase());
    log = new SqliteDecisionLog(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    const text = renderReport(reports, loadErrors);
    // eslint-disable-next-line no-console
    console.log(`Path coverage (${reports.length} flows, ${fixtures.length} demo customers)\n\n${text}`);
    if (process.env.WRITE_COVERAGE_DOC) {
      fs.writeFileSync(path.join(ROOT, 'docs/COVERAGE.md'), renderCoverageDoc(reports, loadErrors, fixtures));
    }
  });

  it('finds the flow files in the flows directory', () => {
    expect(files.map((f) => path.basename(f.file))).toContain('suspend-service.json');
  });

  it.each(files.map((f) => [path.basename(f.file), f] as const))('%s: every path is reached by a simulator customer and replays', async (name, f) => {
    if (!f.flow) {
      loadErrors.push({ file: f.file, error: f.error! });
      throw new Error(`${name} does not load, so its paths cannot be enumerated:\n${f.error}`);
    }
    const flows = resolverFor(f as LoadedFile & { flow: object });
    const coverage = enumerateFlow(f.file, f.flow, profiles, { flows });
    coverage.backEnd = await probeBackEnd(f.flow, fixtures, profiles);
    await runCoverage(coverage, { fixtures, flows, deriveCustomers: true });
    const report = reportOf(coverage);
    reports.push(report);

    const problems: string[] = [];
    if (report.capped.length) problems.push(`enumeration capped (too many simple paths) for customers ${report.capped.join(', ')}`);
    for (const d of report.deadEnds) problems.push(`transition ${d} leads where no ending can be reached`);
    for (const st of report.statesNeverVisited) problems.push(`step '${st}' is on no path of any demo customer's profile`);
    for (const u of report.unreachable) {
      problems.push(
        [`no demo customer reaches ${u.key}`, `  needs ${u.needed}`, ...u.tried.map((t) => `  ${t.msisdn} stops at ${t.stoppedAt}: ${t.reason}`)].join('\n'),
      );
    }
    for (const p of coverage.paths) {
      const first = p.runs.find((r) => r.reached);
      if (first) {
        // Through the real log: what it gives back must be what was written, and replay the same.
        for (const event of first.events) await log.append(event, first.record!);
        const [stored, record] = await Promise.all([log.events(first.record!.id), log.findCall(first.record!.id)]);
        // The chain is over the stored (sealed) payloads, so its hashes are the log's own: compared
        // apart (replay checks the chain below), everything else must be what was written.
        const unhashed = (events: readonly { hash?: unknown; prevHash?: unknown }[]) =>
          JSON.stringify(events.map(({ hash: _h, prevHash: _p, ...rest }) => rest));
        if (unhashed(stored) !== unhashed(chainEvents(first.events)))
          problems.push(`${describePath(p)} by ${first.msisdn}: the log gives back different events`);
        const replay = replayCall(flows, record!, stored);
        if (!replay.deterministic)
          problems.push(`${describePath(p)} by ${first.msisdn} does not replay from the log: ${JSON.stringify(replay.divergences[0])}`);
        if (!replay.chain.intact)
          problems.push(`${describePath(p)} by ${first.msisdn}: the log's hash chain breaks at ${JSON.stringify(replay.chain.brokenAt)}`);
      }
      for (const run of p.runs.filter((r) => r.reached)) {
        const replay = replayCall(flows, run.record!, chainEvents(run.events));
        if (!replay.deterministic) problems.push(`${describePath(p)} by ${run.msisdn} does not replay: ${JSON.stringify(replay.divergences[0])}`);
        const { segments } = run.progress!;
        if (segments[0].status !== 'done' || f.flow.definition.machine.states[run.final!]?.type !== 'final') {
          problems.push(`${describePath(p)} by ${run.msisdn} did not end the business (at '${run.events.at(-1)!.stateAfter}')`);
        }
        if (!outcomesOf(p).includes(run.outcome!)) problems.push(`${describePath(p)} by ${run.msisdn} ended with outcome ${run.outcome}`);
        if (segments.length > 1) {
          // An accepted offer whose product is this same flow: the call goes on into it.
          const offer = run.progress!.snapshot.context.acceptedOffer as { targetFlowId?: string } | undefined;
          if (run.outcome !== 'converted' || segments[1].by !== 'offer' || segments[1].flowId !== f.flow.definition.id) {
            problems.push(`${describePath(p)} by ${run.msisdn} moved on into ${segments[1].flowId} (${segments[1].by}) ${JSON.stringify(offer ?? null)}`);
          }
        } else {
          // A direct call ends with its business's outcome; a hotline call waits at the hub after the enter sub-blueprint.
          const expectedStatus = f.flow.definition.kind === 'enter' ? 'active' : 'completed';
          if (run.record!.status !== expectedStatus || (expectedStatus === 'completed' && run.record!.outcome !== run.outcome)) {
            problems.push(
              `${describePath(p)} by ${run.msisdn}: call is ${run.record!.status}/${run.record!.outcome}, expected ${expectedStatus}/${run.outcome}`,
            );
          }
        }
      }
    }
    if (problems.length)
      throw new Error(`${name} (${f.flow.definition.id}@${f.flow.definition.version}): ${problems.length} problem(s)\n\n${problems.join('\n\n')}`);
    expect(report.reachedPaths).toBe(report.paths);
  });
});
