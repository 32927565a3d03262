/**
 * Data saved through the product never stops the hotline (docs/RELIABILITY.md "Stored flow versions
 * that do not load"): drafts with every kind of broken definition the authoring API accepts, moved
 * through every status the API allows, and versions an "older release" wrote (edited in SQLite while
 * the server is down) — the server restarts, gracefully and after SIGKILL, with every valid flow in
 * force, the broken versions listed in health and the editor, typed errors from diff, paths, dry
 * run and publish, a call on a version that no longer loads reported and refused, the rest working.
 * A broken file in flows/ still stops the boot.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expectError, http } from '../support/client';
import { REPO_ROOT } from '../support/server';
import { storeRows, storeRun } from '../support/store';
import { useServer } from '../support/use-server';

const A = '/api/authoring';
const flowFile = (id: string): any => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows', `${id}.json`), 'utf8'));

/** Every kind of broken definition POST /versions accepts (any JSON object is saved as a draft). */
function brokenDefinitions(): [string, Record<string, unknown>][] {
  const unknownNames = flowFile('suspend-service');
  unknownNames.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: 'isVip', actions: ['sendFlowers'] };
  unknownNames.machine.states.executing.invoke.src = 'launchRocket';
  const badTargets = flowFile('suspend-service');
  badTargets.machine.initial = 'nowhere';
  badTargets.machine.states.warn.on.ACKNOWLEDGED = { target: 'gone' };
  const huge = flowFile('suspend-service');
  for (let i = 0; i < 1400; i++) {
    huge.machine.states[`extra-${i}`] = { meta: { lane: 'frontstage', title: { 'zh-CN': `步骤${i}`, en: `Step ${i}` } }, on: { GO: `missing-${i}` } };
  }
  return [
    ['empty', {}],
    ['wrong types', { title: 5, kind: 7, keywords: { a: 1 }, machine: 'states', variants: [1, 2] }],
    ['unknown implementations', unknownNames],
    ['bad targets', badTargets],
    ['huge', huge],
  ];
}

/** An "older release" wrote this: the stored definition names an implementation this release lacks. */
async function breakStored(dataDir: string, flowId: string, version: number): Promise<void> {
  const [row] = await storeRows<{ definition: string }>(dataDir, 'SELECT definition FROM flow_versions WHERE flow_id = ? AND version = ?', [flowId, version]);
  const definition = JSON.parse(row.definition);
  definition.machine.states[definition.machine.initial].entry = ['sendFlowers'];
  expect(
    await storeRun(dataDir, 'UPDATE flow_versions SET definition = ? WHERE flow_id = ? AND version = ?', [JSON.stringify(definition), flowId, version]),
  ).toBe(1);
}

