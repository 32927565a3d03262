/**
 * Training mode over the real server (issue 22 item 4, docs/TRAINING.md): a trainee draws scenarios
 * of a published business (simulator customers and coverage paths), takes the simulated calls on the
 * real engine over the WebSocket as on any call, passes some and fails others (hung up early), is
 * certified after enough passes; supervisors see who is certified for what; none of
 * it reaches the operations metrics, the live floor, QA samples or contact history (exact values unchanged); the
 * calls replay; with TRAINING_CERTIFIED_ONLY an agent is offered and may take only certified businesses.
 */
import type { ScenarioLine, TrainingCallStarted, TrainingOverview, TrainingResult, TrainingScenario } from '../../protocol/training';
import { http } from '../support/client';
import { CallDriver } from '../support/flow';
import { MetricsCalls } from '../support/metrics-calls';
import { endOfCallBacklog } from '../support/backlog';
import { until } from '../support/poll';
import { useServer } from '../support/use-server';

const FLOW = 'bill-inquiry';

describe('training: simulated calls, scores and certification, apart from operations', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'supervisor1', 'qa1'], locale: 'en', env: { TRAINING_CERTIFY_AFTER: '2' } });
  const as = (user: string, method: string, url: string, body?: unknown) => http(server.baseUrl, method, url, { token: server.tokens[user], body });
  const ok = async (user: string, url: string) => {
    const res = await as(user, 'GET', url);
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text}`);
    return res.body;
  };
  /** What operations see: every metric, the QA samples, the caller's contact history. */
  const operations = async () => ({
    summary: await ok('supervisor1', '/api/metrics/summary'),
    offers: await ok('supervisor1', '/api/metrics/offers'),
    compliance: await ok('supervisor1', '/api/metrics/compliance'),
    steps: await ok('supervisor1', `/api/metrics/flows/${FLOW}/steps`),
    samples: await ok('qa1', '/api/qa/calls'),
    history: await ok('agent2', '/api/customers/13800000001'),
  });
  const drained = () =>
    until(
      'the end-of-call outbox to drain',
      async () => (await endOfCallBacklog(server.baseUrl)).pending,
      (n) => n === 0,
      30_000,
    );

  let scenarios: TrainingScenario[];
  let before: Awaited<ReturnType<typeof operations>>;
  const calls: Record<string, string> = {};

  /** Starts a training call on the scenario and plays the trainee: the caller's answers, for the first `upTo` decisions (all by default). */
  async function train(scenario: TrainingScenario, opts: { upTo?: number } = {}): Promise<{ d: CallDriver; started: TrainingCallStarted }> {
    const res = await as('agent1', 'POST', '/api/training/calls', { flowId: FLOW, scenarioId: scenario.id });
    expect(res.status).toBe(200);
    const started = res.body as TrainingCallStarted;
    expect(started.scenario).toEqual(scenario);
    const d = await server.driver('agent1', 'en');
    await d.attach(started.callId);
    const decisions = scenario.lines.filter((l): l is ScenarioLine & { answer: NonNullable<ScenarioLine['answer']> } => !!l.answer);
    for (const line of decisions.slice(0, opts.upTo ?? decisions.length)) {
      if (d.view.data.step.id !== line.stepId) await d.pushed(line.stepId);
      await d.decideConfirming(line.answer.option, line.answer.input);
    }
    return { d, started };
  }
  const scored = (callId: string) =>
    until(
      `training call ${callId} scored`,
      async () => (await as('agent1', 'GET', `/api/training/calls/${callId}`)).body as TrainingResult,
      (r) => r.passed !== null,
    );

  beforeAll(async () => {
    // One real call: operations have something to show, and it must stay exactly as it is.
    await new MetricsCalls(server).completed('agent2', '13800000001');
    await until(
      'the real call in the metrics',
      () => ok('supervisor1', '/api/metrics/summary'),
      (s) => s.calls === 1,
    );
    await drained();
    before = await operations();
    scenarios = (await ok('agent1', `/api/training/scenarios?flowId=${FLOW}`)) as TrainingScenario[];
  });

  it('scenarios of a published business: simulator customers, the caller’s lines and answers along a coverage path', () => {
    expect(scenarios.length).toBeGreaterThan(3);
    for (const s of scenarios) {
      expect(s.flowId).toBe(FLOW);
      expect(s.id.startsWith(`${FLOW}@`)).toBe(true);
      expect(s.callerNumber).toMatch(/^1\d{10}$/);
      expect(s.lines.filter((l) => l.answer).length).toBeGreaterThan(0);
    }
    expect(scenarios.some((s) => s.lines.some((l) => l.says?.en))).toBe(true);
  });

  it('a trainee passes the scenarios they follow, and fails one hung up early', async () => {
    const completing = scenarios.filter((s) => s.final === 'close' || s.outcome === 'completed');
    const byCaller = [...new Map(completing.map((s) => [s.callerNumber, s])).values()];
    expect(byCaller.length).toBeGreaterThanOrEqual(2);
    const [first, second] = byCaller;

    // Followed to its end: passed, every decision as scripted, the ending reached.
    const a = await train(first);
    calls.passedA = a.started.callId;
    expect(a.d.view.data.status).toBe('completed');
    const resultA = await scored(calls.passedA);
    expect(resultA).toMatchObject({ passed: true, reachedEnd: true, flowId: FLOW, scenarioId: first.id, trainee: 'agent1' });
    expect(resultA.followed).toBe(resultA.expected);
    expect(resultA.score).toBeGreaterThanOrEqual(80);

    // Hung up after the first decision: abandoned, failed.
    const b = await train(second, { upTo: 1 });
    calls.hungUp = b.started.callId;
    // While it is live, the supervisors' floor does not show it.
    const floor: any = await (await server.connect('supervisor1', 'en')).request('floor.subscribe', {});
    expect(floor.event).toBe('floor.snapshot');
    expect(floor.data.activeCalls).toEqual([]);
    expect(floor.data.byBusiness.flatMap((x: { calls: number }) => (x.calls ? [x] : []))).toEqual([]);
    await b.d.client.request('call.hangup', { callId: calls.hungUp });
    const resultB = await scored(calls.hungUp);
    expect(resultB).toMatchObject({ passed: false, reachedEnd: false, followed: 1 });
    expect(resultB.score!).toBeLessThan(resultA.score!);

    // Not certified yet: one pass of the two required.
    const mine = (await ok('agent1', '/api/training/me')) as TrainingOverview;
    expect(mine.certifications).toEqual([{ traineeId: expect.any(String), trainee: 'agent1', flowId: FLOW, passed: 1, required: 2, certified: false }]);

    // The second scenario followed: passed, and now certified.
    const c = await train(second);
    calls.passedC = c.started.callId;
    expect((await scored(calls.passedC)).passed).toBe(true);
    const now = (await ok('agent1', '/api/training/me')) as TrainingOverview;
    expect(now).toMatchObject({ passScore: 80, required: 2, certifiedOnly: false });
    expect(now.certifications).toEqual([expect.objectContaining({ trainee: 'agent1', flowId: FLOW, passed: 2, certified: true })]);
    expect(now.results.map((r) => r.callId).sort()).toEqual([calls.passedA, calls.hungUp, calls.passedC].sort());
  });

  it('supervisors see who is certified for what; agents may not; trainees see only their own calls', async () => {
    const overview = (await ok('supervisor1', '/api/training/certifications')) as TrainingOverview;
    expect(overview.certifications).toEqual([expect.objectContaining({ trainee: 'agent1', flowId: FLOW, passed: 2, required: 2, certified: true })]);
    expect(overview.results).toHaveLength(3);
    expect((await as('agent1', 'GET', '/api/training/certifications')).status).toBe(403);
    expect((await as('agent2', 'GET', `/api/training/calls/${calls.passedA}`)).status).toBe(403);
    expect((await as('supervisor1', 'GET', `/api/training/calls/${calls.passedA}`)).status).toBe(200);
    expect((await as('agent1', 'POST', '/api/training/calls', { flowId: 'no-such-flow' })).status).toBe(404);
    expect((await as('agent1', 'POST', '/api/training/calls', { flowId: FLOW, scenarioId: 'nope' })).status).toBe(404);
    expect((await as('agent1', 'POST', '/api/training/calls', { flowId: 'Bad Id' })).status).toBe(400);
  });

  it('none of it reaches operations: every metric, the QA samples and the caller’s history exactly as before', async () => {
    await drained();
    expect(await operations()).toEqual(before);
  });

  it('a training call replays like any call (the log is the same kind)', async () => {
    const res = await as('supervisor1', 'GET', `/api/qa/calls/${calls.passedA}/replay`);
    expect(res.status).toBe(200);
    expect(res.body.timeline.status).toBe('completed');
  });

  it('with TRAINING_CERTIFIED_ONLY an agent is offered and may start only the businesses they are certified for', async () => {
    await server.restart({ env: { TRAINING_CERTIFY_AFTER: '2', TRAINING_CERTIFIED_ONLY: '1' } });
    await server.login('agent1');
    await server.login('agent2');
    const search = async (user: string) => {
      const ws = await server.connect(user, 'en');
      const reply: any = await ws.request('flow.search', { q: '账单' });
      return { ws, ids: (reply.data.results as { flowId?: string; id?: string }[]).map((r) => r.flowId ?? r.id) };
    };
    const certified = await search('agent1');
    expect(certified.ids).toContain(FLOW);
    const other = await search('agent2');
    expect(other.ids).not.toContain(FLOW);

    const refused: any = await other.ws.request('call.start', { callerNumber: '13800000002', flowId: FLOW });
    expect(refused.event).toBe('call.error');
    expect(refused.data.code).toBe('FORBIDDEN');
    const started: any = await certified.ws.request('call.start', { callerNumber: '13800000002', flowId: FLOW });
    expect(started.event).toBe('call.view');
    expect(((await ok('agent1', '/api/training/me')) as TrainingOverview).certifiedOnly).toBe(true);

    // Inside a hotline call too: the hub's next business must be one the agent is certified for.
    const hotline = new CallDriver(certified.ws);
    await hotline.start('13800000001', 'enter-service');
    await hotline.pushed('greeting');
    await hotline.decide('greeted', undefined, 'ask-need');
    const hub = await hotline.decide('identified', { need: 'bill' }, 'need-identified');
    const uncertified: any = await certified.ws.request('call.decide', {
      callId: hotline.callId,
      seq: hub.data.seq,
      option: 'another-business',
      input: { flowId: 'suspend-service' },
    });
    expect(uncertified.data).toMatchObject({ code: 'FORBIDDEN' });
    await hotline.decide('another-business', { flowId: FLOW }, 'query-bills');
  });
});
