/**
 * Flow authoring against the real server: edit → submit → approve (another supervisor) → publish,
 * with a call in progress finishing on the old version while a new call gets the new one; policy
 * checks with the offending path; maker–checker; regional variants; business diff; rollback;
 * dry runs that never touch the log; role checks on every endpoint; the OpenAPI document.
 */
import { offerIds } from '../support/flow';
import { expectDeterministicReplay, http, login } from '../support/client';
import { storeRows } from '../support/store';
import { useServer } from '../support/use-server';

const A = '/api/authoring';
const SUSPEND = 'suspend-service';

describe('flow authoring over HTTP', () => {
  const server = useServer({ users: ['agent1', 'supervisor1', 'supervisor2', 'qa1'] });
  const { tokens } = server;
  const as = (user: string) => ({
    get: (p: string) => http(server.baseUrl, 'GET', `${A}${p}`, { token: tokens[user] }),
    post: (p: string, body: unknown = {}) => http(server.baseUrl, 'POST', `${A}${p}`, { token: tokens[user], body }),
    put: (p: string, body: unknown) => http(server.baseUrl, 'PUT', `${A}${p}`, { token: tokens[user], body }),
  });
  const sup1 = as('supervisor1');
  const sup2 = as('supervisor2');
  const newCall = (locale?: string) => server.driver('agent1', locale);
  const ok = <T extends { status: number; text: string }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${res.text}`);
    return res;
  };
  /** A published new version of suspend-service made from the version in force by `change`. */
  async function publishChange(change: (definition: any) => void): Promise<number> {
    const draft = ok(await sup1.post(`/flows/${SUSPEND}/versions`), 201).body;
    const definition = structuredClone(draft.definition);
    change(definition);
    const edited = ok(await sup1.put(`/flows/${SUSPEND}/versions/${draft.version}`, { definition })).body;
    expect(edited.findings).toEqual([]);
    ok(await sup1.post(`/flows/${SUSPEND}/versions/${draft.version}/submit`));
    ok(await sup2.post(`/flows/${SUSPEND}/versions/${draft.version}/approve`, { comment: 'checked' }));
    ok(await sup2.post(`/flows/${SUSPEND}/versions/${draft.version}/publish`));
    return draft.version;
  }

  it('edit → submit → self-approval refused → approve by another → publish; a live call finishes on the old version, a new call gets the new one; both replay', async () => {
    const flows = ok(await sup1.get('/flows')).body;
    const suspend = flows.find((f: any) => f.id === SUSPEND);
    expect(suspend).toMatchObject({
      inForce: 2,
      versions: [expect.objectContaining({ version: 2, status: 'published', inForce: true, createdBy: 'system:files' })],
    });

    const draft = ok(await sup1.post(`/flows/${SUSPEND}/versions`, {}), 201).body;
    expect(draft).toMatchObject({ version: 3, status: 'draft', basedOn: 2, createdBy: 'supervisor1', findings: [] });
    const definition = structuredClone(draft.definition);
    definition.machine.states.warn.meta.script.en = 'Before we go on: the suspension takes effect at once, the plan fee is still charged. (v2)';
    ok(await sup1.put(`/flows/${SUSPEND}/versions/3`, { definition }));

    // An old call reaches warn before the publish.
    const old = await newCall('en');
    await old.start('13800000001');
    await old.decide('continue', undefined, 'confirm-reason');

    ok(await sup1.post(`/flows/${SUSPEND}/versions/3/submit`));
    const self = await sup1.post(`/flows/${SUSPEND}/versions/3/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('another supervisor') });
    expect((await sup2.post(`/flows/${SUSPEND}/versions/3/publish`)).body).toMatchObject({ code: 'INVALID_STATE' });
    ok(await sup2.post(`/flows/${SUSPEND}/versions/3/approve`, { comment: 'wording ok' }));
    const published = ok(await sup2.post(`/flows/${SUSPEND}/versions/3/publish`)).body;
    expect(published).toMatchObject({ status: 'published', inForce: true, everPublished: true });
    expect(ok(await sup1.get(`/flows/${SUSPEND}/versions/2`)).body).toMatchObject({
      status: 'retired',
      inForce: false,
      everPublished: true,
    });

    const oldWarn = await old.decide('continue', { reason: 'travel' }, 'warn');
    expect(oldWarn.data.flow).toMatchObject({ id: SUSPEND, version: 2 });
    expect(oldWarn.data.step.script).toMatch(/^\S/);
    expect(oldWarn.data.step.script).not.toContain('(v2)');
    const fresh = await newCall('en');
    const first = await fresh.start('13800000001');
    expect(first.data.flow).toMatchObject({ id: SUSPEND, version: 3 });
    await fresh.decide('continue', undefined, 'confirm-reason');
    const newWarn = await fresh.decide('continue', { reason: 'travel' }, 'warn');
    expect(newWarn.data.step.script).toContain('(v2)');

    for (const d of [old, fresh]) {
      await d.decide('acknowledged', undefined, 'upsell');
      await d.decide('decline', undefined, 'verify');
      await d.verifyByPassword();
      await d.executeToRemind();
      await d.finishFromRemind();
      await expectDeterministicReplay(server.baseUrl, tokens.agent1, d.callId);
    }

    const audit = ok(await sup1.get(`/audit?flowId=${SUSPEND}&version=3`)).body;
    expect(audit.map((e: any) => `${e.action}:${e.actor}`)).toEqual([
      'create:supervisor1',
      'edit:supervisor1',
      'submit:supervisor1',
      'approve:supervisor2',
      'publish:supervisor2',
    ]);
    expect(audit[3].detail).toMatchObject({ comment: 'wording ok' });

    // The diff of the two real versions, in business terms.
    const diff = ok(await sup1.get(`/flows/${SUSPEND}/diff?from=2&to=3`)).body;
    expect(diff.changes).toEqual([expect.objectContaining({ kind: 'text-changed', stepId: 'warn', locale: 'en', field: 'script' })]);

    // Rollback: version 2 again for new calls.
    const rolledBack = ok(await sup1.post(`/flows/${SUSPEND}/versions/2/publish`)).body;
    expect(rolledBack).toMatchObject({ status: 'published', inForce: true });
    const after = await newCall();
    expect((await after.start('13800000001')).data.flow.version).toBe(2);
    expect(ok(await sup1.get(`/audit?flowId=${SUSPEND}&version=2`)).body.map((e: any) => e.action)).toEqual(['rollback']);
  });

  it('a draft that moves warn after verify is refused by the policy check, with the offending path', async () => {
    const draft = ok(await sup1.post(`/flows/${SUSPEND}/versions`, {}), 201).body;
    const d = structuredClone(draft.definition);
    const s = d.machine.states;
    s['confirm-reason'].on.CONTINUE.target = 'upsell';
    s.warn.on.ACKNOWLEDGED.target = 'execute';
    s['checking-password'].invoke.onDone[0].target = 'warn';
    s['checking-document'].invoke.onDone[0].target = 'warn';
    const saved = ok(await sup1.put(`/flows/${SUSPEND}/versions/${draft.version}`, { definition: d })).body;
    const finding = saved.findings.find((f: any) => f.policy === 'verify-and-warn-before-change');
    expect(finding).toMatchObject({ check: 'policy', path: expect.stringContaining('executing') });
    expect(finding.offendingPath.slice(0, 4)).toEqual(['check-eligibility', 'confirm-reason', 'upsell', 'verify']);
    expect(finding.offendingPath.at(-1)).toBe('executing');
    const refused = await sup1.post(`/flows/${SUSPEND}/versions/${draft.version}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'CHECKS_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ policy: 'verify-and-warn-before-change' })]),
    });
    expect(ok(await sup1.get(`/flows/${SUSPEND}/versions/${draft.version}`)).body.status).toBe('draft');
    // The editor's inline check gives the same finding without saving.
    expect(ok(await sup1.post('/check', { definition: d })).body.findings).toEqual(saved.findings);
    ok(await sup1.post(`/flows/${SUSPEND}/versions/${draft.version}/retire`));
  });

  it('a regional variant changes the upsell offers for customers of that region only', async () => {
    await publishChange((d) => {
      d.variants = {
        广东: {
          steps: {
            upsell: {
              offers: [
                {
                  id: 'gd-travel-pack',
                  targetFlowId: 'holiday-plan',
                  title: { 'zh-CN': '广东出行畅享包', en: 'Guangdong travel pack' },
                  pitch: { 'zh-CN': '广东客户专享：出行期间保号不停机。', en: 'For Guangdong customers: keep your number while away.' },
                },
              ],
            },
          },
        },
      };
    });
    const guangdong = await newCall();
    await guangdong.start('13800000003');
    const gd = await guangdong.toUpsell('travel');
    expect(gd.data.flow).toMatchObject({ variant: '广东' });
    expect(offerIds(gd)).toEqual(['gd-travel-pack']);
    const beijing = await newCall();
    await beijing.start('13800000001');
    const bj = await beijing.toUpsell('travel');
    expect(bj.data.flow.variant).toBeNull();
    expect(offerIds(bj)).toEqual(expect.arrayContaining(['two-cities-one-home', 'holiday-plan']));
    expect(offerIds(bj)).not.toContain('gd-travel-pack');
    // A variant naming a step that does not exist is found like any other problem.
    const draft = ok(await sup1.post(`/flows/${SUSPEND}/versions`, {}), 201).body;
    const bad = structuredClone(draft.definition);
    bad.variants = { 广东: { steps: { 'no-such-step': { script: { 'zh-CN': '你好', en: 'Hi' } } } } };
    const saved = ok(await sup1.put(`/flows/${SUSPEND}/versions/${draft.version}`, { definition: bad })).body;
    expect(saved.findings).toEqual([expect.objectContaining({ check: 'loader', path: "$.variants['广东'].steps['no-such-step']" })]);
    ok(await sup1.post(`/flows/${SUSPEND}/versions/${draft.version}/retire`));
  });

  it('dry-runs a draft against a simulator customer without writing the log, and lists its paths', async () => {
    const draft = ok(await sup1.post(`/flows/${SUSPEND}/versions`, {}), 201).body;
    const count = async () => (await storeRows<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM call_events'))[0].n;
    const before = await count();
    let run = ok(await sup1.post(`/flows/${SUSPEND}/versions/${draft.version}/dry-runs`, { msisdn: '13800000001', locale: 'en' }), 201).body;
    expect(run.view.step.id).toBe('check-eligibility');
    const decide = async (option: string, input?: object) => {
      run = ok(await sup1.post(`/dry-runs/${run.dryRunId}/decisions`, { seq: run.view.seq, option, ...(input ? { input } : {}), locale: 'en' })).body;
      return run.view.step.id;
    };
    expect(await decide('continue')).toBe('confirm-reason');
    expect(await decide('continue', { reason: 'travel' })).toBe('warn');
    expect(await decide('acknowledged')).toBe('upsell');
    expect(await decide('decline')).toBe('verify');
    // The password check is answered by the simulator within the same request.
    expect(await decide('password')).toBe('execute');
    expect(await decide('execute')).toBe('remind');
    expect(run.events.map((e: any) => e.stateAfter)).toContain('executing');
    const stale = await sup1.post(`/dry-runs/${run.dryRunId}/decisions`, { seq: 1, option: 'acknowledged' });
    expect(stale.body).toMatchObject({ code: 'STALE_SEQ' });
    expect(await count()).toBe(before);
    expect((await as('supervisor2').post(`/dry-runs/${run.dryRunId}/decisions`, { seq: run.view.seq, option: 'acknowledged' })).status).toBe(404);

    const paths = ok(await sup1.get(`/flows/${SUSPEND}/versions/${draft.version}/paths`)).body;
    expect(paths.paths.length).toBeGreaterThan(10);
    expect(paths.shortestSuccess).toBe(4);
    const main = paths.paths.find((p: any) => p.outcome === 'completed' && p.kind === 'simple');
    expect(main).toMatchObject({ agentSteps: expect.any(Number), steps: expect.arrayContaining([{ state: 'warn', via: 'acknowledged' }]) });
    ok(await sup1.post(`/flows/${SUSPEND}/versions/${draft.version}/retire`));
  });

  it('refuses agents on every authoring endpoint, QA on every change, and bad input with typed errors', async () => {
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/flows'],
      ['GET', `/flows/${SUSPEND}/versions/1`],
      ['POST', `/flows/${SUSPEND}/versions`, {}],
      ['PUT', `/flows/${SUSPEND}/versions/1`, { definition: {} }],
      ['POST', '/check', { definition: {} }],
      ['POST', `/flows/${SUSPEND}/versions/1/submit`],
      ['POST', `/flows/${SUSPEND}/versions/1/approve`, {}],
      ['POST', `/flows/${SUSPEND}/versions/1/reject`, { comment: 'x' }],
      ['POST', `/flows/${SUSPEND}/versions/1/publish`],
      ['POST', `/flows/${SUSPEND}/versions/1/retire`],
      ['GET', `/flows/${SUSPEND}/diff?from=1&to=1`],
      ['GET', `/flows/${SUSPEND}/versions/1/paths`],
      ['POST', `/flows/${SUSPEND}/versions/1/dry-runs`, { msisdn: '13800000001' }],
      ['POST', '/dry-runs/00000000-0000-4000-8000-000000000000/decisions', { seq: 1, option: 'x' }],
      ['GET', '/audit'],
      ['GET', '/policies'],
    ];
    for (const [method, p, body] of endpoints) {
      const agent = await http(server.baseUrl, method, `${A}${p}`, { token: tokens.agent1, body });
      expect([method, p, agent.status, agent.body?.code]).toEqual([method, p, 403, 'FORBIDDEN']);
      const anonymous = await http(server.baseUrl, method, `${A}${p}`, { body });
      expect([method, p, anonymous.status]).toEqual([method, p, 401]);
      const qa = await http(server.baseUrl, method, `${A}${p}`, { token: tokens.qa1, body });
      expect([method, p, qa.status === 403]).toEqual([method, p, method !== 'GET']);
    }
    expect((await sup1.post(`/flows/${SUSPEND}/versions`, { basedOn: 'one' })).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await sup1.post(`/flows/${SUSPEND}/versions`, { extra: true })).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await sup1.get('/flows/Bad_Id/versions/1')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await sup1.get(`/flows/${SUSPEND}/versions/99`)).status).toBe(404);
    expect((await sup1.put(`/flows/${SUSPEND}/versions/2`, { definition: {} })).body).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('describes the API with OpenAPI', async () => {
    const doc = await http(server.baseUrl, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/authoring/flows', '/api/authoring/flows/{flowId}/versions/{version}/publish', '/api/authoring/dry-runs/{id}/decisions']),
    );
  });
});

describe('version in force survives a restart', () => {
  const server = useServer();

  it('a published version is still in force after the server restarts', async () => {
    const sup1 = await login(server.baseUrl, 'supervisor1');
    const sup2 = await login(server.baseUrl, 'supervisor2');
    const draft = (await http(server.baseUrl, 'POST', `${A}/flows/hang-up/versions`, { token: sup1, body: {} })).body;
    for (const [token, step] of [
      [sup1, 'submit'],
      [sup2, 'approve'],
      [sup2, 'publish'],
    ] as const) {
      expect((await http(server.baseUrl, 'POST', `${A}/flows/hang-up/versions/${draft.version}/${step}`, { token, body: {} })).status).toBe(200);
    }
    await server.restart();
    const flows = (await http(server.baseUrl, 'GET', `${A}/flows`, { token: await login(server.baseUrl, 'supervisor1') })).body;
    expect(flows.find((f: any) => f.id === 'hang-up')).toMatchObject({ inForce: draft.version });
  });
});