describe('stored flow versions that do not load never stop the hotline', () => {
  /** Every test restarts or kills its server: each has its own. */
  const server = useServer({ lifetime: 'per-test', users: ['agent1', 'supervisor1', 'supervisor2', 'qa1'], locale: 'en', readyTimeoutMs: 40_000 });
  const as = (user: string) => ({
    get: (p: string) => http(server.baseUrl, 'GET', `${A}${p}`, { token: server.tokens[user] }),
    post: (p: string, body: unknown = {}) => http(server.baseUrl, 'POST', `${A}${p}`, { token: server.tokens[user], body }),
  });
  const sup1 = as('supervisor1');
  const sup2 = as('supervisor2');
  const ok = <T extends { status: number; text: string }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
    return res;
  };
  const health = async () => ok(await http(server.baseUrl, 'GET', '/api/health')).body;

  /** A new version of `flowId` copied from the one in force, taken to `until`. */
  async function authored(flowId: string, until: 'submitted' | 'approved' | 'published'): Promise<number> {
    const draft = ok(await sup1.post(`/flows/${flowId}/versions`), 201).body;
    expect(draft.loads).toBe(true);
    ok(await sup1.post(`/flows/${flowId}/versions/${draft.version}/submit`));
    if (until !== 'submitted') ok(await sup2.post(`/flows/${flowId}/versions/${draft.version}/approve`));
    if (until === 'published') ok(await sup2.post(`/flows/${flowId}/versions/${draft.version}/publish`));
    return draft.version;
  }

  /** A draft of `definition`, refused at submit; `broken` gets its flowId@version. */
  async function brokenDraft(what: string, flowId: string, definition: Record<string, unknown>, broken: Set<string>) {
    const check = ok(await sup1.post('/check', { definition }));
    expect(check.body.findings.some((f: any) => f.check === 'loader')).toBe(true);
    const draft = ok(await sup1.post(`/flows/${flowId}/versions`, { definition }), 201).body;
    expect([what, draft.status, draft.loads]).toEqual([what, 'draft', false]);
    const submit = await sup1.post(`/flows/${flowId}/versions/${draft.version}/submit`);
    expect([what, submit.status, submit.body.code]).toEqual([what, 422, 'CHECKS_FAILED']);
    broken.add(`${flowId}@${draft.version}`);
    return { what, flowId, version: draft.version as number };
  }

  /** Diff, paths and dry run of a version that does not load: 422 VERSION_DOES_NOT_LOAD naming it. */
  async function expectTypedRefusals(flowId: string, version: number, against: number): Promise<void> {
    const refusal = { code: 'VERSION_DOES_NOT_LOAD', details: expect.objectContaining({ flowId, version, problems: expect.any(Array) }) };
    for (const res of [
      await sup1.get(`/flows/${flowId}/diff?from=${against}&to=${version}`),
      await sup1.get(`/flows/${flowId}/diff?from=${version}&to=${version}`),
      await sup1.get(`/flows/${flowId}/versions/${version}/paths`),
      await sup1.post(`/flows/${flowId}/versions/${version}/dry-runs`, { msisdn: '13800000001' }),
    ]) {
      expect([flowId, version, res.status, res.body]).toEqual([flowId, version, 422, expect.objectContaining(refusal)]);
      expect(res.body.details.problems.length).toBeGreaterThan(0);
      expect(res.body.details.problems.length).toBeLessThanOrEqual(20);
    }
    const detail = ok(await sup1.get(`/flows/${flowId}/versions/${version}`)).body;
    expect(detail).toMatchObject({ loads: false, loadProblems: expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]) });
    expect(detail.findings.some((f: any) => f.check === 'loader')).toBe(true);
  }

  /** What health and the editor list as not loading is exactly `broken`. */
  async function expectListedAsBroken(broken: Set<string>): Promise<any> {
    const h = await health();
    expect(h.versionsNotLoading.map((v: any) => `${v.flowId}@${v.version}`).sort()).toEqual([...broken].sort());
    for (const v of h.versionsNotLoading) {
      expect(v.problemCount).toBeGreaterThan(0);
      expect(v.problems.length).toBe(Math.min(v.problemCount, 20));
    }
    const flows = ok(await sup1.get('/flows')).body;
    const listed = flows.flatMap((f: any) => f.versions.filter((v: any) => !v.loads).map((v: any) => `${v.flowId}@${v.version}`));
    expect(listed.sort()).toEqual([...broken].sort());
    for (const f of flows) expect(f.title).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
    return h;
  }

  it('drafts of every kind of broken definition, left or withdrawn: typed refusals; after a graceful restart and a SIGKILL every valid flow is in force, healthy, the broken versions listed', async () => {
    await server.start();
    const inForceAtFirst = (await health()).flows;
    const broken = new Set<string>();
    const drafts: { what: string; flowId: string; version: number }[] = [];
    for (const [i, [what, definition]] of brokenDefinitions().entries()) {
      // A new flow, and a draft of a flow in force (for the diff against a version that loads).
      for (const flowId of [`ext-broken-${i}`, 'suspend-service']) drafts.push(await brokenDraft(what, flowId, definition, broken));
    }
    // Half of them withdrawn (the case), the others left as drafts.
    for (const d of drafts.filter((_d, i) => i % 2 === 0)) {
      expect(ok(await sup1.post(`/flows/${d.flowId}/versions/${d.version}/retire`)).body.status).toBe('retired');
    }
    const refusalsOfEvery = async () => {
      for (const d of drafts) await expectTypedRefusals(d.flowId, d.version, d.flowId === 'suspend-service' ? 2 : d.version);
    };
    await refusalsOfEvery();
    expect((await expectListedAsBroken(broken)).status).toBe('ok');

    await server.restart({ signal: 'SIGTERM' });
    let h = await expectListedAsBroken(broken);
    expect(h).toMatchObject({ status: 'ok', callsNotRecovered: [], flows: inForceAtFirst });
    await refusalsOfEvery();
    // The hotline works: a whole suspension call.
    const call = await server.driver('agent1');
    await call.start('13800000001');
    await call.toVerify('travel');
    await call.verifyByPassword();
    await call.executeToRemind();
    await call.finishFromRemind();

    await server.restart({ signal: 'SIGKILL' });
    h = await expectListedAsBroken(broken);
    expect(h).toMatchObject({ status: 'ok', callsNotRecovered: [], flows: inForceAtFirst });
  }, 240_000);

  it('versions an older release wrote, after SIGKILL: the rest starts degraded, the call on the lost version is reported and refused, a rollback restores the business; again after SIGKILL; a broken file in flows/ still stops the boot', async () => {
    await server.start();
    const inForceAtFirst: string[] = (await health()).flows; // complaint@1 among them
    // The case: an empty draft, withdrawn.
    const broken = new Set<string>();
    const empty = await brokenDraft('empty', 'ext-broken', {}, broken);
    ok(await sup1.post(`/flows/ext-broken/versions/${empty.version}/retire`));
    // Versions that load now, and that an older release will have written differently.
    const submitted = await authored('suspend-service', 'submitted');
    const approved = await authored('suspend-service', 'approved');
    const complaintV2 = await authored('complaint', 'published');

    const lost = await server.driver('agent1');
    const lostCallId = (await lost.start('13800000001', 'complaint')).data.callId;
    expect(lost.view.data.flow).toMatchObject({ id: 'complaint', version: complaintV2 });
    const kept = await server.driver('agent1');
    await kept.start('13800000001');
    const keptCallId = (await kept.decide('continue', undefined, 'confirm-reason')).data.callId;
    await server.kill('SIGKILL');
    for (const version of [submitted, approved]) await breakStored(server.dataDir, 'suspend-service', version);
    await breakStored(server.dataDir, 'complaint', complaintV2);
    broken.add(`suspend-service@${submitted}`).add(`suspend-service@${approved}`).add(`complaint@${complaintV2}`);

    await server.restart();
    let h = await expectListedAsBroken(broken);
    expect(h.status).toBe('degraded');
    expect(h.flows).toEqual(inForceAtFirst.filter((f) => !f.startsWith('complaint@')));
    expect(h.versionsNotLoading.find((v: any) => v.flowId === 'complaint')).toMatchObject({
      version: complaintV2,
      status: 'published',
      inForce: true,
      everPublished: true,
      problems: [{ path: expect.stringContaining('entry'), message: "unknown action 'sendFlowers'" }],
    });
    expect(h.callsNotRecovered).toEqual([
      expect.objectContaining({ callId: lostCallId, flowId: 'complaint', version: complaintV2, reason: 'flow-version-does-not-load' }),
    ]);

    // The agent on the lost call is told why; a new call of that business is refused; the other call goes on.
    const c = await server.connect('agent1');
    expectError(await c.request('call.attach', { callId: lostCallId }), 'FLOW_UNAVAILABLE');
    expectError(await c.request('call.start', { callerNumber: '13800000001', flowId: 'complaint' }), 'FLOW_UNAVAILABLE');
    const unavailable = await http(server.baseUrl, 'GET', '/api/flows/complaint', { token: server.tokens.agent1 });
    expect([unavailable.status, unavailable.body.code]).toEqual([503, 'FLOW_UNAVAILABLE']);
    expect((await http(server.baseUrl, 'GET', '/api/flows', { token: server.tokens.agent1 })).body.map((f: any) => f.id)).not.toContain('complaint');
    const resumed = await server.driver('agent1');
    await resumed.attach(keptCallId);
    await resumed.decide('continue', { reason: 'travel' }, 'warn');

    // Authoring: typed answers for the versions the older release wrote, in every status the API allows.
    await expectTypedRefusals('suspend-service', submitted, 2);
    await expectTypedRefusals('suspend-service', approved, 2);
    await expectTypedRefusals('complaint', complaintV2, 1);
    await expectTypedRefusals('ext-broken', empty.version, empty.version);
    const publish = await sup2.post(`/flows/suspend-service/versions/${approved}/publish`);
    expect([publish.status, publish.body.code]).toEqual([422, 'VERSION_DOES_NOT_LOAD']);
    const rejected = ok(await sup2.post(`/flows/suspend-service/versions/${submitted}/reject`, { comment: 'written by an older release' })).body;
    expect(rejected).toMatchObject({ status: 'draft', loads: false });
    expect(ok(await sup1.post(`/flows/suspend-service/versions/${approved}/retire`)).body).toMatchObject({ status: 'retired', loads: false });
    // A supervisor rolls complaint back to v1: new calls work again; v2 (calls ran on it) stays listed, and refuses a rollback to it.
    expect(ok(await sup2.post('/flows/complaint/versions/1/publish')).body).toMatchObject({ status: 'published', inForce: true });
    const rollback = await sup2.post(`/flows/complaint/versions/${complaintV2}/publish`);
    expect([rollback.status, rollback.body.code]).toEqual([422, 'VERSION_DOES_NOT_LOAD']);
    const fresh = await server.driver('agent1');
    expect((await fresh.start('13800000001', 'complaint')).data.flow).toMatchObject({ id: 'complaint', version: 1 });
    h = await expectListedAsBroken(broken);
    expect(h.flows).toEqual(inForceAtFirst);
    expect(h.status).toBe('degraded'); // the lost call, and a version calls ran on, still do not load

    // Again after SIGKILL, in the same state.
    await server.restart({ signal: 'SIGKILL' });
    h = await expectListedAsBroken(broken);
    expect(h.flows).toEqual(inForceAtFirst);
    expect(h.callsNotRecovered.map((x: any) => x.callId)).toEqual([lostCallId]);
    expect(h.versionsNotLoading.find((v: any) => v.flowId === 'complaint')).toMatchObject({
      version: complaintV2,
      status: 'retired',
      inForce: false,
      everPublished: true,
    });
    const again = await server.connect('agent1');
    expectError(await again.request('call.attach', { callId: lostCallId }), 'FLOW_UNAVAILABLE');
    expect((await (await server.driver('agent1')).attach(keptCallId)).data.step.id).toBe('warn');

    // On the same data, a broken file in flows/ still stops the boot, naming the file and the JSON path.
    const flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-flows-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'flows'), flowsDir, { recursive: true });
      const bad = flowFile('suspend-service');
      bad.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['sendFlowers'] };
      fs.writeFileSync(path.join(flowsDir, 'suspend-service.json'), JSON.stringify(bad));
      await expect(server.restart({ env: { FLOWS_DIR: flowsDir } })).rejects.toThrow(
        /exited before it was ready[\s\S]*suspend-service\.json: \$\.machine\.states\['warn'\]\.on\.ACKNOWLEDGED\.actions\[0\]: unknown action 'sendFlowers'/,
      );
    } finally {
      fs.rmSync(flowsDir, { recursive: true, force: true });
    }
  }, 300_000);
});
