import * as path from 'node:path';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import type { StoredEvent } from '../decision-log/decision-log';
import { loadCallChecks, runCallChecks } from '../qa/qa-checks';
import { loadScorecardForm } from '../qa/scorecard-form';
import { buildTimeline, traceOfTimeline } from '../qa/timeline';
import { fileFlows, profilesOf } from '../simulation';
import { runPath } from '../simulation/run-path';
import { scenariosOf } from './scenarios';
import { SCENARIO_PATH, scoreTraining, trainingForm } from './training-score';

const ROOT = path.resolve(__dirname, '../..');
const fixtures = loadCustomerFixtures(path.join(ROOT, 'src/backend/simulator/demo-customers.json'));
const checks = loadCallChecks(path.join(ROOT, 'flows/qa/call-checks.json'));
const form = trainingForm(loadScorecardForm(path.join(ROOT, 'flows/qa/scorecard.json')));
const FLOW = 'suspend-service';
const flows = fileFlows([FLOW, 'hang-up']);

type Drawn = Awaited<ReturnType<typeof scenariosOf>>[number];

async function scenarios(): Promise<Drawn[]> {
  const profiles = await profilesOf(fixtures);
  return scenariosOf(flows.get(FLOW), flows, fixtures, profiles, (p) => flows.at(FLOW, '', p.region)!);
}

/** Plays a scenario through the real step function and simulator, the trainee taking the scenario's decisions up to `upTo` steps, and scores it. */
async function play({ scenario, steps }: Drawn, upTo = steps.length) {
  const run = await runPath(
    { steps: steps.slice(0, upTo), final: upTo < steps.length ? steps[upTo].state : scenario.final, outcome: scenario.outcome },
    { flow: flows.get(FLOW), flows, fixtures, msisdn: scenario.callerNumber, callId: `t-${scenario.id}`, settleMs: 20, maxAttempts: 1 },
  );
  const events = run.events as unknown as StoredEvent[];
  const timeline = buildTimeline(flows, run.record!, events, 'en');
  const results = runCallChecks(traceOfTimeline(timeline), checks);
  return { run, score: scoreTraining(scenario, timeline.entries, run.record!.status === 'completed', results, form, 80) };
}

describe('training scenarios and scores', () => {
  let drawn: Drawn[];
  beforeAll(async () => {
    drawn = await scenarios();
  });

  it('draws scenarios from the coverage paths: a simulator customer, the caller’s lines and answers at every decision', () => {
    expect(drawn.length).toBeGreaterThan(2);
    for (const { scenario: s } of drawn) {
      expect(s.id).toMatch(/^suspend-service@\d+#\d+$/);
      expect(fixtures.map((f) => f.msisdn)).toContain(s.callerNumber);
      expect(s.lines.some((l) => l.answer)).toBe(true);
      for (const l of s.lines.filter((x) => x.answer)) expect(l.answer!.optionLabel.en).not.toBe('');
    }
    expect(new Set(drawn.map((d) => d.scenario.id)).size).toBe(drawn.length);
    expect(drawn.some((d) => d.scenario.lines.some((l) => l.says))).toBe(true);
  });

  it('a trainee who follows the scenario passes with a full path score', async () => {
    const completing = drawn.find((d) => d.scenario.final === 'completed')!;
    const { run, score } = await play(completing);
    expect(run.reached).toBe(true);
    expect(run.record!.status).toBe('completed');
    expect(score).toMatchObject({ followed: score.expected, reachedEnd: true, passed: true });
    expect(score.expected).toBeGreaterThan(3);
    expect(score.score).toBeGreaterThanOrEqual(80);
  });

  it('the path criterion is the form’s first and weighs as much as the compliance criteria together', () => {
    expect(form.criteria[0]).toMatchObject({ id: SCENARIO_PATH, auto: [SCENARIO_PATH] });
    const rest = form.criteria.slice(1);
    expect(rest.every((c) => c.auto?.length)).toBe(true);
    expect(form.criteria[0].weight).toBe(rest.reduce((s, c) => s + c.weight, 0));
  });

  it('a call left before the scenario ends fails: the decisions not taken and the ending count against it', async () => {
    const completing = drawn.find((d) => d.scenario.final === 'completed')!;
    const full = (await play(completing)).score;
    const firstDecision = completing.steps.findIndex((s) => s.label.kind === 'decision');
    const { run, score } = await play(completing, firstDecision + 1);
    expect(run.record!.status).toBe('active'); // a hang-up would end it abandoned: not completed either way
    expect(score).toMatchObject({ followed: 1, expected: full.expected, reachedEnd: false, passed: false });
    expect(score.score).toBeLessThan(full.score);
  });
});
