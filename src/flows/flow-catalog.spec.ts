import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { FlowCatalog } from './flow-catalog.service';
import { compileFlow } from './flow-loader';

// Counted, not changed: which stored versions are compiled, and when.
jest.mock('./flow-loader', () => {
  const actual = jest.requireActual<typeof import('./flow-loader')>('./flow-loader');
  return { ...actual, compileFlow: jest.fn(actual.compileFlow) };
});
import { FlowPublicationEntity } from './flow-publication.entity';
import { FlowVersionEntity, type VersionStatus } from './flow-version.entity';

const FLOWS = path.resolve(__dirname, '../../flows');
const suspendFile = () => JSON.parse(fs.readFileSync(path.join(FLOWS, 'suspend-service.json'), 'utf8'));

describe('FlowCatalog at boot: stored versions that do not load', () => {
  let dataSource: DataSource;
  const boot = async () => {
    const catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: FLOWS }), dataSource);
    await catalog.onModuleInit();
    return catalog;
  };
  const store = (flowId: string, version: number, status: VersionStatus, definition: unknown) => {
    const now = new Date().toISOString();
    return dataSource.getRepository(FlowVersionEntity).insert({
      flowId, version, status, hash: 'x', definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      source: 'authored by supervisor1', createdAt: now, updatedAt: now, createdBy: 'supervisor1', basedOn: null,
    });
  };
  const publish = (flowId: string, version: number) =>
    dataSource.getRepository(FlowPublicationEntity).insert({ flowId, version, publishedAt: new Date().toISOString(), publishedBy: 'supervisor2', action: 'publish' });

  beforeEach(async () => {
    ({ dataSource } = await openTestDatabase());
    await boot(); // seeds the files
  });
  afterEach(() => dataSource.destroy());

  it('skips and reports drafts and withdrawn versions that do not load, in every status; every flow stays in force and healthy', async () => {
    const before = (await boot()).list().map((f) => `${f.id}@${f.version}`);
    await store('ext-broken', 1, 'retired', { id: 'ext-broken', version: 1 });
    await store('ext-broken', 2, 'draft', { id: 'ext-broken', version: 2, title: 5, machine: 'no' });
    await store('ext-broken', 3, 'submitted', '{"id": "ext-broken", "version": 3, "title": {');
    await store('ext-broken', 4, 'approved', []);
    const catalog = await boot();
    expect(catalog.list().map((f) => `${f.id}@${f.version}`)).toEqual(before);
    expect(catalog.versionsNotLoading()).toEqual([1, 2, 3, 4].map((version) => expect.objectContaining({ flowId: 'ext-broken', version, everPublished: false, problems: expect.any(Array) })));
    expect(catalog.notLoadingVersion('ext-broken', 1)!.problems).toEqual(expect.arrayContaining([{ path: '$.machine', message: 'is required' }]));
    expect(catalog.notLoadingVersion('ext-broken', 3)!.problems[0].message).toMatch(/not valid JSON/);
    expect(() => catalog.current('ext-broken')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('keeps a history of once-published versions uncompiled until a call needs one, then compiles it once', async () => {
    const history = [3, 4, 5, 6];
    for (const version of history) {
      const old = suspendFile();
      old.version = version;
      old.title = { 'zh-CN': `停机 v${version}`, en: `Suspend v${version}` };
      await store('suspend-service', version, 'retired', old);
      await dataSource.getRepository(FlowPublicationEntity).insert({
        flowId: 'suspend-service', version, publishedAt: `2020-01-0${version}T00:00:00.000Z`, publishedBy: 'supervisor2', action: 'publish',
      });
    }
    const compile = jest.mocked(compileFlow);
    compile.mockClear();
    {
      const catalog = await boot();
      // Every stored version was checked at boot (each compiles), and none is asked for twice.
      expect(compile.mock.calls.length).toBeGreaterThanOrEqual(history.length);
      expect(catalog.versionsNotLoading()).toEqual([]);
      compile.mockClear();
      expect(catalog.current('suspend-service').definition.version).toBe(2);
      expect(compile).not.toHaveBeenCalled();
      // A call started in January 2020 (recovery, replay) gets the version in force then: compiled now, once.
      const v4 = catalog.at('suspend-service', '2020-01-04T12:00:00.000Z')!;
      expect(v4.definition.version).toBe(4);
      expect(v4.definition.title).toEqual({ 'zh-CN': '停机 v4', en: 'Suspend v4' });
      expect(compile).toHaveBeenCalledTimes(1);
      expect(catalog.exact('suspend-service', 4)).toBe(v4);
      expect(catalog.exact('suspend-service', 6).definition.version).toBe(6);
      expect(compile).toHaveBeenCalledTimes(2);
      expect(() => catalog.exact('suspend-service', 7)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
  });

  it('a published version that no longer loads (an older release wrote it): the rest starts, the flow is refused with FLOW_UNAVAILABLE, earlier versions still replay', async () => {
    const old = suspendFile();
    old.version = 3;
    old.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['sendFlowers'] };
    await store('suspend-service', 3, 'published', old);
    await dataSource.getRepository(FlowVersionEntity).update({ flowId: 'suspend-service', version: 2 }, { status: 'retired' });
    await publish('suspend-service', 3);

    const catalog = await boot(); // the matrix names suspend-service/upsell: not the file's fault, not fatal
    expect(catalog.publishedVersion('suspend-service')).toBe(3);
    expect(catalog.list().map((f) => f.id)).not.toContain('suspend-service');
    expect(catalog.list().map((f) => f.id)).toContain('resume-service');
    expect(catalog.versionsNotLoading()).toEqual([expect.objectContaining({ flowId: 'suspend-service', version: 3, status: 'published', everPublished: true })]);
    expect(catalog.notLoadingVersion('suspend-service', 3)!.problems).toEqual([expect.objectContaining({ message: "unknown action 'sendFlowers'" })]);
    expect(() => catalog.current('suspend-service')).toThrow(expect.objectContaining({ code: 'FLOW_UNAVAILABLE', httpStatus: 503 }));
    expect(() => catalog.exact('suspend-service', 3)).toThrow(expect.objectContaining({ code: 'FLOW_UNAVAILABLE', details: { flowId: 'suspend-service', version: 3 } }));
    // Never an older version instead: a call started now gets nothing, one started before the publish its version.
    expect(catalog.at('suspend-service', new Date().toISOString())).toBeNull();
    expect(catalog.exact('suspend-service', 2).definition.version).toBe(2);

    // A supervisor rolls back: v2 again, and the report keeps v3 (calls ran on it) until it is fixed.
    const rolledBackAt = Date.now() + 1;
    catalog.published(catalog.exact('suspend-service', 2), new Date(rolledBackAt).toISOString());
    // Until the wall clock has passed it (a timer's 5 ms can run out sooner on the wall clock).
    while (Date.now() <= rolledBackAt) await new Promise((r) => setTimeout(r, 5));
    expect(catalog.current('suspend-service').definition.version).toBe(2);
  });

  it("a published version without a step the marketing matrix names still boots (the point serves calls on versions that have it); a step in no version stops it", async () => {
    const v3 = suspendFile();
    v3.version = 3;
    v3.machine.states.warn.on.ACKNOWLEDGED = { target: 'verify' };
    delete v3.machine.states.upsell;
    delete v3.machine.states['offer-accepted'];
    await store('suspend-service', 3, 'published', v3);
    await dataSource.getRepository(FlowVersionEntity).update({ flowId: 'suspend-service', version: 2 }, { status: 'retired' });
    await publish('suspend-service', 3);

    const catalog = await boot();
    expect(catalog.publishedVersion('suspend-service')).toBe(3);
    expect(catalog.current('suspend-service').definition.machine.states.upsell).toBeUndefined();
    expect(catalog.exact('suspend-service', 2).definition.machine.states.upsell).toBeDefined();
    const points = catalog.matrix(new Date().toISOString())!.points;
    expect(points.some((p) => p.flowId === 'suspend-service' && p.stepId === 'upsell')).toBe(true);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-matrix-'));
    try {
      const matrix = JSON.parse(fs.readFileSync(path.join(FLOWS, 'marketing/related-marketing.json'), 'utf8'));
      matrix.points[0].stepId = 'upsel';
      fs.writeFileSync(path.join(dir, 'matrix.json'), JSON.stringify(matrix));
      const typo = new FlowCatalog(loadConfig({ FLOWS_DIR: FLOWS, MATRIX_FILE: path.join(dir, 'matrix.json') }), dataSource);
      await expect(typo.onModuleInit()).rejects.toThrow(/no step suspend-service\/upsel\b/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad file in FLOWS_DIR still stops the boot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-flows-'));
    const bad = suspendFile();
    bad.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['sendFlowers'] };
    fs.writeFileSync(path.join(dir, 'suspend-service.json'), JSON.stringify(bad));
    const catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: dir }), dataSource);
    try {
      await expect(catalog.onModuleInit()).rejects.toThrow(/suspend-service\.json.*unknown action 'sendFlowers'/s);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
