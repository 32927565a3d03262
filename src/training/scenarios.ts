// Scenario scripts for training: the simulator's customers and the paths the coverage enumeration finds.
import type { CustomerProfile } from '../backend/customer';
import type { CustomerFixture } from '../backend/simulator/customer-fixtures';
import { stepMeta } from '../calls';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { enumerateFlow, type CoveredPath, type PathStep } from '../simulation';
import { inputChoices, secretsOf } from '../simulation/caller-inputs';
import { type RunResult, runPath } from '../simulation/run-path';
import type { ScenarioLine, TrainingScenario } from '../../protocol/training';

export type { ScenarioLine, TrainingScenario };

/** At most this many scenarios per business (the shortest distinct paths first): a drill, not a coverage run. */
const MAX_SCENARIOS = 12;

/** A path a trainee can be drilled on: the agent decides, the back end answers; no failures the real back end would not repeat. */
const drillable = (p: CoveredPath) => p.kind === 'simple' && p.agentSteps > 0 && p.steps.every((s) => s.label.kind === 'decision' || s.label.kind === 'done');

/** The simulated caller's lines along a path: each step's customer-lane words and, at decisions, the answer the path takes. */
export function linesOf(flow: CompiledFlow, steps: PathStep[]): ScenarioLine[] {
  return steps.map((step) => {
    const meta = stepMeta(flow.definition, step.state);
    const label = step.label;
    let answer: ScenarioLine['answer'] = null;
    if (label.kind === 'decision') {
      const option = meta.options?.find((o) => o.id === label.option);
      answer = {
        option: label.option,
        optionLabel: option?.label ?? { 'zh-CN': label.option, en: label.option },
        ...(label.input ? { input: label.input } : {}),
      };
    }
    return { stepId: step.state, stepTitle: meta.title, says: meta.customerSays ?? null, answer };
  });
}

/**
 * The scenarios of one published business: its paths over the customers' profiles (the coverage
 * enumeration), each kept only when a run of it through the real step function against the
 * simulator, for a customer whose profile takes it, does reach it — so the trainee's call on the
 * real engine can follow it (with the steps it was run with). Ids are stable for a flow version: `flow@version#n`.
 */
export async function scenariosOf(
  flow: CompiledFlow,
  flows: FlowResolver,
  fixtures: CustomerFixture[],
  profiles: CustomerProfile[],
  regional: (profile: CustomerProfile) => CompiledFlow,
  /** Whether a run of the script is one to drill (the service keeps those that pass the QA checks: a script shows the right way). */
  exemplary: (run: RunResult) => boolean = () => true,
  /** When the probe runs start (the live catalog's matrix and versions are read as of then). */
  startAt?: Date,
): Promise<{ scenario: TrainingScenario; steps: PathStep[] }[]> {
  const { id, version, title } = flow.definition;
  const coverage = enumerateFlow(id, flow, profiles, { flows, maxPaths: 60 });
  const scenarios: { scenario: TrainingScenario; steps: PathStep[] }[] = [];
  for (const [index, path] of coverage.paths.entries()) {
    if (scenarios.length >= MAX_SCENARIOS) break;
    if (!drillable(path)) continue;
    for (const [msisdn, pathSteps] of path.byCustomer) {
      const profile = profiles.find((p) => p.msisdn === msisdn)!;
      const fixture = fixtures.find((f) => f.msisdn === msisdn)!;
      const callerFlow = regional(profile);
      // The path's own sample inputs first, then the caller's secrets (ID digits, entry month) where it asks for them.
      const secrets = secretsOf(fixture, profile);
      const withSecrets = pathSteps.map((s) =>
        s.label.kind === 'decision' && s.label.input ? { ...s, label: { ...s.label, input: inputChoices(callerFlow, s, secrets).at(-1) } } : s,
      );
      let steps: PathStep[] | null = null;
      for (const tried of [pathSteps, withSecrets]) {
        const run = await runPath(
          { steps: tried, final: path.final, outcome: path.outcome },
          { flow: callerFlow, flows, fixtures, msisdn, callId: `training-probe-${id}-${index}`, settleMs: 20, maxAttempts: 1, ...(startAt ? { startAt } : {}) },
        );
        // A script ends the call: a path handing over to another business (an offer taken) is not one to drill alone.
        if (run.reached && run.record?.status !== 'active' && exemplary(run)) {
          steps = tried;
          break;
        }
      }
      if (!steps) continue;
      scenarios.push({
        steps,
        scenario: {
          id: `${id}@${version}#${index + 1}`,
          flowId: id,
          flowTitle: title,
          callerNumber: msisdn,
          customerName: fixture.name,
          lines: linesOf(callerFlow, steps),
          final: path.final,
          outcome: path.outcome,
        },
      });
      break;
    }
  }
  return scenarios;
}
