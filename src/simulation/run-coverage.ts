// Runs every covered path for the customers that may reach it (and derived customers for the rest).
import type { CustomerFixture } from '../backend/simulator/customer-fixtures';
import type { FlowResolver } from '../flows/flow-resolver';
import { deriveCustomer } from './derived-customers';
import type { FlowCoverage } from './flow-coverage';
import { runPath } from './run-path';

export interface RunCoverageOptions {
  fixtures: CustomerFixture[];
  flows: FlowResolver;
  settleMs?: number;
  /** For paths no demo customer reaches, derive a customer with the back end the path needs and run it. Default false. */
  deriveCustomers?: boolean;
  /** Also try customers whose profile does not enumerate the path (they are expected to fail at a guard). Default false. */
  everyCustomer?: boolean;
}

/** Runs every path for every customer that may reach it, all concurrently (a run mostly waits on timers). */
export async function runCoverage(coverage: FlowCoverage, options: RunCoverageOptions): Promise<void> {
  const id = coverage.flow.definition.id;
  await Promise.all(
    coverage.paths.map(async (p, index) => {
      const customers = options.everyCustomer ? options.fixtures.map((f) => f.msisdn) : [...p.byCustomer.keys()];
      p.runs = await Promise.all(
        customers.map((msisdn) =>
          runPath(
            { steps: p.byCustomer.get(msisdn) ?? p.steps, final: p.final, outcome: p.outcome, kind: p.kind, next: p.next },
            {
              flow: coverage.flow,
              flows: options.flows,
              fixtures: options.fixtures,
              msisdn,
              callId: `cov-${id}-${index + 1}-${msisdn}`,
              settleMs: options.settleMs,
              analysis: coverage.analysis,
            },
          ),
        ),
      );
      p.reachedBy = p.runs.filter((r) => r.reached).map((r) => r.msisdn);
    }),
  );
  if (options.deriveCustomers) await runDerived(coverage, options);
}

/**
 * For each path no demo customer reaches: a customer derived from a demo customer the path's
 * profile fits, with the back end the path needs (derived-customers.ts), run the same way
 * through the real step function and simulator. Tried for each fitting profile until one reaches it.
 */
async function runDerived(coverage: FlowCoverage, options: RunCoverageOptions): Promise<void> {
  const id = coverage.flow.definition.id;
  await Promise.all(
    coverage.paths.map(async (p, index) => {
      if (p.reachedBy.length) return;
      for (const [n, base] of [...p.byCustomer.keys()].entries()) {
        const msisdn = `1990${String(index + 1).padStart(4, '0')}${String(n).padStart(3, '0')}`;
        const baseFixture = options.fixtures.find((f) => f.msisdn === base)!;
        const derived = deriveCustomer(coverage.analysis, p.byCustomer.get(base)!, baseFixture, msisdn);
        if (!derived) continue;
        const run = await runPath(
          { steps: p.byCustomer.get(base)!, final: p.final, outcome: p.outcome, kind: p.kind, next: p.next },
          {
            flow: coverage.flow,
            flows: options.flows,
            fixtures: [...options.fixtures, derived.fixture],
            msisdn,
            callId: `cov-${id}-${index + 1}-${msisdn}`,
            settleMs: options.settleMs,
            analysis: coverage.analysis,
          },
        );
        p.runs.push(run);
        if (run.reached) {
          p.reachedBy.push(msisdn);
          p.derived.push({ msisdn, basedOn: base, backend: derived.fixture.backend, ivrPassword: derived.fixture.ivrPassword });
          return;
        }
      }
    }),
  );
}
